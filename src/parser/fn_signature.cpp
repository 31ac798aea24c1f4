// User functions' signatures (issue 3): `fn name($a: T, $b: U): R` arrives from the
// lexer as one FN_DECL token, so the top level's lexer state stays stateless; this file
// reads it into an ast::FnDef whose body the grammar parsed.
#include <cctype>

#include "parser/driver.h"

namespace scry::parser {

namespace {

bool identStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A cursor over the signature's text; ranges are file offsets.
class SignatureReader {
public:
  SignatureReader(Driver &drv, std::string_view text, uint32_t base)
      : drv_(drv), text_(text), base_(base) {}

  // fn_decl: "fn" NAME "(" [param {"," param}] ")" ":" type
  // param: VAR ":" type
  bool read(ast::FnDef &def) {
    pos_ = 2; // "fn"
    skipBlanks();
    std::string name = word();
    if (name.empty())
      return fail("syntax error, expecting a function name after fn");
    def.name = name;
    if (!expect('('))
      return false;
    skipBlanks();
    while (pos_ < text_.size() && text_[pos_] != ')') {
      ast::FnParam param;
      size_t p = pos_;
      if (text_[pos_] != '$')
        return fail("syntax error, expecting a parameter such as $a: int64");
      ++pos_;
      std::string pname = word();
      if (pname.empty())
        return fail("syntax error, expecting a parameter such as $a: int64");
      param.name = "$" + pname;
      param.range = range(p, pos_);
      if (!expect(':') || !type(param.type))
        return false;
      def.params.push_back(std::move(param));
      skipBlanks();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        skipBlanks();
      }
    }
    if (!expect(')'))
      return false;
    skipBlanks();
    if (pos_ >= text_.size() || text_[pos_] != ':')
      return fail("syntax error, expecting ':' and the return type (void for none) after "
                  "the parameters of fn " + def.name);
    ++pos_;
    if (!type(def.result))
      return false;
    skipBlanks();
    if (pos_ != text_.size())
      return fail("syntax error, unexpected '" + std::string(1, text_[pos_]) +
                  "' in the signature of fn " + def.name);
    return true;
  }

private:
  void skipBlanks() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }
  std::string word() {
    size_t start = pos_;
    if (pos_ < text_.size() && identStart(text_[pos_]))
      while (pos_ < text_.size() && identChar(text_[pos_]))
        ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  bool expect(char c) {
    skipBlanks();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return fail(std::string("syntax error, expecting '") + c + "' in the signature of fn");
  }
  // type: WORD {WORD} {"*"}   ("int64", "unsigned int", "struct task_struct *")
  bool type(ast::TypeName &out) {
    skipBlanks();
    std::string base;
    while (pos_ < text_.size() && identStart(text_[pos_])) {
      base += (base.empty() ? "" : " ") + word();
      skipBlanks();
    }
    if (base.empty())
      return fail("syntax error, expecting a type such as int64, string or void");
    out.base = base;
    while (pos_ < text_.size() && text_[pos_] == '*') {
      ++out.pointers;
      ++pos_;
      skipBlanks();
    }
    return true;
  }
  ast::SourceRange range(size_t from, size_t to) const {
    return {base_ + static_cast<uint32_t>(from), base_ + static_cast<uint32_t>(to)};
  }
  bool fail(const std::string &message) {
    size_t end = pos_ < text_.size() ? pos_ + 1 : text_.size();
    drv_.diags.error(diag::DiagId::SyntaxError, range(pos_ < text_.size() ? pos_ : 0, end),
                     message);
    return false;
  }

  Driver &drv_;
  std::string_view text_;
  uint32_t base_;
  size_t pos_ = 0;
};

} // namespace

void defineFunction(Driver &drv, std::string_view signature, ast::SourceRange header,
                    ast::Block *body, ast::SourceRange whole) {
  ast::FnDef def;
  if (!SignatureReader(drv, signature, header.begin).read(def))
    return;
  ast::FnDef *fn = drv.ctx.makeFn();
  *fn = std::move(def);
  fn->header = header;
  fn->range = whole;
  fn->body = body;
  drv.functions.push_back(fn);
}

} // namespace scry::parser
