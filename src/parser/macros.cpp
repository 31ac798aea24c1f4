// Macro expansion, the parser's last step (bpftrace 0.25's hygienic macros): every call
// of a script macro, `name(args)` or a bare `name` for one without parameters, is
// replaced by a copy of the macro's body. A `$x` parameter binds a variable of the
// caller, `@m` a map of the caller, and `x` an expression, copied at each use; other
// variables of the body are renamed so they cannot meet the caller's, and maps not
// passed in are refused. As a value, the call becomes a BlockExpr whose value is the
// body's last expression; as a statement, a Block.
#include <algorithm>
#include <map>
#include <set>

#include "ast/clone.h"
#include "parser/driver.h"

namespace scry::parser {

namespace {

using ast::MacroParam;
using diag::DiagId;

// Past these, expansion stops: nested macros multiply the tree's size.
constexpr size_t kMaxExpansionDepth = 64;
constexpr uint32_t kMaxNodes = 1'000'000;

// The call of one macro: copies the body with the parameters bound.
class BodyCloner : public ast::Cloner {
public:
  bool too_large = false; // stopped copying arguments at kMaxNodes

  BodyCloner(ast::Context &ctx, diag::Diagnostics &diags, const ast::MacroDef &def,
             const std::vector<ast::Expr *> &args)
      : Cloner(ctx), diags_(diags), def_(def) {
    for (size_t i = 0; i < def.params.size(); ++i)
      bound_[def.params[i].name] = args[i];
  }

protected:
  // An expression parameter, used as an identifier: a fresh copy of the argument,
  // whose names are the caller's.
  ast::Expr *replace(ast::Expr *e) override {
    auto *ident = ast::dyn_cast<ast::Builtin>(e);
    if (!ident)
      return nullptr;
    auto it = bound_.find(ident->name);
    if (it == bound_.end())
      return nullptr;
    // Arguments used several times in nested macros grow the tree geometrically.
    if (ctx_.size() >= kMaxNodes) {
      too_large = true;
      return ctx_.make<ast::IntegerLit>(e->range, 0);
    }
    return ast::Cloner(ctx_).expr(it->second);
  }
  std::string variableName(const ast::Variable &v) override {
    if (auto it = bound_.find(v.name); it != bound_.end())
      return ast::cast<ast::Variable>(it->second)->name;
    return v.name + " (in macro " + def_.name + ")";
  }
  std::string mapName(const ast::MapAccess &m) override {
    if (auto it = bound_.find(m.name); it != bound_.end())
      return ast::cast<ast::MapAccess>(it->second)->name;
    if (reported_.insert(m.name).second)
      diags_.error(DiagId::MacroError, m.range,
                   "Unhygienic access to map: " + m.name +
                       ". Maps must be passed into the macro as arguments")
          .hint("add a parameter such as " + m.name + " to macro " + def_.name);
    return m.name;
  }

private:
  diag::Diagnostics &diags_;
  const ast::MacroDef &def_;
  std::map<std::string, ast::Expr *> bound_; // parameter name -> the call's argument
  std::set<std::string> reported_;
};

const char *argumentKind(const ast::Expr *arg) {
  if (ast::isa<ast::Variable>(arg))
    return "a variable";
  if (auto *map = ast::dyn_cast<ast::MapAccess>(arg); map && map->keys.empty())
    return "a map";
  return "an expression";
}

class Expander {
public:
  Expander(ast::Context &ctx, diag::Diagnostics &diags) : ctx_(ctx), diags_(diags) {}

  void run(ast::Program &program) {
    for (auto *def : program.macros)
      define(def);
    std::set<std::string> taken; // issue 3: user functions, inlined like macros
    for (auto &[name, def] : macros_)
      taken.insert(name);
    for (auto *fn : program.functions) {
      if (checkFunction(*fn, taken, diags_))
        functions_[fn->name] = fn;
      taken.insert(fn->name);
    }
    for (auto *probe : program.probes) {
      probe->predicate = expr(probe->predicate);
      block(probe->body);
    }
  }

private:
  void define(ast::MacroDef *def);
  ast::Expr *expr(ast::Expr *e);
  ast::Stmt *stmt(ast::Stmt *s);
  void block(ast::Block *b) {
    if (b)
      for (auto *&s : b->stmts)
        s = stmt(s);
  }
  void stmts(std::vector<ast::Stmt *> &list) {
    for (auto *&s : list)
      s = stmt(s);
  }
  void exprs(std::vector<ast::Expr *> &list) {
    for (auto *&e : list)
      e = expr(e);
  }
  // The macro a call or bare identifier names, or null.
  const ast::MacroDef *macroFor(const ast::Expr *e) const;
  // The body of `def` for a call at `where`, hygienic and expanded; null after an error.
  ast::Block *expand(const ast::MacroDef &def, const std::vector<ast::Expr *> &args,
                     ast::SourceRange where);
  bool checkArguments(const ast::MacroDef &def, const std::vector<ast::Expr *> &args,
                      ast::SourceRange where);

