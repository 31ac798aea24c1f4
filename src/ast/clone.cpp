// Deep copies of AST subtrees (see clone.h). One exhaustive switch per node family, so
// a new node kind does not compile until it can be copied.
#include "ast/clone.h"

namespace scry::ast {

Variable *Cloner::variable(Variable *v) {
  return v ? ctx_.make<Variable>(v->range, variableName(*v)) : nullptr;
}

TypeName Cloner::typeName(const TypeName &t) {
  TypeName copy = t;
  copy.of = expr(t.of);
  return copy;
}

MapAccess *Cloner::mapAccess(MapAccess *m) {
  return m ? ctx_.make<MapAccess>(m->range, mapName(*m), exprs(m->keys)) : nullptr;
}

std::vector<Expr *> Cloner::exprs(const std::vector<Expr *> &list) {
  std::vector<Expr *> out;
  for (auto *e : list)
    out.push_back(expr(e));
  return out;
}

std::vector<Stmt *> Cloner::stmts(const std::vector<Stmt *> &list) {
  std::vector<Stmt *> out;
  for (auto *s : list)
    out.push_back(stmt(s));
  return out;
}

Block *Cloner::block(Block *b) {
  return b ? ctx_.make<Block>(b->range, stmts(b->stmts)) : nullptr;
}

Expr *Cloner::expr(Expr *e) {
  if (!e)
    return nullptr;
  if (Expr *replacement = replace(e))
    return replacement;
  return copyExpr(e);
}

Expr *Cloner::copyExpr(Expr *e) {
  SourceRange r = e->range;
  switch (e->kind()) {
  case NodeKind::IntegerLit:
    return ctx_.make<IntegerLit>(r, cast<IntegerLit>(e)->value);
  case NodeKind::StringLit:
    return ctx_.make<StringLit>(r, cast<StringLit>(e)->value);
  case NodeKind::Builtin:
    return ctx_.make<Builtin>(r, cast<Builtin>(e)->name);
  case NodeKind::Variable:
    return variable(cast<Variable>(e));
  case NodeKind::MapAccess:
    return mapAccess(cast<MapAccess>(e));
  case NodeKind::Binary: {
    auto *n = cast<Binary>(e);
    return ctx_.make<Binary>(r, n->op, expr(n->lhs), expr(n->rhs));
  }
  case NodeKind::Unary: {
    auto *n = cast<Unary>(e);
    return ctx_.make<Unary>(r, n->op, expr(n->operand));
  }
  case NodeKind::Ternary: {
    auto *n = cast<Ternary>(e);
    return ctx_.make<Ternary>(r, expr(n->cond), expr(n->then_expr), expr(n->else_expr));
  }
  case NodeKind::Call: {
    auto *n = cast<Call>(e);
    return ctx_.make<Call>(r, n->name, exprs(n->args));
  }
  case NodeKind::PositionalParam:
    return ctx_.make<PositionalParam>(r, cast<PositionalParam>(e)->index);
  case NodeKind::Cast: {
    auto *n = cast<Cast>(e);
    return ctx_.make<Cast>(r, typeName(n->type), expr(n->operand));
  }
  case NodeKind::Sizeof: {
    auto *n = cast<Sizeof>(e);
    return ctx_.make<Sizeof>(r, typeName(n->type), expr(n->operand));
  }
  case NodeKind::Tuple:
    return ctx_.make<Tuple>(r, exprs(cast<Tuple>(e)->elements), cast<Tuple>(e)->names);
  case NodeKind::TupleIndex: {
    auto *n = cast<TupleIndex>(e);
    return ctx_.make<TupleIndex>(r, expr(n->base), n->index);
  }
  case NodeKind::Index: {
    auto *n = cast<Index>(e);
    return ctx_.make<Index>(r, expr(n->base), expr(n->index));
  }
  case NodeKind::Offsetof: {
    auto *n = cast<Offsetof>(e);
    return ctx_.make<Offsetof>(r, n->type, expr(n->operand), n->path);
  }
  case NodeKind::BlockExpr: {
    auto *n = cast<BlockExpr>(e);
    return ctx_.make<BlockExpr>(r, stmts(n->stmts), expr(n->value));
  }
  case NodeKind::FieldAccess: {
    auto *n = cast<FieldAccess>(e);
    return ctx_.make<FieldAccess>(r, expr(n->base), n->field, n->is_arrow);
  }
  case NodeKind::ExprStmt:
  case NodeKind::AssignVar:
  case NodeKind::AssignMap:
  case NodeKind::If:
  case NodeKind::Return:
  case NodeKind::VarDecl:
  case NodeKind::While:
  case NodeKind::Unroll:
  case NodeKind::ForRange:
  case NodeKind::Jump:
  case NodeKind::ForMap:
  case NodeKind::Block:
  case NodeKind::AttachPoint:
  case NodeKind::Probe:
  case NodeKind::ConfigItem:
  case NodeKind::Program:
  case NodeKind::StructDef:
  case NodeKind::MacroDef:
  case NodeKind::MapDecl:
    break; // not expressions
  }
  return nullptr;
}

Stmt *Cloner::stmt(Stmt *s) {
  if (!s)
    return nullptr;
  SourceRange r = s->range;
  switch (s->kind()) {
  case NodeKind::ExprStmt: {
    auto *n = cast<ExprStmt>(s);
    auto *copy = ctx_.make<ExprStmt>(r, expr(n->expr));
    copy->is_value = n->is_value;
    return copy;
  }
  case NodeKind::AssignVar: {
    auto *n = cast<AssignVar>(s);
    return ctx_.make<AssignVar>(r, variable(n->var), expr(n->value));
  }
  case NodeKind::AssignMap: {
    auto *n = cast<AssignMap>(s);
    return ctx_.make<AssignMap>(r, mapAccess(n->map), expr(n->value));
  }
  case NodeKind::If: {
    auto *n = cast<If>(s);
    return ctx_.make<If>(r, expr(n->cond), block(n->then_block), stmt(n->else_stmt));
  }
  case NodeKind::Return:
    return ctx_.make<Return>(r, expr(cast<Return>(s)->value));
  case NodeKind::VarDecl: {
    auto *n = cast<VarDecl>(s);
    return ctx_.make<VarDecl>(r, variable(n->var), n->has_type, typeName(n->type),
                              expr(n->value));
  }
  case NodeKind::While: {
    auto *n = cast<While>(s);
    return ctx_.make<While>(r, expr(n->cond), block(n->body));
  }
  case NodeKind::Unroll: {
    auto *n = cast<Unroll>(s);
    return ctx_.make<Unroll>(r, expr(n->count), block(n->body));
  }
  case NodeKind::ForRange: {
    auto *n = cast<ForRange>(s);
    return ctx_.make<ForRange>(r, variable(n->var), expr(n->start), expr(n->end), block(n->body));
  }
  case NodeKind::Jump:
    return ctx_.make<Jump>(r, cast<Jump>(s)->is_break);
  case NodeKind::ForMap: {
    auto *n = cast<ForMap>(s);
    return ctx_.make<ForMap>(r, variable(n->var), mapAccess(n->map), block(n->body));
  }
  case NodeKind::Block:
    return block(cast<Block>(s));
  case NodeKind::IntegerLit:
  case NodeKind::StringLit:
  case NodeKind::Builtin:
  case NodeKind::Variable:
  case NodeKind::MapAccess:
  case NodeKind::Binary:
  case NodeKind::Unary:
  case NodeKind::Ternary:
  case NodeKind::Call:
  case NodeKind::PositionalParam:
  case NodeKind::Cast:
  case NodeKind::Sizeof:
  case NodeKind::Tuple:
  case NodeKind::TupleIndex:
  case NodeKind::Index:
  case NodeKind::Offsetof:
  case NodeKind::BlockExpr:
  case NodeKind::FieldAccess:
  case NodeKind::AttachPoint:
  case NodeKind::Probe:
  case NodeKind::ConfigItem:
  case NodeKind::Program:
  case NodeKind::StructDef:
  case NodeKind::MacroDef:
  case NodeKind::MapDecl:
    break; // not statements
  }
  return nullptr;
}

} // namespace scry::ast
