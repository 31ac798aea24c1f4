// printf formatting of values decoded from ring-buffer records (see printf_format.h):
// the format is split by support::parseFormat (the parser sema checks with); integer
// conversions are rebuilt as C conversions on a 64-bit (or, with hh/h, narrowed) value
// and handed to snprintf, so flags, width and precision behave exactly like C's; text
// (strings, buffers, pointers) is cut and padded here.
#include "runtime/printf_format.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <span>

#include "runtime/bytes_format.h"
#include "support/format_spec.h"

namespace scry::runtime {

namespace {

using support::FormatPiece;

// Width and precision of one conversion, after `*` arguments were applied.
struct Layout {
  std::string flags;
  int width = -1;
  int precision = -1;
};

template <typename T> std::string cFormat(const std::string &c_spec, T arg) {
  char small[128];
  int n = std::snprintf(small, sizeof(small), c_spec.c_str(), arg);
  if (n < 0)
    return "";
  if (static_cast<size_t>(n) < sizeof(small))
    return std::string(small, static_cast<size_t>(n));
  std::string big(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(big.data(), big.size(), c_spec.c_str(), arg);
  big.resize(static_cast<size_t>(n));
  return big;
}

// "%" + flags + width + precision, ready for a C conversion to be appended.
std::string cPrefix(const Layout &layout) {
  std::string prefix = "%" + layout.flags;
  if (layout.width >= 0)
    prefix += std::to_string(layout.width);
  if (layout.precision >= 0)
    prefix += "." + std::to_string(layout.precision);
  return prefix;
}

// Text padded to the width (left-justified with '-') after a precision cut, as %s.
std::string padText(std::string text, const Layout &layout, bool cut) {
  if (cut && layout.precision >= 0 && text.size() > static_cast<size_t>(layout.precision))
    text.resize(static_cast<size_t>(layout.precision));
  if (layout.width > 0 && text.size() < static_cast<size_t>(layout.width)) {
    std::string pad(static_cast<size_t>(layout.width) - text.size(), ' ');
    bool left = layout.flags.find('-') != std::string::npos;
    text = left ? text + pad : pad + text;
  }
  return text;
}

// Pointers too: %d %x %p print their address as a number (only %s prints "0x...").
bool isIntegral(const Value &v) {
  return v.kind == object::ValueKind::Int || v.kind == object::ValueKind::Count ||
         v.kind == object::ValueKind::Bool || v.kind == object::ValueKind::Pointer;
}

std::string formatInteger(const FormatPiece &piece, const Layout &layout, const Value &v) {
  // The value as 64 bits (Value::bits is already sign-extended for signed values),
  // narrowed by hh or h as C would narrow it.
  uint64_t bits = v.bits;
  bool is_signed = piece.conversion == 'd' || piece.conversion == 'i';
  if (piece.length == "hh")
    bits = is_signed ? static_cast<uint64_t>(static_cast<int8_t>(bits)) : static_cast<uint8_t>(bits);
  else if (piece.length == "h")
    bits = is_signed ? static_cast<uint64_t>(static_cast<int16_t>(bits)) : static_cast<uint16_t>(bits);
  // Plain %d %i %u, the common case, without building a C format for snprintf.
  bool plain = layout.flags.empty() && layout.width < 0 && layout.precision < 0;
  if (plain && (is_signed || piece.conversion == 'u')) {
    char digits[24];
    auto end = is_signed ? std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(bits))
                         : std::to_chars(digits, digits + sizeof digits, bits);
    return std::string(digits, end.ptr);
  }
  std::string prefix = cPrefix(layout);
  switch (piece.conversion) {
  case 'd':
  case 'i':
    return cFormat(prefix + "lld", static_cast<long long>(bits));
  case 'c':
    return cFormat(prefix + "c", static_cast<int>(static_cast<unsigned char>(bits)));
  case 'p': {
    char hex[24];
    std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(bits));
    return padText(bits ? std::string("0x") + hex : "0", layout, false);
  }
  default: // u x X o
    return cFormat(prefix + "ll" + piece.conversion, static_cast<unsigned long long>(bits));
  }
}

std::string formatOne(const FormatPiece &piece, const Layout &layout, const Value &v) {
  if (piece.conversion == 'r' && v.kind == object::ValueKind::Buffer) {
    BufferStyle style = piece.buffer_mode == 'x'   ? BufferStyle::Escaped
                        : piece.buffer_mode == 'h' ? BufferStyle::Spaced
                                                   : BufferStyle::Ascii;
    std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t *>(v.str.data()), v.str.size());
    return padText(formatBuffer(bytes, style), layout, true);
  }
  if (piece.conversion == 's' || piece.conversion == 'r' || !isIntegral(v))
    return padText(formatValue(v), layout, true);
  return formatInteger(piece, layout, v);
}

// The pieces of `format`, or null when parseFormat rejects it. Parsed once per format
// text: parsing cost more than formatting (issue 6: ~3,000 of ~7,000 instructions per
// printf record), and a script has few formats, each printed once per event.
const std::vector<FormatPiece> *parsedFormat(std::string_view format) {
  thread_local std::map<std::string, std::optional<std::vector<FormatPiece>>, std::less<>> cache;
  auto it = cache.find(format);
  if (it == cache.end()) {
    if (cache.size() >= 1024) // formats are script literals; this only bounds a misuse
      cache.clear();
    std::vector<FormatPiece> pieces;
    std::string error;
    size_t error_offset = 0;
    bool ok = support::parseFormat(format, pieces, error, error_offset);
    it = cache.emplace(std::string(format), ok ? std::optional(std::move(pieces)) : std::nullopt).first;
  }
  return it->second ? &*it->second : nullptr;
}

} // namespace

std::string formatPrintf(std::string_view format, const std::vector<Value> &args) {
  const std::vector<FormatPiece> *pieces = parsedFormat(format);
  if (!pieces)
    return std::string(format); // sema rejects these; print the text rather than guess
  std::string out;
  size_t next_arg = 0;
  for (const FormatPiece &piece : *pieces) {
    if (!piece.conversion) {
      out += piece.text;
      continue;
    }
    if (next_arg + piece.arguments() > args.size()) {
      out += piece.text;
      next_arg = args.size();
      continue;
    }
    Layout layout{piece.flags, piece.width, piece.precision};
    if (piece.width_star) {
      int64_t w = args[next_arg++].asSigned();
      if (w < 0)
        layout.flags += '-';
      layout.width = static_cast<int>(std::min<int64_t>(w < 0 ? -w : w, 1 << 20));
    }
    if (piece.precision_star) {
      int64_t p = args[next_arg++].asSigned();
      layout.precision = p < 0 ? -1 : static_cast<int>(std::min<int64_t>(p, 1 << 20));
    }
    out += formatOne(piece, layout, args[next_arg++]);
  }
  return out;
}

} // namespace scry::runtime
