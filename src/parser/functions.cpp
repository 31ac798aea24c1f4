// User functions (issue 3), after the parse and alongside macro expansion (macros.cpp
// finds the calls): each call `f(a, b)` becomes an inlined copy of f's body,
//
//   { let $a (in fn f): T = a; let $b (in fn f): U = b; let $result (in fn f): R;
//     let $done (in fn f) = 0; BODY'; $result (in fn f) }
//
// where BODY' is the body with every `return v;` turned into `$result = v; $done = 1;`
// (and `break` out of an enclosing while), and the statements that could follow a
// return guarded by `if (!$done)`. Inlining, not BPF subprograms: the verifier sees one
// straight program, probe builtins keep working inside functions, and recursion is an
// error. Sema checks the arguments and returned values against the declared types
// (VarDecl::fn, AssignVar::fn_return).
#include <functional>
#include <set>

#include "ast/clone.h"
#include "parser/driver.h"

namespace scry::parser {

namespace {

using diag::DiagId;

// A copy of a function's body whose variables are its own.
class FnCloner : public ast::Cloner {
public:
  FnCloner(ast::Context &ctx, const ast::FnDef &def) : Cloner(ctx), def_(def) {}

protected:
  std::string variableName(const ast::Variable &v) override { return local(v.name); }

public:
  std::string local(const std::string &name) const { return name + " (in fn " + def_.name + ")"; }

private:
  const ast::FnDef &def_;
};

// Whether every path through `stmts` ends in a return (bpftrace: a while loop's body
// does not count, since the loop may not run).
bool alwaysReturns(const std::vector<ast::Stmt *> &stmts);
bool alwaysReturns(const ast::Stmt *s) {
  if (!s)
    return false;
  if (ast::isa<ast::Return>(s))
    return true;
  if (auto *b = ast::dyn_cast<ast::Block>(s))
    return alwaysReturns(b->stmts);
  if (auto *i = ast::dyn_cast<ast::If>(s))
    return alwaysReturns(i->then_block) && alwaysReturns(i->else_stmt);
  return false;
}
bool alwaysReturns(const std::vector<ast::Stmt *> &stmts) {
  for (const auto *s : stmts)
    if (alwaysReturns(s))
      return true;
  return false;
}

// Reports each `break`/`continue` of `body` outside the body's own loops: inlined, it
// would leave the caller's loop (bpftrace refuses them in functions). False if any.
bool checkJumps(ast::Block *body, diag::Diagnostics &diags) {
  bool ok = true;
  std::vector<std::pair<ast::Node *, bool>> todo{{body, false}}; // node, inside a loop
  while (!todo.empty()) {
    ast::Node *n = todo.back().first;
    bool in_loop = todo.back().second;
    todo.pop_back();
    if (auto *jump = ast::dyn_cast<ast::Jump>(n); jump && !in_loop) {
      diags.error(DiagId::FunctionError, jump->range,
                  std::string("'") + (jump->is_break ? "break" : "continue") +
                      "' statement is not allowed in a function");
      ok = false;
    }
    bool loop = ast::isa<ast::While>(n) || ast::isa<ast::Unroll>(n) ||
                ast::isa<ast::ForRange>(n) || ast::isa<ast::ForMap>(n);
    ast::forEachChild(n, [&](ast::Node *child) { todo.push_back({child, in_loop || loop}); });
  }
  return ok;
}

// Rewrites the returns of one inlined body (see the file comment).
class ReturnLowering {
public:
  ReturnLowering(ast::Context &ctx, diag::Diagnostics &diags, const ast::FnDef &def,
                 const FnCloner &names)
      : ctx_(ctx), diags_(diags), def_(def), result_(names.local("$result")),
        done_(names.local("$done")) {}

