// Parses printf format strings into literal text and conversions. Shared by sema
// (which checks arguments against conversions) and the runtime (which formats), so
// both agree on what a format means.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scry::support {

struct FormatPiece {
  // A conversion when `conversion` is non-zero, else literal text (with `%%` already
  // turned into `%`).
  char conversion = 0;  // one of d i u x X o c s p r
  // %r (buffers, bpftrace's extension) comes in three forms: 0 for %r (printable
  // ASCII kept, other bytes \xNN), 'x' for %rx (every byte \xNN), 'h' for %rh
  // (every byte as two hex digits, separated by spaces).
  char buffer_mode = 0;
  std::string text;     // literal text, or the whole spec e.g. "%-10lld"
  std::string flags;    // any of "-0+ #", in the order written
  int width = -1;       // -1 when absent
  int precision = -1;   // -1 when absent; `%.d` is precision 0, as in C
  bool width_star = false;     // `%*d`: the width is taken from an argument
  bool precision_star = false; // `%.*d`: the precision is taken from an argument
  std::string length;   // hh h l ll L j z t, or ""
  size_t offset = 0;    // byte offset of the piece in the format string

  // Arguments this conversion consumes: its `*`s, then its value.
  unsigned arguments() const {
    return conversion ? 1u + (width_star ? 1u : 0u) + (precision_star ? 1u : 0u) : 0u;
  }
};

// Returns false and sets `error` (with `error_offset`) for a malformed or unsupported
// conversion, e.g. "%y", "%f" (no floating point in bpftrace) or a trailing "%".
bool parseFormat(std::string_view format, std::vector<FormatPiece> &pieces, std::string &error,
                 size_t &error_offset);

} // namespace scry::support
