// Parses printf format strings into literal text and conversions:
//   %[flags][width|*][.precision|.*][length]conversion
// flags from "-0+ #" in any order; length hh h l ll L j z t; conversions
// d i u x X o c s p, bpftrace's r rx rh for buffers, and %% for a literal '%'.
#include "support/format_spec.h"

#include <cctype>

namespace scry::support {

namespace {

int parseNumber(std::string_view f, size_t &i) {
  int n = 0;
  while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) {
    if (n < 100000)
      n = n * 10 + (f[i] - '0');
    ++i;
  }
  return n;
}

// Parses the width or precision at `j`: digits, `*`, or nothing.
void parseCount(std::string_view f, size_t &j, int &value, bool &star) {
  if (j < f.size() && f[j] == '*') {
    star = true;
    ++j;
  } else if (j < f.size() && std::isdigit(static_cast<unsigned char>(f[j]))) {
    value = parseNumber(f, j);
  }
}

} // namespace

bool parseFormat(std::string_view f, std::vector<FormatPiece> &pieces, std::string &error,
                 size_t &error_offset) {
  std::string literal;
  size_t literal_start = 0;
  auto flushLiteral = [&] {
    if (!literal.empty()) {
      FormatPiece p;
      p.text = literal;
      p.offset = literal_start;
      pieces.push_back(std::move(p));
      literal.clear();
    }
  };
  for (size_t i = 0; i < f.size();) {
    if (f[i] != '%' || (i + 1 < f.size() && f[i + 1] == '%')) {
      if (literal.empty())
        literal_start = i;
      literal += f[i];
      i += f[i] == '%' ? 2 : 1;
      continue;
    }
    flushLiteral();
    FormatPiece p;
    p.offset = i;
    size_t j = i + 1;
    while (j < f.size() && std::string_view("-0+ #").find(f[j]) != std::string_view::npos)
      p.flags += f[j++];
    parseCount(f, j, p.width, p.width_star);
    if (j < f.size() && f[j] == '.') {
      ++j;
      p.precision = 0; // "%.d" means precision 0
      parseCount(f, j, p.precision, p.precision_star);
    }
    for (std::string_view len : {"hh", "ll", "h", "l", "L", "z", "j", "t"}) {
      if (f.substr(j, len.size()) == len) {
        p.length = std::string(len);
        j += len.size();
        break;
      }
    }
    if (j >= f.size()) {
      error = "incomplete format specifier at the end of the format string";
      error_offset = i;
      return false;
    }
    char c = f[j++];
    if (std::string_view("diuxXocspr").find(c) == std::string_view::npos) {
      std::string spec(f.substr(i + 1, j - i - 1));
      bool floating = std::string_view("eEfFgGaA").find(c) != std::string_view::npos;
      error = "invalid format specifier '%" + spec + "'" +
              (floating ? ": floating point is not supported" : "");
      error_offset = i;
      return false;
    }
    if (c == 'r' && j < f.size() && (f[j] == 'x' || f[j] == 'h'))
      p.buffer_mode = f[j++];
    p.conversion = c;
    p.text = std::string(f.substr(i, j - i));
    pieces.push_back(std::move(p));
    i = j;
  }
  flushLiteral();
  return true;
}

} // namespace scry::support