  // `stmts` rewritten; true if a return may have run by their end.
  bool lower(std::vector<ast::Stmt *> &stmts, bool in_while) {
    std::vector<ast::Stmt *> out;
    bool may_return = false;
    for (size_t i = 0; i < stmts.size(); ++i) {
      ast::Stmt *s = stmts[i];
      bool returns = ast::isa<ast::Return>(s);
      bool may = lowerStmt(s, in_while);
      out.push_back(s);
      may_return = may_return || may;
      if (!may || i + 1 == stmts.size())
        continue;
      if (returns)
        break; // the rest cannot run
      if (in_while) {
        out.push_back(ifDone(ctx_.make<ast::Jump>(s->range, true)));
        continue;
      }
      std::vector<ast::Stmt *> rest(stmts.begin() + static_cast<long>(i) + 1, stmts.end());
      lower(rest, in_while);
      auto *not_done = ctx_.make<ast::Unary>(s->range, ast::UnaryOp::LogicalNot, done(s->range));
      out.push_back(ctx_.make<ast::If>(s->range, not_done,
                                       ctx_.make<ast::Block>(s->range, std::move(rest)), nullptr));
      break;
    }
    stmts = std::move(out);
    return may_return;
  }

private:
  ast::Variable *done(ast::SourceRange r) { return ctx_.make<ast::Variable>(r, done_); }
  ast::Stmt *ifDone(ast::Stmt *then) {
    auto *block = ctx_.make<ast::Block>(then->range, std::vector<ast::Stmt *>{then});
    return ctx_.make<ast::If>(then->range, done(then->range), block, nullptr);
  }

  // Rewrites `s` in place (a Return is replaced); true if it may return.
  bool lowerStmt(ast::Stmt *&s, bool in_while) {
    switch (s->kind()) {
    case ast::NodeKind::Return:
      s = lowerReturn(ast::cast<ast::Return>(s), in_while);
      return true;
    case ast::NodeKind::Block:
      return lower(ast::cast<ast::Block>(s)->stmts, in_while);
    case ast::NodeKind::If: {
      auto *n = ast::cast<ast::If>(s);
      bool then = lower(n->then_block->stmts, in_while);
      bool other = n->else_stmt && lowerStmt(n->else_stmt, in_while);
      return then || other;
    }
    case ast::NodeKind::While:
      return lower(ast::cast<ast::While>(s)->body->stmts, true);
    case ast::NodeKind::Unroll: {
      // No break inside an unrolled body: each copy is skipped once a return ran.
      auto *body = ast::cast<ast::Unroll>(s)->body;
      if (!lower(body->stmts, false))
        return false;
      auto *not_done = ctx_.make<ast::Unary>(s->range, ast::UnaryOp::LogicalNot, done(s->range));
      auto *guarded = ctx_.make<ast::If>(s->range, not_done,
                                         ctx_.make<ast::Block>(s->range, std::move(body->stmts)),
                                         nullptr);
      body->stmts = {guarded};
      return true;
    }
    case ast::NodeKind::ForRange:
    case ast::NodeKind::ForMap: {
      // A for loop's body is a callback (bpf_loop, for_each_map_elem): it cannot leave.
      std::vector<ast::Node *> todo{s};
      while (!todo.empty()) {
        ast::Node *n = todo.back();
        todo.pop_back();
        if (ast::isa<ast::Return>(n))
          diags_.error(DiagId::InvalidLoop, n->range,
                       "'return' statement is not allowed in a for-loop");
        ast::forEachChild(n, [&](ast::Node *child) { todo.push_back(child); });
      }
      return false;
    }
    default:
      return false; // no statements below
    }
  }

  ast::Stmt *lowerReturn(ast::Return *ret, bool in_while) {
    ast::SourceRange r = ret->range;
    std::vector<ast::Stmt *> stmts;
    if (ret->value && def_.isVoid())
      diags_.error(DiagId::FunctionError, r,
                   "Function " + def_.name + " is of type void, cannot return a value");
    else if (!ret->value && !def_.isVoid())
      diags_.error(DiagId::FunctionError, r,
                   "Function " + def_.name + " is of type " + def_.result.str() +
                       ", cannot return void");
    else if (ret->value) {
      auto *assign = ctx_.make<ast::AssignVar>(r, ctx_.make<ast::Variable>(r, result_), ret->value);
      assign->fn_return = &def_;
      stmts.push_back(assign);
    }
    stmts.push_back(ctx_.make<ast::AssignVar>(r, done(r), ctx_.make<ast::IntegerLit>(r, 1)));
    if (in_while)
      stmts.push_back(ctx_.make<ast::Jump>(r, true));
    return ctx_.make<ast::Block>(r, std::move(stmts));
  }

