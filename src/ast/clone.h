// Deep copies of AST subtrees, for macro expansion (src/parser/macros.cpp): every node
// is made anew in the Context, so each copy has ids of its own and sema types each
// copy separately. Subclasses rename variables and maps and replace expressions.
#pragma once

#include <string>

#include "ast/ast.h"

namespace scry::ast {

class Cloner {
public:
  explicit Cloner(Context &ctx) : ctx_(ctx) {}
  virtual ~Cloner() = default;
  Cloner(const Cloner &) = delete;
  Cloner &operator=(const Cloner &) = delete;

  // Copies of `e`, `s`, `b` and everything under them; null stays null.
  Expr *expr(Expr *e);
  Stmt *stmt(Stmt *s);
  Block *block(Block *b);

protected:
  // Called for every expression before it is copied: a replacement to use instead
  // (built by the subclass), or null to copy `e`.
  virtual Expr *replace(Expr *e) {
    (void)e;
    return nullptr;
  }
  // The names copies of variables and maps get.
  virtual std::string variableName(const Variable &v) { return v.name; }
  virtual std::string mapName(const MapAccess &m) { return m.name; }

  Variable *variable(Variable *v);
  MapAccess *mapAccess(MapAccess *m);
  Context &ctx_;

private:
  Expr *copyExpr(Expr *e);
  TypeName typeName(const TypeName &t); // with a copy of typeof's operand
  std::vector<Expr *> exprs(const std::vector<Expr *> &list);
  std::vector<Stmt *> stmts(const std::vector<Stmt *> &list);
};

} // namespace scry::ast
