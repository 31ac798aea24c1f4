// scry-http.so: the HTTP transport of --export on cpp-httplib (http_server.h).
#include <httplib.h>

#include "export/http_server.h"

namespace scry::exporter {
namespace {

class HttplibServer : public HttpServer {
public:
  explicit HttplibServer(HttpHandler handler) : handler_(std::move(handler)) {
    // Scrapes are rare and cheap: two worker threads are plenty.
    server_.new_task_queue = [] { return new httplib::ThreadPool(2); };
    server_.Get(".*", [this](const httplib::Request &request, httplib::Response &response) {
      std::string body, type;
      response.status = handler_(request.path, request.get_header_value("Accept"), body, type);
      response.set_content(body, type.c_str());
    });
  }

  int bind(const std::string &host, int port) override {
    if (port == 0)
      return server_.bind_to_any_port(host);
    return server_.bind_to_port(host, port) ? port : -1;
  }
  void serve() override { server_.listen_after_bind(); }
  bool running() const override { return server_.is_running(); }
  void stop() override { server_.stop(); }

private:
  HttpHandler handler_;
  httplib::Server server_;
};

} // namespace
} // namespace scry::exporter

extern "C" scry::exporter::HttpServer *scry_http_server_create(scry::exporter::HttpHandler handler) {
  return new scry::exporter::HttplibServer(std::move(handler));
}
