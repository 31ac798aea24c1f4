// Helpers shared by the parser tests: parse a script and look at the result as the
// printer's text, a compact s-expression, or the list of diagnostics.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "ast/printer.h"
#include "parser/parse.h"

namespace scry::parser::test {

struct Parsed {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags;
  ast::Program *program = nullptr;

  explicit Parsed(std::string text) : file("stdin", std::move(text)), diags(&file) {
    program = parse(file, ctx, diags);
  }
  std::string rendered() const {
    std::ostringstream out;
    diags.render(out);
    return out.str();
  }
  // "Id@begin-end" for each diagnostic, space-separated.
  std::string ids() const {
    std::string out;
    for (const auto &d : diags.all())
      out += std::string(out.empty() ? "" : " ") + diag::diagIdName(d.id) + "@" +
             std::to_string(d.range.begin) + "-" + std::to_string(d.range.end);
    return out;
  }
};

inline std::string printed(const ast::Node *node) {
  std::ostringstream out;
  ast::print(node, out);
  return out.str();
}

// The printer's indented lines as one line: `(Binary + (IntegerLit 1) (Builtin pid))`.
inline std::string sexpr(const std::string &tree) {
  std::istringstream in(tree);
  std::string line, out;
  std::vector<size_t> open; // depths of the lines not yet closed
  while (std::getline(in, line)) {
    size_t depth = line.find_first_not_of(' ') / 2;
    while (!open.empty() && open.back() >= depth) {
      out += ")";
      open.pop_back();
    }
    out += (out.empty() ? "(" : " (") + line.substr(depth * 2);
    open.push_back(depth);
  }
  out.append(open.size(), ')');
  return out;
}

// The s-expression of the expression statement `expr` inside `BEGIN { expr }`.
inline std::string exprOf(const std::string &expr) {
  Parsed p("BEGIN { " + expr + " }");
  if (!p.diags.ok() || p.program->probes.empty())
    return "error: " + p.rendered();
  auto *body = p.program->probes[0]->body;
  if (body->stmts.size() != 1)
    return "error: not one statement";
  auto *stmt = ast::dyn_cast<ast::ExprStmt>(body->stmts[0]);
  if (!stmt)
    return "error: not an expression statement";
  return sexpr(printed(stmt->expr));
}

// The s-expression of the one statement in `BEGIN { stmt }`.
inline std::string stmtOf(const std::string &stmt) {
  Parsed p("BEGIN { " + stmt + " }");
  if (!p.diags.ok() || p.program->probes.empty())
    return "error: " + p.rendered();
  auto *body = p.program->probes[0]->body;
  if (body->stmts.size() != 1)
    return "error: " + std::to_string(body->stmts.size()) + " statements";
  return sexpr(printed(body->stmts[0]));
}

} // namespace scry::parser::test
