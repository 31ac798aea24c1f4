// Parsing of tracefs format files (kernel/trace/trace_events.c writes them; the layout
// `field:<decl>;\toffset:N;\tsize:N;\tsigned:N;` is stable since Linux 2.6.32, `signed:`
// since 2.6.34) and of the C declarations they contain.
#include "btf/format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace scry::btf {

namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool parseNumber(std::string_view s, uint32_t &out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// The field name of a declaration: the identifier before an optional `[N]` suffix.
std::string_view declName(std::string_view decl) {
  decl = trim(decl);
  if (!decl.empty() && decl.back() == ']') {
    auto open = decl.rfind('[');
    decl = trim(decl.substr(0, open == std::string_view::npos ? 0 : open));
  }
  size_t start = decl.size();
  while (start > 0 && isIdentChar(decl[start - 1]))
    --start;
  return decl.substr(start);
}

// Parses one `key:value` attribute of a field line into `field`; unknown keys are ignored.
bool parseAttribute(std::string_view part, FormatField &field) {
  part = trim(part);
  auto colon = part.find(':');
  if (colon == std::string_view::npos)
    return part.empty();
  std::string_view key = part.substr(0, colon), value = part.substr(colon + 1);
  uint32_t n = 0;
  if (key == "offset")
    return parseNumber(value, field.offset);
  if (key == "size")
    return parseNumber(value, field.size);
  if (key == "signed") {
    if (!parseNumber(value, n))
      return false;
    field.is_signed = n != 0;
  }
  return true;
}

// A token of a declaration: an identifier, a number, or one of `*`, `[`, `]`.
using Tokens = std::vector<std::string_view>;

bool tokenize(std::string_view decl, Tokens &tokens, std::string &error) {
  size_t i = 0;
  while (i < decl.size()) {
    char c = decl[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '*' || c == '[' || c == ']') {
      tokens.push_back(decl.substr(i++, 1));
    } else if (isIdentChar(c)) {
      size_t start = i;
      while (i < decl.size() && isIdentChar(decl[i]))
        ++i;
      tokens.push_back(decl.substr(start, i - start));
    } else {
      error = "unexpected '" + std::string(1, c) + "' in declaration '" + std::string(decl) + "'";
      return false;
    }
  }
  return true;
}

bool isQualifier(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kQualifiers = {
      "const",  "volatile", "restrict", "__restrict", "__seg_gs", "__seg_fs",
      "__user", "__kernel", "__iomem",  "__percpu",   "__rcu",    "__force"};
  return std::find(kQualifiers.begin(), kQualifiers.end(), word) != kQualifiers.end();
}

bool isBuiltinWord(std::string_view word) {
  return word == "char" || word == "short" || word == "int" || word == "long" || word == "signed" ||
         word == "unsigned" || word == "_Bool" || word == "bool";
}

// Fills the Builtin fields of `out` from words like {"unsigned", "long", "long"}.
void setBuiltin(const std::vector<std::string_view> &words, CDecl &out) {
  auto has = [&](std::string_view w) { return std::count(words.begin(), words.end(), w); };
  out.base = CDecl::Base::Builtin;
  bool is_unsigned = has("unsigned") > 0;
  out.builtin_signed = !is_unsigned;
  if (has("_Bool") || has("bool")) {
    out.builtin_bits = 8;
    out.builtin_signed = false;
  } else if (has("char")) {
    out.builtin_bits = 8; // plain char is signed on x86_64
    out.plain_char = !is_unsigned && !has("signed");
  } else if (has("short")) {
    out.builtin_bits = 16;
  } else if (has("long")) {
    out.builtin_bits = 64; // LP64
  } else {
    out.builtin_bits = 32;
  }
}

// Fills base, base_name and pointer_depth from the tokens left of the name.
bool parseTypeSpec(const Tokens &tokens, std::string_view decl, CDecl &out, std::string &error) {
  std::vector<std::string_view> words;
  for (auto tok : tokens) {
    if (tok == "*")
      ++out.pointer_depth;
    else if (!isQualifier(tok))
      words.push_back(tok);
  }
  auto fail = [&] {
    error = "cannot parse declaration '" + std::string(decl) + "'";
    return false;
  };
  if (words.empty() || !isIdentStart(words[0][0]))
    return fail();
  if (words[0] == "struct" || words[0] == "union" || words[0] == "enum") {
    if (words.size() != 2)
      return fail();
    out.base = words[0] == "struct"  ? CDecl::Base::Struct
               : words[0] == "union" ? CDecl::Base::Union
                                     : CDecl::Base::Enum;
    out.base_name = std::string(words[1]);
    return true;
  }
  if (std::all_of(words.begin(), words.end(), isBuiltinWord)) {
    setBuiltin(words, out);
    return true;
  }
  if (words.size() != 1)
    return fail();
  out.base = words[0] == "void" ? CDecl::Base::Void : CDecl::Base::Typedef;
  if (out.base == CDecl::Base::Typedef)
    out.base_name = std::string(words[0]);
  return true;
}

// Removes a trailing `[N]` or `[]` from `tokens`; false when the brackets are malformed.
bool takeArraySuffix(Tokens &tokens, CDecl &out) {
  if (tokens.empty() || tokens.back() != "]")
    return true;
  out.is_array = true;
  tokens.pop_back();
  if (!tokens.empty() && tokens.back() != "[") {
    if (!parseNumber(tokens.back(), out.array_len))
      return false;
    tokens.pop_back();
  }
  if (tokens.empty() || tokens.back() != "[")
    return false;
  tokens.pop_back();
  return true;
}

} // namespace

bool parseFormat(std::string_view text, std::vector<FormatField> &fields, std::string &error) {
  size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.substr(0, 6) != "field:")
      continue;
    FormatField field;
    size_t semi = line.find(';');
    field.decl = std::string(trim(line.substr(6, semi - 6)));
    bool ok = semi != std::string_view::npos;
    while (ok && semi != std::string_view::npos) {
      size_t next = line.find(';', semi + 1);
      ok = parseAttribute(line.substr(semi + 1, next - semi - 1), field);
      semi = next;
    }
    if (!ok || field.decl.empty()) {
      error =
          "malformed field on line " + std::to_string(line_no) + ": '" + std::string(line) + "'";
      return false;
    }
    if (declName(field.decl).substr(0, 7) != "common_")
      fields.push_back(std::move(field));
  }
  return true;
}

bool parseCDecl(std::string_view decl, CDecl &out, std::string &error) {
  out = CDecl();
  Tokens tokens;
  if (!tokenize(decl, tokens, error))
    return false;
  auto fail = [&] {
    error = "cannot parse declaration '" + std::string(decl) + "'";
    return false;
  };
  if (!tokens.empty() && tokens.front() == "__data_loc") {
    out.data_loc = true;
    tokens.erase(tokens.begin());
  }
  if (!takeArraySuffix(tokens, out))
    return fail();
  if (tokens.empty() || !isIdentStart(tokens.back()[0]))
    return fail();
  out.name = std::string(tokens.back());
  tokens.pop_back();
  // `__data_loc char[] name`: the brackets sit between the type and the name.
  if (!out.is_array && !takeArraySuffix(tokens, out))
    return fail();
  return parseTypeSpec(tokens, decl, out, error);
}

} // namespace scry::btf
