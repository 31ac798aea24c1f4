// The --export option's value: `prometheus=ADDR:PORT`, `prometheus=PORT` (on 127.0.0.1),
// `prometheus=[::1]:PORT`. Only loopback addresses are accepted unless the user allows
// others explicitly (--export-allow-remote): the metrics name the processes and files a
// machine is busy with, and the endpoint has no authentication.
#pragma once

#include <cstdint>
#include <string>

namespace scry::exporter {

struct Endpoint {
  std::string host; // numeric address or "localhost", without IPv6 brackets
  uint16_t port = 0; // 0: any free port (reported when serving starts)
};

// Parses `spec`; false with `error` set (one line, naming what is wrong) when it is
// malformed or names a non-loopback address while `allow_remote` is false.
bool parseEndpoint(const std::string &spec, bool allow_remote, Endpoint &endpoint,
                   std::string &error);

// 127.0.0.0/8, ::1 and "localhost".
bool isLoopback(const std::string &host);

} // namespace scry::exporter
