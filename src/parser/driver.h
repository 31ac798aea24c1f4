// The state one parse shares between the flex scanner (src/lexer/lexer.l) and the
// bison parser (parser.yy): where nodes and errors go, the lexer's byte offset and
// nesting, and the depth guard that keeps the AST shallow enough for recursive passes.
// Private to the front end and its tests; the public entry point is parse.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "diag/diagnostics.h"
#include "parser/parser.hh"

namespace scry::parser {

// Brackets open at once, and AST depth, past which parsing stops with NestingTooDeep:
// sema, codegen and the printer walk the tree recursively.
constexpr uint32_t kMaxNesting = 1000;

// `import "path";`: the path as written, and the string's range.
struct ImportDecl {
  std::string path;
  diag::SourceRange range;
};

struct Driver {
  // Parses one part of a SourceFile (the main script or an imported file).
  Driver(const diag::SourcePart &source, ast::Context &context, diag::Diagnostics &diagnostics);
  ~Driver();
  Driver(const Driver &) = delete;
  Driver &operator=(const Driver &) = delete;

  // ---- Parser side -------------------------------------------------------
  // Builds a node and records its depth; the first node past kMaxNesting reports
  // NestingTooDeep and stops the parse.
  template <class T, class... Args> T *make(diag::SourceRange r, Args &&...args) {
    T *node = ctx.make<T>(r, std::forward<Args>(args)...);
    noteDepth(node);
    return node;
  }
  // The parser's yylex: the next token, or end of file once stopped.
  Parser::symbol_type next();
  void noteDepth(ast::Node *node);

  // ---- Lexer side ---------------------------------------------------------
  // Called by the scanner before each rule's action: the token is the next `len` bytes.
  void advance(uint32_t len) {
    token_begin = offset;
    offset += len;
  }
  diag::SourceRange tokenRange() const { return {token_begin, offset}; }
  diag::SourceRange here() const { return {offset, offset}; }
  // Counts an opening brace, or paren/bracket; false (after reporting NestingTooDeep
  // and stopping) when more than kMaxNesting are open.
  bool open(bool brace);
  void close() {
    if (paren_depth > 0)
      --paren_depth;
  }
  // Reports a lexical error at the current token.
  void error(diag::DiagId id, std::string message) {
    diags.error(id, tokenRange(), std::move(message));
  }

  const diag::SourcePart &file;
  ast::Context &ctx;
  diag::Diagnostics &diags;
  ast::Program *program = nullptr; // set by the start rule
  void *scanner = nullptr;         // yyscan_t, owned
  uint32_t offset = 0;             // byte offset of the next unread byte
  uint32_t token_begin = 0;
  uint32_t brace_depth = 0; // braces open in the current body or config block
  uint32_t paren_depth = 0; // ( and [ open; reset at ; { } where none can be open
  // `#define NAME VALUE` lines seen so far: NAME -> VALUE's text (an integer or a
  // string literal), substituted where NAME appears in expressions.
  std::map<std::string, std::string> defines;
  // The preamble's items, in source order, until the program node takes them.
  std::vector<ast::ConfigItem *> config;
  std::vector<ast::StructDef *> structs;
  std::vector<ast::MacroDef *> macros;
  std::vector<ast::MapDecl *> map_decls;
  std::vector<ast::FnDef *> functions; // issue 3: fn definitions
  std::vector<ImportDecl> imports; // in source order
  bool at_eof = false;      // the scanner returned end of file
  bool stopped = false;     // too deep: no more tokens, no more syntax errors

private:
  std::vector<uint32_t> depth_; // AST depth by node id
};

// The scanner, generated from src/lexer/lexer.l. `scanner` is the Driver's.
Parser::symbol_type lexToken(void *scanner);
// Creates a scanner over a copy of `size` bytes (NULs included) with `drv` as its state.
void *startScanner(Driver &drv, const char *bytes, size_t size);
void stopScanner(void *scanner);

// Replaces every call of a script macro in `program`'s probes with the macro's body
// (macros.cpp). Errors (arity, argument kinds, recursion, unhygienic maps) go to `diags`.
void expandMacros(ast::Program &program, ast::Context &ctx, diag::Diagnostics &diags);

// `fn` definitions (issue 3). defineFunction (fn_signature.cpp) reads the FN_DECL
// token's text (`fn name($a: T): R`, at `header`) and adds the function to drv.functions.
void defineFunction(Driver &drv, std::string_view signature, ast::SourceRange header,
                    ast::Block *body, ast::SourceRange whole);

// functions.cpp: checks a definition (name clashes with builtins and with `taken`
// macro and function names, duplicate parameters, a value-returning function that
// can fall off its end), reporting to `diags`; false if it cannot be called.
bool checkFunction(const ast::FnDef &def, const std::set<std::string> &taken,
                   diag::Diagnostics &diags);
// A call of `def` at `where` as an inlined block: the arguments bound to typed
// parameters, the body with `expand_calls` applied (macros.cpp's expansion of the
// calls inside) and its returns lowered. Its value is null for a void function.
// Null after an arity error.
ast::BlockExpr *inlineFunction(ast::Context &ctx, diag::Diagnostics &diags,
                               const ast::FnDef &def, const std::vector<ast::Expr *> &args,
                               ast::SourceRange where,
                               const std::function<void(ast::Block *)> &expand_calls);

// Loads the files `imports` name (imports.cpp) as parts of `file` and puts their
// definitions and probes before `program`'s own. `dir` is where the main script is.
void resolveImports(ast::Program &program, const std::vector<ImportDecl> &imports,
                    diag::SourceFile &file, const std::string &dir, ast::Context &ctx,
                    diag::Diagnostics &diags);

// Human-readable token name as used in syntax errors: `;`, `identifier`, `end of file`.
std::string tokenName(Parser::symbol_kind_type kind);

// One token, for the lexer's unit tests.
struct Token {
  Parser::symbol_kind_type kind;
  diag::SourceRange range;
  std::string text;     // identifier, variable, map, attach point, decoded string
  uint64_t integer = 0; // integer literal
};
// Every token of `file` up to end of file (not included); errors go to `diags`.
std::vector<Token> lexAll(const diag::SourceFile &file, diag::Diagnostics &diags);

} // namespace scry::parser
