// The front end's entry point: runs the flex scanner and the bison parser over one
// SourceFile (see parse.h), plus the Driver glue they share (driver.h).
#include "parser/parse.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "parser/driver.h"

namespace scry::parser {

namespace {

// Length of a leading `#!` line, without its newline; 0 when there is none.
uint32_t shebangLength(const std::string &text) {
  if (text.rfind("#!", 0) != 0)
    return 0;
  size_t newline = text.find('\n');
  return static_cast<uint32_t>(newline == std::string::npos ? text.size() : newline);
}

// The depth of the tree under `root`, walked with an explicit stack.
uint32_t treeDepth(ast::Node *root) {
  uint32_t deepest = 0;
  std::vector<std::pair<ast::Node *, uint32_t>> todo{{root, 1}};
  while (!todo.empty()) {
    ast::Node *node = todo.back().first;
    uint32_t depth = todo.back().second; // not a structured binding: clang 14 cannot capture one
    todo.pop_back();
    deepest = std::max(deepest, depth);
    ast::forEachChild(node, [&](ast::Node *child) { todo.emplace_back(child, depth + 1); });
  }
  return deepest;
}

} // namespace

Driver::Driver(const diag::SourcePart &source, ast::Context &context,
               diag::Diagnostics &diagnostics)
    : file(source), ctx(context), diags(diagnostics) {
  const std::string &text = file.text();
  uint32_t skipped = shebangLength(text);
  offset = token_begin = file.base() + skipped;
  scanner = startScanner(*this, text.data() + skipped, text.size() - skipped);
}

Driver::~Driver() { stopScanner(scanner); }

Parser::symbol_type Driver::next() {
  if (stopped || at_eof)
    return Parser::make_END(here());
  Parser::symbol_type token = lexToken(scanner);
  if (token.kind() == Parser::symbol_kind::S_YYEOF)
    at_eof = true;
  return token;
}

bool Driver::open(bool brace) {
  if (brace)
    ++brace_depth;
  else
    ++paren_depth;
  if (brace_depth + paren_depth <= kMaxNesting)
    return true;
  if (!stopped)
    error(diag::DiagId::NestingTooDeep,
          "brackets nested too deeply (more than " + std::to_string(kMaxNesting) + " open)");
  stopped = true;
  return false;
}

void Driver::noteDepth(ast::Node *node) {
  uint32_t depth = 1;
  ast::forEachChild(node, [&](ast::Node *child) {
    if (child->id() < depth_.size())
      depth = std::max(depth, depth_[child->id()] + 1);
  });
  if (depth_.size() <= node->id())
    depth_.resize(node->id() + 1, 0);
  depth_[node->id()] = depth;
  if (depth > kMaxNesting && !stopped) {
    diags.error(diag::DiagId::NestingTooDeep, node->range,
                "expression nested too deeply (more than " + std::to_string(kMaxNesting) +
                    " levels)");
    stopped = true;
  }
}

ast::Program *parse(diag::SourceFile &file, ast::Context &ctx, diag::Diagnostics &diags,
                    const std::string &import_dir) {
  Driver drv(file.parts().front(), ctx, diags);
  Parser parser(drv);
  bool parsed = parser.parse() == 0;
  auto end = static_cast<uint32_t>(file.text().size());
  // Past the depth limit the tree may be too deep for later passes: hand back none of it.
  if (!parsed || drv.stopped || !drv.program)
    return ctx.make<ast::Program>(diag::SourceRange{0, end}, std::vector<ast::ConfigItem *>{},
                                  std::vector<ast::Probe *>{});
  if (!drv.imports.empty())
    resolveImports(*drv.program, drv.imports, file, import_dir, ctx, diags);
  if ((!drv.program->macros.empty() || !drv.program->functions.empty()) && diags.ok()) {
    expandMacros(*drv.program, ctx, diags);
    // Expansion copies bodies into their callers: the result must still be shallow
    // enough for the recursive passes after this one.
    if (diags.ok() && treeDepth(drv.program) > kMaxNesting)
      diags.error(diag::DiagId::NestingTooDeep, diag::SourceRange{0, end},
                  "expression nested too deeply after macro expansion (more than " +
                      std::to_string(kMaxNesting) + " levels)");
    if (!diags.ok())
      return ctx.make<ast::Program>(diag::SourceRange{0, end}, std::vector<ast::ConfigItem *>{},
                                    std::vector<ast::Probe *>{});
  }
  if (drv.program->probes.empty() && diags.ok())
    diags.error(diag::DiagId::SyntaxError, diag::SourceRange{end, end},
                "syntax error, the program has no probes: expecting an attach point such as "
                "BEGIN or kprobe:vfs_read");
  return drv.program;
}

std::vector<Token> lexAll(const diag::SourceFile &file, diag::Diagnostics &diags) {
  ast::Context ctx;
  Driver drv(file.parts().front(), ctx, diags);
  std::vector<Token> tokens;
  for (;;) {
    Parser::symbol_type sym = drv.next();
    if (sym.kind() == Parser::symbol_kind::S_YYEOF)
      return tokens;
    Token token{sym.kind(), sym.location, {}, 0};
    switch (sym.kind()) {
    case Parser::symbol_kind::S_ATTACH_POINT:
    case Parser::symbol_kind::S_IDENT:
    case Parser::symbol_kind::S_VAR:
    case Parser::symbol_kind::S_MAP:
    case Parser::symbol_kind::S_STRING: token.text = sym.value.as<std::string>(); break;
    case Parser::symbol_kind::S_INT: token.integer = sym.value.as<uint64_t>(); break;
    default: // tokens without a value
      break;
    }
    tokens.push_back(std::move(token));
  }
}

} // namespace scry::parser
