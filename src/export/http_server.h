// The HTTP transport of --export, kept in a plugin of its own (scry-http.so, linking
// cpp-httplib) that scry loads with dlopen only when --export is given: cpp-httplib
// brings OpenSSL, zlib and Brotli along, whose loading and relocation would otherwise
// cost every scry run about 2 ms of start-up. Both sides are built together by the same
// compiler, so the interface is plain C++ behind one extern "C" factory.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace scry::exporter {

// Answers GET `path`: fills `body` and `content_type`, returns the HTTP status.
using HttpHandler = std::function<int(const std::string &path, const std::string &accept,
                                      std::string &body, std::string &content_type)>;

class HttpServer {
public:
  virtual ~HttpServer() = default;
  // Binds to `host`:`port` (0: any free port). Returns the port, or -1.
  virtual int bind(const std::string &host, int port) = 0;
  // Serves requests until stop() is called from another thread.
  virtual void serve() = 0;
  // True once serve() is accepting connections: stop() before that would be lost.
  virtual bool running() const = 0;
  virtual void stop() = 0;
};

// Loads the plugin (next to the scry binary, or in ../lib*/scry/ from it) and creates a
// server calling `handler` from its worker threads. Null with `error` set when the
// plugin cannot be loaded.
std::unique_ptr<HttpServer> loadHttpServer(HttpHandler handler, std::string &error);

} // namespace scry::exporter

// The plugin's one entry point: a new server owned by the caller.
extern "C" scry::exporter::HttpServer *scry_http_server_create(scry::exporter::HttpHandler handler);
