#include "export/endpoint.h"

#include <arpa/inet.h>

#include <charconv>

namespace scry::exporter {

namespace {

bool parsePort(const std::string &text, uint16_t &port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value > 65535)
    return false;
  port = static_cast<uint16_t>(value);
  return true;
}

bool isAddress(const std::string &host) {
  unsigned char buf[16];
  return host == "localhost" || inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

} // namespace

bool isLoopback(const std::string &host) {
  if (host == "localhost")
    return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

bool parseEndpoint(const std::string &spec, bool allow_remote, Endpoint &endpoint,
                   std::string &error) {
  const std::string prefix = "prometheus=";
  if (spec.rfind(prefix, 0) != 0) {
    error = "--export: unknown exporter in '" + spec +
            "' (expected prometheus=ADDR:PORT or prometheus=PORT)";
    return false;
  }
  std::string where = spec.substr(prefix.size());
  std::string host = "127.0.0.1", port_text = where;
  if (!where.empty() && where[0] == '[') { // [v6]:port
    size_t close = where.find("]:");
    if (close == std::string::npos) {
      error = "--export: expected [ADDR]:PORT in '" + where + "'";
      return false;
    }
    host = where.substr(1, close - 1);
    port_text = where.substr(close + 2);
  } else if (size_t colon = where.rfind(':'); colon != std::string::npos) {
    host = where.substr(0, colon);
    port_text = where.substr(colon + 1);
  }
  if (!parsePort(port_text, endpoint.port)) {
    error = "--export: '" + port_text + "' is not a port number (0-65535)";
    return false;
  }
  if (!isAddress(host)) {
    error = "--export: '" + host + "' is not a numeric IPv4 or IPv6 address or localhost";
    return false;
  }
  if (!allow_remote && !isLoopback(host)) {
    error = "--export: refusing to serve metrics on " + host +
            ", which is not a loopback address; add --export-allow-remote to serve them to "
            "other machines (the endpoint has no authentication)";
    return false;
  }
  endpoint.host = host;
  return true;
}

} // namespace scry::exporter