  // The function a call names, or null; and the call inlined (functions.cpp).
  const ast::FnDef *functionFor(const ast::Expr *e) const;
  ast::BlockExpr *callFunction(const ast::FnDef &def, ast::Call *call);
  std::string recursionChain(const std::string &name) const;

  ast::Context &ctx_;
  diag::Diagnostics &diags_;
  std::map<std::string, const ast::MacroDef *> macros_;
  std::map<std::string, const ast::FnDef *> functions_;
  std::vector<std::string> stack_; // macros being expanded, outermost first
  bool stopped_ = false;          // expansion too deep or too large: reported once
};

void Expander::define(ast::MacroDef *def) {
  if (ast::lookupFunction(def->name) != ast::FuncId::Unknown ||
      ast::lookupBuiltin(def->name) != ast::BuiltinId::Unknown) {
    diags_.error(DiagId::MacroError, def->range,
                 "Macro " + def->name + " has the name of a builtin or function");
    return;
  }
  if (!macros_.emplace(def->name, def).second) {
    diags_.error(DiagId::MacroError, def->range, "Redefinition of macro: " + def->name);
    return;
  }
  std::set<std::string> names;
  for (const auto &param : def->params) {
    if (!names.insert(param.name).second)
      diags_.error(DiagId::MacroError, param.range,
                   "Variable for macro argument has already been used: " + param.name);
    if (param.kind == MacroParam::Kind::Expression &&
        ast::lookupBuiltin(param.name) != ast::BuiltinId::Unknown)
      diags_.error(DiagId::MacroError, param.range,
                   "Macro parameter " + param.name + " has the name of a builtin");
  }
  // A declaration in the body may not shadow a variable parameter.
  std::vector<ast::Node *> todo{def->body};
  while (!todo.empty()) {
    ast::Node *n = todo.back();
    todo.pop_back();
    ast::Variable *declared = nullptr;
    if (auto *decl = ast::dyn_cast<ast::VarDecl>(n))
      declared = decl->var;
    else if (auto *range = ast::dyn_cast<ast::ForRange>(n))
      declared = range->var;
    else if (auto *each = ast::dyn_cast<ast::ForMap>(n))
      declared = each->var;
    if (declared && names.count(declared->name))
      diags_.error(DiagId::MacroError, declared->range,
                   "Variable declaration shadows macro arg " + declared->name);
    ast::forEachChild(n, [&](ast::Node *child) { todo.push_back(child); });
  }
}

const ast::MacroDef *Expander::macroFor(const ast::Expr *e) const {
  std::string name;
  if (auto *call = ast::dyn_cast<ast::Call>(e); call && call->id == ast::FuncId::Unknown)
    name = call->name;
  else if (auto *ident = ast::dyn_cast<ast::Builtin>(e); ident && ident->id == ast::BuiltinId::Unknown)
    name = ident->name;
  auto it = macros_.find(name);
  return it == macros_.end() ? nullptr : it->second;
}

const ast::FnDef *Expander::functionFor(const ast::Expr *e) const {
  auto *call = ast::dyn_cast<ast::Call>(e);
  if (!call || call->id != ast::FuncId::Unknown)
    return nullptr;
  auto it = functions_.find(call->name);
  return it == functions_.end() ? nullptr : it->second;
}

// "a > b > a" when calling `name` would reach a macro or function already being
// expanded (from its first call on the stack), "" otherwise.
std::string Expander::recursionChain(const std::string &name) const {
  auto first = std::find(stack_.begin(), stack_.end(), name);
  if (first == stack_.end())
    return "";
  std::string chain;
  for (auto it = first; it != stack_.end(); ++it)
    chain += *it + " > ";
  return chain + name;
}

// Functions share the macros' call stack: a function that reaches itself, directly or
// through macros and other functions, cannot be inlined.
ast::BlockExpr *Expander::callFunction(const ast::FnDef &def, ast::Call *call) {
  if (stopped_)
    return nullptr;
  if (std::string chain = recursionChain(def.name); !chain.empty()) {
    diags_.error(DiagId::FunctionError, call->range,
                 "Recursive function call detected. Call chain: " + chain)
        .hint("user functions are inlined at each call, so they cannot recurse");
    return nullptr;
  }
  if (stack_.size() >= kMaxExpansionDepth || ctx_.size() >= kMaxNodes) {
    diags_.error(DiagId::FunctionError, call->range,
                 "function inlining too deep or too large (more than " +
                     std::to_string(kMaxExpansionDepth) + " nested calls or " +
                     std::to_string(kMaxNodes) + " nodes)");
    stopped_ = true;
    return nullptr;
  }
  stack_.push_back(def.name);
  ast::BlockExpr *inlined = inlineFunction(ctx_, diags_, def, call->args, call->range,
                                           [this](ast::Block *body) { block(body); });
  stack_.pop_back();
  return inlined;
}

bool Expander::checkArguments(const ast::MacroDef &def, const std::vector<ast::Expr *> &args,
                              ast::SourceRange where) {
  if (args.size() != def.params.size()) {
    diags_.error(DiagId::MacroError, where,
                 "Call to macro " + def.name + " has the wrong number of arguments. Expected: " +
                     std::to_string(def.params.size()) + " but got " +
                     std::to_string(args.size()))
        .hint("macro " + def.name + " is defined here: " + def.name + "(" +
              [&] {
                std::string list;
                for (const auto &p : def.params)
                  list += (list.empty() ? "" : ", ") + p.name;
                return list;
              }() + ")");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < args.size(); ++i) {
    const MacroParam &param = def.params[i];
    const char *got = argumentKind(args[i]);
    const char *want = param.kind == MacroParam::Kind::Variable ? "a variable"
                       : param.kind == MacroParam::Kind::Map    ? "a map"
                                                                : nullptr;
    if (want && std::string(want) != got) {
      diags_.error(DiagId::MacroError, args[i]->range,
                   "Mismatched arg to macro call. Macro expects " + std::string(want) +
                       " for arg " + param.name + " but got " + got + ".");
      ok = false;
    }
  }
  return ok;
}

ast::Block *Expander::expand(const ast::MacroDef &def, const std::vector<ast::Expr *> &args,
                             ast::SourceRange where) {
  if (stopped_)
    return nullptr;
  if (std::string chain = recursionChain(def.name); !chain.empty()) {
    diags_.error(DiagId::MacroError, where, "Recursive macro call detected. Call chain: " + chain);
    return nullptr;
  }
  if (stack_.size() >= kMaxExpansionDepth || ctx_.size() >= kMaxNodes) {
    diags_.error(DiagId::MacroError, where,
                 "macro expansion too deep or too large (more than " +
                     std::to_string(kMaxExpansionDepth) + " nested calls or " +
                     std::to_string(kMaxNodes) + " nodes)");
    stopped_ = true;
    return nullptr;
  }
  if (!checkArguments(def, args, where))
    return nullptr;
  BodyCloner cloner(ctx_, diags_, def, args);
  ast::Block *body = cloner.block(def.body);
  if (cloner.too_large) {
    diags_.error(DiagId::MacroError, where,
                 "macro expansion too large (more than " + std::to_string(kMaxNodes) + " nodes)");
    stopped_ = true;
    return nullptr;
  }
  body->range = where;
  stack_.push_back(def.name);
  block(body);
  stack_.pop_back();
  return body;
}

ast::Expr *Expander::expr(ast::Expr *e) {
  if (!e)
    return nullptr;
  // The children first: a macro's arguments are expanded where they are written.
  switch (e->kind()) {
  case ast::NodeKind::IntegerLit:
  case ast::NodeKind::StringLit:
  case ast::NodeKind::Builtin:
  case ast::NodeKind::Variable:
  case ast::NodeKind::PositionalParam:
    break;
  case ast::NodeKind::MapAccess:
    exprs(ast::cast<ast::MapAccess>(e)->keys);
    break;
  case ast::NodeKind::Binary: {
    auto *n = ast::cast<ast::Binary>(e);
    n->lhs = expr(n->lhs);
    n->rhs = expr(n->rhs);
    break;
  }
  case ast::NodeKind::Unary:
    ast::cast<ast::Unary>(e)->operand = expr(ast::cast<ast::Unary>(e)->operand);
    break;
  case ast::NodeKind::Ternary: {
    auto *n = ast::cast<ast::Ternary>(e);
    n->cond = expr(n->cond);
    n->then_expr = expr(n->then_expr);
    n->else_expr = expr(n->else_expr);
    break;
  }
  case ast::NodeKind::Call:
    exprs(ast::cast<ast::Call>(e)->args);
    break;
  case ast::NodeKind::Cast:
    ast::cast<ast::Cast>(e)->type.of = expr(ast::cast<ast::Cast>(e)->type.of); // typeof(e)
    ast::cast<ast::Cast>(e)->operand = expr(ast::cast<ast::Cast>(e)->operand);
    break;
  case ast::NodeKind::Sizeof:
    ast::cast<ast::Sizeof>(e)->type.of = expr(ast::cast<ast::Sizeof>(e)->type.of);
    ast::cast<ast::Sizeof>(e)->operand = expr(ast::cast<ast::Sizeof>(e)->operand);
    break;
  case ast::NodeKind::Tuple:
    exprs(ast::cast<ast::Tuple>(e)->elements);
    break;
  case ast::NodeKind::TupleIndex:
    ast::cast<ast::TupleIndex>(e)->base = expr(ast::cast<ast::TupleIndex>(e)->base);
    break;
  case ast::NodeKind::Index: {
    auto *n = ast::cast<ast::Index>(e);
    n->base = expr(n->base);
    n->index = expr(n->index);
    break;
  }
  case ast::NodeKind::Offsetof:
    ast::cast<ast::Offsetof>(e)->operand = expr(ast::cast<ast::Offsetof>(e)->operand);
    break;
  case ast::NodeKind::BlockExpr: {
    auto *n = ast::cast<ast::BlockExpr>(e);
    stmts(n->stmts);
    n->value = expr(n->value);
    break;
  }
  case ast::NodeKind::FieldAccess:
    ast::cast<ast::FieldAccess>(e)->base = expr(ast::cast<ast::FieldAccess>(e)->base);
    break;
  case ast::NodeKind::ExprStmt:
  case ast::NodeKind::AssignVar:
  case ast::NodeKind::AssignMap:
  case ast::NodeKind::If:
  case ast::NodeKind::Return:
  case ast::NodeKind::VarDecl:
  case ast::NodeKind::While:
  case ast::NodeKind::Unroll:
  case ast::NodeKind::ForRange:
  case ast::NodeKind::Jump:
  case ast::NodeKind::ForMap:
  case ast::NodeKind::Block:
  case ast::NodeKind::AttachPoint:
  case ast::NodeKind::Probe:
  case ast::NodeKind::ConfigItem:
  case ast::NodeKind::Program:
  case ast::NodeKind::StructDef:
  case ast::NodeKind::MacroDef:
  case ast::NodeKind::MapDecl:
    break; // not expressions
  }
  if (const ast::FnDef *fn = functionFor(e)) {
    ast::BlockExpr *inlined = callFunction(*fn, ast::cast<ast::Call>(e));
    if (inlined && !inlined->value)
      diags_.error(DiagId::FunctionError, e->range,
                   "Function " + fn->name + " is of type void and has no value to use");
    return inlined ? inlined : e;
  }
  const ast::MacroDef *def = macroFor(e);
  if (!def)
    return e;
  auto *call = ast::dyn_cast<ast::Call>(e);
  if (!call && !def->params.empty()) {
    diags_.error(DiagId::MacroError, e->range,
                 "Call to macro " + def->name + " has no arguments. Expected: " +
                     std::to_string(def->params.size()));
    return e;
  }
  ast::Block *body = expand(*def, call ? call->args : std::vector<ast::Expr *>{}, e->range);
  if (!body)
    return e;
  auto *last = body->stmts.empty() ? nullptr : ast::dyn_cast<ast::ExprStmt>(body->stmts.back());
  if (!last || !last->is_value) {
    diags_.error(DiagId::MacroError, e->range,
                 "Macro '" + def->name +
                     "' expanded to a block instead of a block expression. Try removing the "
                     "semicolon from the end of the last statement in the macro body.");
    return e;
  }
  body->stmts.pop_back();
  return ctx_.make<ast::BlockExpr>(e->range, std::move(body->stmts), last->expr);
}

ast::Stmt *Expander::stmt(ast::Stmt *s) {
  if (!s)
    return nullptr;
  switch (s->kind()) {
  case ast::NodeKind::ExprStmt: {
    auto *n = ast::cast<ast::ExprStmt>(s);
    if (const ast::FnDef *fn = functionFor(n->expr)) {
      // As a statement the value, if any, is dropped: the inlined body is a block.
      auto *call = ast::cast<ast::Call>(n->expr);
      exprs(call->args);
      ast::BlockExpr *inlined = callFunction(*fn, call);
      if (!inlined)
        return s;
      return ctx_.make<ast::Block>(s->range, std::move(inlined->stmts));
    }
    if (const ast::MacroDef *def = macroFor(n->expr)) {
      // As a statement the body needs no value: it is a block of its own.
      auto *call = ast::dyn_cast<ast::Call>(n->expr);
      if (call)
        exprs(call->args);
      if (!call && !def->params.empty()) {
        n->expr = expr(n->expr); // reports the missing arguments
        return s;
      }
      ast::Block *body = expand(*def, call ? call->args : std::vector<ast::Expr *>{}, s->range);
      return body ? body : s;
    }
    n->expr = expr(n->expr);
    return s;
  }
  case ast::NodeKind::AssignVar:
    ast::cast<ast::AssignVar>(s)->value = expr(ast::cast<ast::AssignVar>(s)->value);
    return s;
  case ast::NodeKind::AssignMap: {
    auto *n = ast::cast<ast::AssignMap>(s);
    exprs(n->map->keys);
    n->value = expr(n->value);
    return s;
  }
  case ast::NodeKind::If: {
    auto *n = ast::cast<ast::If>(s);
    n->cond = expr(n->cond);
    block(n->then_block);
    n->else_stmt = stmt(n->else_stmt);
    return s;
  }
  case ast::NodeKind::Return:
    ast::cast<ast::Return>(s)->value = expr(ast::cast<ast::Return>(s)->value);
    return s;
  case ast::NodeKind::VarDecl:
    ast::cast<ast::VarDecl>(s)->type.of = expr(ast::cast<ast::VarDecl>(s)->type.of); // typeof(e)
    ast::cast<ast::VarDecl>(s)->value = expr(ast::cast<ast::VarDecl>(s)->value);
    return s;
  case ast::NodeKind::While: {
    auto *n = ast::cast<ast::While>(s);
    n->cond = expr(n->cond);
    block(n->body);
    return s;
  }
  case ast::NodeKind::Unroll:
    block(ast::cast<ast::Unroll>(s)->body);
    return s;
  case ast::NodeKind::ForRange: {
    auto *n = ast::cast<ast::ForRange>(s);
    n->start = expr(n->start);
    n->end = expr(n->end);
    block(n->body);
    return s;
  }
  case ast::NodeKind::ForMap:
    block(ast::cast<ast::ForMap>(s)->body);
    return s;
  case ast::NodeKind::Block:
    block(ast::cast<ast::Block>(s));
    return s;
  case ast::NodeKind::Jump:
  case ast::NodeKind::IntegerLit:
  case ast::NodeKind::StringLit:
  case ast::NodeKind::Builtin:
  case ast::NodeKind::Variable:
  case ast::NodeKind::MapAccess:
  case ast::NodeKind::Binary:
  case ast::NodeKind::Unary:
  case ast::NodeKind::Ternary:
  case ast::NodeKind::Call:
  case ast::NodeKind::PositionalParam:
  case ast::NodeKind::Cast:
  case ast::NodeKind::Sizeof:
  case ast::NodeKind::Tuple:
  case ast::NodeKind::TupleIndex:
  case ast::NodeKind::Index:
  case ast::NodeKind::Offsetof:
  case ast::NodeKind::BlockExpr:
  case ast::NodeKind::FieldAccess:
  case ast::NodeKind::AttachPoint:
  case ast::NodeKind::Probe:
  case ast::NodeKind::ConfigItem:
  case ast::NodeKind::Program:
  case ast::NodeKind::StructDef:
  case ast::NodeKind::MacroDef:
  case ast::NodeKind::MapDecl:
    return s;
  }
  return s;
}

} // namespace

void expandMacros(ast::Program &program, ast::Context &ctx, diag::Diagnostics &diags) {
  Expander(ctx, diags).run(program);
}

} // namespace scry::parser
