// Type checking of getopt(name[, default[, description]]): literal arguments, one
// default per option, and the call's type from the default (bool without one). The
// value is known at compile time (named_params.cpp): a constant for codegen.
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

bool isDefaultLiteral(const ast::Expr *e) {
  if (ast::isa<ast::IntegerLit>(e) || ast::isa<ast::StringLit>(e))
    return true;
  if (auto *b = ast::dyn_cast<ast::Builtin>(e))
    return b->id == ast::BuiltinId::True || b->id == ast::BuiltinId::False;
  auto *neg = ast::dyn_cast<ast::Unary>(e);
  return neg && neg->op == ast::UnaryOp::Neg && ast::isa<ast::IntegerLit>(neg->operand);
}

} // namespace

Type Checker::checkGetopt(ast::Call *call) {
  auto *name = ast::dyn_cast<ast::StringLit>(call->args[0]);
  bool ok = true;
  if (!name) {
    check(call->args[0]);
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "First argument to 'getopt' must be a string literal.");
    ok = false;
  } else if (name->value.empty() || name->value == "help" ||
             name->value.find_first_of("= \t") != std::string::npos) {
    diags_.error(DiagId::ArgumentType, name->range,
                 "'" + name->value + "' cannot be a command line option name")
        .hint(name->value == "help" ? "-- --help lists the script's options"
                                    : "name it with letters, digits, '-' or '_'");
    ok = false;
  }
  if (call->args.size() >= 2 && !isDefaultLiteral(call->args[1])) {
    check(call->args[1]);
    diags_.error(DiagId::ArgumentType, call->args[1]->range,
                 "Second argument to 'getopt' must be a string literal, integer literal, or "
                 "a boolean literal.");
    ok = false;
  }
  if (call->args.size() == 3 && !ast::isa<ast::StringLit>(call->args[2])) {
    check(call->args[2]);
    diags_.error(DiagId::ArgumentType, call->args[2]->range,
                 "Third argument to 'getopt' (the description) must be a string literal.");
    ok = false;
  }
  const NamedParam *param = ok ? findNamedParam(analysis_.named_params, call) : nullptr;
  if (!param)
    return Type::none();
  for (auto *arg : call->args)
    check(arg);
  // The first call naming the option declared it; every other must agree on the default.
  NamedParam here;
  here.kind = NamedParamKind::Bool;
  here.default_text = "false";
  if (call->args.size() >= 2) {
    const ast::Expr *def = call->args[1];
    if (auto *s = ast::dyn_cast<ast::StringLit>(def))
      here.kind = NamedParamKind::String, here.default_text = s->value;
    else if (auto *b = ast::dyn_cast<ast::Builtin>(def))
      here.default_text = b->id == ast::BuiltinId::True ? "true" : "false";
    else if (auto *lit = ast::dyn_cast<ast::IntegerLit>(def))
      here.kind = NamedParamKind::Int, here.default_text = std::to_string(lit->value);
    else
      here.kind = NamedParamKind::Int,
      here.default_text =
          std::to_string(-static_cast<int64_t>(
              ast::cast<ast::IntegerLit>(ast::cast<ast::Unary>(def)->operand)->value));
  }
  if (here.kind != param->kind || here.default_text != param->default_text) {
    diags_.error(DiagId::NamedParameter, call->range,
                 "Command line option '" + param->name +
                     "' needs to have the same default value in all places it is used. "
                     "Previous default value: " + param->default_text)
        .hint("first used at " + placeOf(param->range));
    return Type::none();
  }
  switch (param->kind) {
  case NamedParamKind::Bool:
    analysis_.constants[call->Node::id()] = static_cast<uint64_t>(param->int_value);
    return Type::boolean();
  case NamedParamKind::Int:
    analysis_.constants[call->Node::id()] = static_cast<uint64_t>(param->int_value);
    return Type::integer(64, true);
  case NamedParamKind::String:
    return Type::string(static_cast<uint32_t>(param->str_value.size() + 1));
  }
  return Type::none();
}

} // namespace scry::sema
