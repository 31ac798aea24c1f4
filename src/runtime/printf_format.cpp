// printf formatting of values decoded from ring-buffer records (see printf_format.h):
// the format is split by support::parseFormat (the parser sema checks with), and each
// conversion is rebuilt as a C conversion with an explicit length and handed to
// snprintf, so flags, width and precision behave exactly like C's.
#include "runtime/printf_format.h"

#include <cstdint>
#include <cstdio>

#include "support/format_spec.h"

namespace scry::runtime {

namespace {

// "%" + flags + width + precision of `piece`, ready for a C conversion to be appended.
std::string cPrefix(const support::FormatPiece &piece) {
  std::string prefix = "%" + piece.flags;
  if (piece.width >= 0)
    prefix += std::to_string(piece.width);
  if (piece.precision >= 0)
    prefix += "." + std::to_string(piece.precision);
  return prefix;
}

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

// The argument after C's default promotion: 64 bits wide for 8-byte values, else 32.
bool isWide(const Value &v) {
  return v.kind == object::ValueKind::Count || (v.kind == object::ValueKind::Int && v.size == 8);
}

bool isIntegral(const Value &v) {
  return v.kind == object::ValueKind::Int || v.kind == object::ValueKind::Count ||
         v.kind == object::ValueKind::Bool;
}

std::string formatInteger(const support::FormatPiece &piece, const Value &v) {
  std::string prefix = cPrefix(piece);
  std::string c_spec = prefix + "ll" + piece.conversion;
  bool wide = isWide(v);
  switch (piece.conversion) {
  case 'd':
  case 'i': {
    long long n = wide ? v.asSigned() : static_cast<int32_t>(static_cast<uint32_t>(v.bits));
    return cFormat(c_spec, n);
  }
  case 'c':
    return cFormat(prefix + "c", static_cast<int>(static_cast<unsigned char>(v.bits)));
  case 'p':
    return cFormat(prefix + "p", reinterpret_cast<void *>(static_cast<uintptr_t>(v.bits)));
  default: { // u x X o
    unsigned long long n = wide ? v.bits : (v.bits & 0xffffffffULL);
    return cFormat(c_spec, n);
  }
  }
}

std::string formatOne(const support::FormatPiece &piece, const Value &v) {
  if (piece.conversion == 's' || !isIntegral(v))
    return cFormat(cPrefix(piece) + "s", formatValue(v).c_str());
  return formatInteger(piece, v);
}

} // namespace

std::string formatPrintf(std::string_view format, const std::vector<Value> &args) {
  std::vector<support::FormatPiece> pieces;
  std::string error;
  size_t error_offset = 0;
  if (!support::parseFormat(format, pieces, error, error_offset))
    return std::string(format); // sema rejects these; print the text rather than guess
  std::string out;
  size_t next_arg = 0;
  for (const support::FormatPiece &piece : pieces) {
    if (!piece.conversion)
      out += piece.text;
    else if (next_arg < args.size())
      out += formatOne(piece, args[next_arg++]);
    else
      out += piece.text;
  }
  return out;
}

} // namespace scry::runtime
