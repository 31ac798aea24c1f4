// The `missing_probes` setting (config key, or BPFTRACE_MISSING_PROBES): what to do with
// an attach point that names nothing (a tracepoint, symbol or USDT probe that does not
// exist) or that the kernel refuses to attach. Sema reads it for attach-point expansion,
// the runtime for attaching, so it lives below both.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace scry::support {

enum class MissingProbes {
  Error,  // bpftrace's default: report and stop
  Warn,   // report a warning, skip the probe, run the rest
  Ignore, // skip the probe silently
};

// "error", "warn" or "ignore", in any case; false for anything else.
inline bool parseMissingProbes(std::string_view text, MissingProbes &out) {
  std::string lower;
  for (char c : text)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "error")
    out = MissingProbes::Error;
  else if (lower == "warn")
    out = MissingProbes::Warn;
  else if (lower == "ignore")
    out = MissingProbes::Ignore;
  else
    return false;
  return true;
}

} // namespace scry::support
