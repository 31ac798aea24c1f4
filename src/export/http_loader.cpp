#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <string>
#include <vector>

#include "export/http_server.h"

namespace scry::exporter {

namespace {

// The directory of the running binary.
std::string binaryDir() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0)
    return ".";
  std::string exe(path, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

} // namespace

std::unique_ptr<HttpServer> loadHttpServer(HttpHandler handler, std::string &error) {
  std::string dir = binaryDir();
  // The build tree keeps it beside scry; `cmake --install` puts it in LIBDIR/scry.
  std::vector<std::string> candidates = {dir + "/scry-http.so",
                                         dir + "/" SCRY_PLUGIN_RELDIR "/scry-http.so"};
  std::string tried;
  for (const std::string &path : candidates) {
    if (access(path.c_str(), R_OK) != 0) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    // Never closed: the server's threads run its code until scry exits.
    void *plugin = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!plugin) {
      error = std::string("cannot load the HTTP plugin: ") + dlerror();
      return nullptr;
    }
    auto create = reinterpret_cast<decltype(&scry_http_server_create)>(
        dlsym(plugin, "scry_http_server_create"));
    if (!create) {
      error = "the HTTP plugin " + path + " has no scry_http_server_create";
      return nullptr;
    }
    return std::unique_ptr<HttpServer>(create(std::move(handler)));
  }
  error = "cannot find the HTTP plugin scry-http.so (looked for " + tried + ")";
  return nullptr;
}

} // namespace scry::exporter
