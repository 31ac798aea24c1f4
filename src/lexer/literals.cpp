// Integer and string literal decoding for the scanner; see literals.h.
#include "lexer/literals.h"

namespace scry::lexer {

namespace {

int digitValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return 99;
}

// Drops a C integer suffix; the longest match wins, so "ull" is not read as "l".
std::string_view stripSuffix(std::string_view text) {
  static constexpr std::string_view kSuffixes[] = {"ull", "ULL", "ul", "UL", "ll",
                                                   "LL",  "u",   "U",  "l",  "L"};
  for (std::string_view suffix : kSuffixes)
    if (text.size() > suffix.size() && text.ends_with(suffix))
      return text.substr(0, text.size() - suffix.size());
  return text;
}

// Digits in `base` with single `_` separators between them; false when empty,
// malformed or past UINT64_MAX.
bool parseDigits(std::string_view s, unsigned base, uint64_t &out) {
  out = 0;
  if (s.empty())
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      bool between = i > 0 && i + 1 < s.size() && s[i - 1] != '_' && s[i + 1] != '_';
      if (!between)
        return false;
      continue;
    }
    auto digit = static_cast<unsigned>(digitValue(s[i]));
    if (digit >= base)
      return false;
    if (__builtin_mul_overflow(out, base, &out) || __builtin_add_overflow(out, digit, &out))
      return false;
  }
  return true;
}

} // namespace

// A decimal count with a duration unit (bpftrace 0.24): `10ms` is 10,000,000 ns.
static std::optional<uint64_t> parseDuration(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    uint64_t ns;
  };
  static constexpr Unit kUnits[] = {{"ns", 1},           {"us", 1000},
                                    {"ms", 1000000},     {"s", 1000000000},
                                    {"m", 60000000000},  {"h", 3600000000000},
                                    {"d", 86400000000000}};
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return std::nullopt;
  for (const Unit &unit : kUnits) {
    if (text.size() <= unit.suffix.size() || !text.ends_with(unit.suffix))
      continue;
    uint64_t count = 0;
    if (!parseDigits(text.substr(0, text.size() - unit.suffix.size()), 10, count))
      return std::nullopt;
    if (__builtin_mul_overflow(count, unit.ns, &count))
      return std::nullopt;
    return count;
  }
  return std::nullopt;
}

std::optional<uint64_t> parseInteger(std::string_view text) {
  if (auto ns = parseDuration(text))
    return ns;
  std::string_view s = stripSuffix(text);
  uint64_t value = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    if (!parseDigits(s.substr(2), 16, value))
      return std::nullopt;
    return value;
  }
  if (s.size() > 1 && s[0] == '0') {
    if (!parseDigits(s.substr(1), 8, value))
      return std::nullopt;
    return value;
  }
  size_t e = s.find_first_of("eE");
  if (!parseDigits(s.substr(0, e), 10, value))
    return std::nullopt;
  if (e == std::string_view::npos)
    return value;
  uint64_t exponent = 0;
  if (!parseDigits(s.substr(e + 1), 10, exponent))
    return std::nullopt;
  for (uint64_t i = 0; i < exponent && value != 0; ++i)
    if (__builtin_mul_overflow(value, uint64_t{10}, &value))
      return std::nullopt;
  return value;
}

std::string decodeString(std::string_view body, uint32_t body_offset, diag::Diagnostics &diags) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 == body.size()) {
      out += body[i];
      continue;
    }
    size_t start = i++;
    auto report = [&](std::string message) {
      diag::SourceRange r{static_cast<uint32_t>(body_offset + start),
                          static_cast<uint32_t>(body_offset + i + 1)};
      diags.error(diag::DiagId::InvalidEscape, r, std::move(message));
    };
    char c = body[i];
    switch (c) {
    case 'n': out += '\n'; break;
    case 't': out += '\t'; break;
    case 'r': out += '\r'; break;
    case 'a': out += '\a'; break;
    case 'b': out += '\b'; break;
    case 'f': out += '\f'; break;
    case 'v': out += '\v'; break;
    case '\\': out += '\\'; break;
    case '"': out += '"'; break;
    case '\'': out += '\''; break;
    case 'x': {
      unsigned value = 0, n = 0;
      while (n < 2 && i + 1 < body.size() && digitValue(body[i + 1]) < 16) {
        value = value * 16 + static_cast<unsigned>(digitValue(body[++i]));
        ++n;
      }
      if (n == 0)
        report("\\x used with no following hex digits");
      out += n == 0 ? 'x' : static_cast<char>(value);
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      unsigned value = static_cast<unsigned>(c - '0');
      for (unsigned n = 1; n < 3 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7';
           ++n)
        value = value * 8 + static_cast<unsigned>(body[++i] - '0');
      if (value > 0xff)
        report("octal escape sequence out of range");
      out += static_cast<char>(value & 0xff);
      break;
    }
    default:
      report(std::string("invalid escape sequence '\\") + c + "'");
      out += c;
      break;
    }
  }
  return out;
}

} // namespace scry::lexer
