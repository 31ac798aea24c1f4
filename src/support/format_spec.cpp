// Parses C printf format strings into literal text and conversions.
#include "support/format_spec.h"

#include <cctype>

namespace scry::support {

namespace {

int parseNumber(std::string_view f, size_t &i) {
  int n = 0;
  while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])) && n < 100000)
    n = n * 10 + (f[i++] - '0');
  return n;
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
    if (f[i] != '%') {
      if (literal.empty())
        literal_start = i;
      literal += f[i++];
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '%') {
      if (literal.empty())
        literal_start = i;
      literal += '%';
      i += 2;
      continue;
    }
    flushLiteral();
    FormatPiece p;
    p.offset = i;
    size_t j = i + 1;
    while (j < f.size() && std::string_view("-0+ #").find(f[j]) != std::string_view::npos)
      p.flags += f[j++];
    if (j < f.size() && std::isdigit(static_cast<unsigned char>(f[j])))
      p.width = parseNumber(f, j);
    if (j < f.size() && f[j] == '.') {
      ++j;
      p.precision = parseNumber(f, j);
    }
    for (std::string_view len : {"hh", "ll", "h", "l", "z", "j", "t"}) {
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
    if (std::string_view("diuxXocsp").find(c) == std::string_view::npos) {
      error = std::string("invalid format specifier '%") + std::string(f.substr(i + 1, j - i - 1)) + "'";
      error_offset = i;
      return false;
    }
    p.conversion = c;
    p.text = std::string(f.substr(i, j - i));
    pieces.push_back(std::move(p));
    i = j;
  }
  flushLiteral();
  return true;
}

} // namespace scry::support