  ast::Context &ctx_;
  diag::Diagnostics &diags_;
  const ast::FnDef &def_;
  std::string result_, done_;
};

} // namespace

bool checkFunction(const ast::FnDef &def, const std::set<std::string> &taken,
                   diag::Diagnostics &diags) {
  if (ast::lookupFunction(def.name) != ast::FuncId::Unknown ||
      ast::lookupBuiltin(def.name) != ast::BuiltinId::Unknown) {
    diags.error(DiagId::FunctionError, def.header,
                "Function " + def.name + " has the name of a builtin or function")
        .hint("rename it: a user function cannot replace a builtin");
    return false;
  }
  if (taken.count(def.name)) {
    diags.error(DiagId::FunctionError, def.header,
                "Redefinition of function or macro: " + def.name);
    return false;
  }
  bool ok = true;
  std::set<std::string> names;
  for (const auto &param : def.params)
    if (!names.insert(param.name).second) {
      diags.error(DiagId::FunctionError, param.range,
                  "Parameter " + param.name + " is declared twice in fn " + def.name);
      ok = false;
    }
  if (!checkJumps(def.body, diags))
    ok = false;
  if (!def.isVoid() && !alwaysReturns(def.body->stmts)) {
    diags.error(DiagId::FunctionError, def.header, "Not all code paths returned a value")
        .hint("end every path through fn " + def.name + " with return, or declare it : void");
    ok = false;
  }
  return ok;
}

ast::BlockExpr *inlineFunction(ast::Context &ctx, diag::Diagnostics &diags,
                               const ast::FnDef &def, const std::vector<ast::Expr *> &args,
                               ast::SourceRange where,
                               const std::function<void(ast::Block *)> &expand_calls) {
  if (args.size() != def.params.size()) {
    diags.error(DiagId::ArgumentCount, where,
                def.name + "() requires " + std::to_string(def.params.size()) + " argument" +
                    (def.params.size() == 1 ? "" : "s") + " (" + std::to_string(args.size()) +
                    " provided)")
        .hint("fn " + def.signature());
    return nullptr;
  }
  FnCloner cloner(ctx, def);
  ast::Block *body = cloner.block(def.body);
  expand_calls(body); // macros and functions called by the body
  std::vector<ast::Stmt *> stmts;
  for (size_t i = 0; i < args.size(); ++i) {
    const ast::FnParam &param = def.params[i];
    auto *var = ctx.make<ast::Variable>(param.range, cloner.local(param.name));
    auto *decl = ctx.make<ast::VarDecl>(args[i]->range, var, true, param.type, args[i]);
    decl->fn = &def;
    decl->fn_param = i;
    stmts.push_back(decl);
  }
  ast::Expr *value = nullptr;
  if (!def.isVoid()) {
    auto *var = ctx.make<ast::Variable>(where, cloner.local("$result"));
    auto *decl = ctx.make<ast::VarDecl>(where, var, true, def.result, nullptr);
    decl->fn = &def;
    stmts.push_back(decl);
    value = ctx.make<ast::Variable>(where, cloner.local("$result"));
  }
  stmts.push_back(ctx.make<ast::VarDecl>(where, ctx.make<ast::Variable>(where, cloner.local("$done")),
                                         false, ast::TypeName{}, ctx.make<ast::IntegerLit>(where, 0)));
  ReturnLowering(ctx, diags, def, cloner).lower(body->stmts, false);
  stmts.insert(stmts.end(), body->stmts.begin(), body->stmts.end());
  return ctx.make<ast::BlockExpr>(where, std::move(stmts), value);
}

} // namespace scry::parser

namespace scry::ast {

std::string FnDef::signature() const {
  std::string s = name + "(";
  for (size_t i = 0; i < params.size(); ++i)
    s += (i ? ", " : "") + params[i].name + ": " + params[i].type.str();
  return s + "): " + result.str();
}

} // namespace scry::ast
