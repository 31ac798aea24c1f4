// Parses C printf format strings into literal text and conversions. Shared by sema
// (which checks arguments against conversions) and the runtime (which formats).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scry::support {

struct FormatPiece {
  // A conversion when `conversion` is non-zero, else literal text (with `%%` already
  // turned into `%`).
  char conversion = 0;  // one of d i u x X o c s p
  std::string text;     // literal text, or the whole spec e.g. "%-10lld"
  std::string flags;    // any of "-0+ #"
  int width = -1;       // -1 when absent
  int precision = -1;   // -1 when absent
  std::string length;   // hh h l ll z j t, or ""
  size_t offset = 0;    // byte offset of the piece in the format string
};

// Returns false and sets `error` (with `error_offset`) for a malformed or unsupported
// conversion, e.g. "%y" or a trailing "%".
bool parseFormat(std::string_view format, std::vector<FormatPiece> &pieces, std::string &error,
                 size_t &error_offset);

} // namespace scry::support
