// Type checking of expressions.
#include <limits>

#include "sema/checker.h"
#include "support/strings.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

Type Checker::check(ast::Expr *expr) {
  Type t = checkExpr(expr);
  typeSlot(expr) = t;
  return t;
}

Type Checker::checkExpr(ast::Expr *expr) {
  switch (expr->kind()) {
  case ast::NodeKind::IntegerLit: {
    auto *lit = ast::cast<ast::IntegerLit>(expr);
    bool fits_signed = lit->value <= uint64_t(std::numeric_limits<int64_t>::max());
    return Type::integer(64, fits_signed);
  }
  case ast::NodeKind::StringLit:
    return Type::string(static_cast<uint32_t>(ast::cast<ast::StringLit>(expr)->value.size() + 1));
  case ast::NodeKind::Builtin:
    return checkBuiltin(ast::cast<ast::Builtin>(expr));
  case ast::NodeKind::Variable:
    return checkVariable(ast::cast<ast::Variable>(expr));
  case ast::NodeKind::MapAccess:
    return checkMapRead(ast::cast<ast::MapAccess>(expr));
  case ast::NodeKind::Binary:
    return checkBinary(ast::cast<ast::Binary>(expr));
  case ast::NodeKind::Unary:
    return checkUnary(ast::cast<ast::Unary>(expr));
  case ast::NodeKind::Ternary:
    return checkTernary(ast::cast<ast::Ternary>(expr));
  case ast::NodeKind::Call:
    return checkCall(ast::cast<ast::Call>(expr), CallUse::Value);
  case ast::NodeKind::FieldAccess:
    return checkFieldAccess(ast::cast<ast::FieldAccess>(expr));
  case ast::NodeKind::ExprStmt:
  case ast::NodeKind::AssignVar:
  case ast::NodeKind::AssignMap:
  case ast::NodeKind::If:
  case ast::NodeKind::Return:
  case ast::NodeKind::Block:
  case ast::NodeKind::AttachPoint:
  case ast::NodeKind::Probe:
  case ast::NodeKind::ConfigItem:
  case ast::NodeKind::Program:
    break;
  }
  return Type::none();
}

Type Checker::checkBuiltin(ast::Builtin *builtin) {
  switch (builtin->id) {
  case ast::BuiltinId::Pid:
  case ast::BuiltinId::Tid:
  case ast::BuiltinId::Cpu:
    return Type::integer(32, false);
  case ast::BuiltinId::Uid:
  case ast::BuiltinId::Gid:
  case ast::BuiltinId::Nsecs:
    return Type::integer(64, false);
  case ast::BuiltinId::Comm:
    return Type::string(16);
  case ast::BuiltinId::Probe: {
    size_t longest = 0;
    for (const auto *spec : specs_)
      longest = std::max(longest, spec->name.size());
    return Type::string(static_cast<uint32_t>(longest + 1));
  }
  case ast::BuiltinId::Args: {
    for (const auto *spec : specs_) {
      if (spec->kind != ast::ProbeKind::Tracepoint) {
        diags_.error(DiagId::BuiltinNotAvailable, builtin->range,
                     "The args builtin can only be used with tracepoint probes (" + spec->name +
                         " has none)");
        return Type::none();
      }
    }
    if (specs_.empty())
      return Type::none(); // the attach point already failed
    return Type::record(specs_.front()->args);
  }
  case ast::BuiltinId::Unknown:
    break;
  }
  auto &d = diags_.error(DiagId::UnknownBuiltin, builtin->range,
                         "Unknown identifier: '" + builtin->name + "'");
  std::string guess = support::closestMatch(builtin->name, ast::builtinNames());
  if (!guess.empty())
    d.hint("did you mean '" + guess + "'?");
  return Type::none();
}

Type Checker::checkVariable(ast::Variable *var) {
  if (Type *t = lookupVariable(var->name))
    return *t;
  diags_.error(DiagId::UndefinedVariable, var->range,
               "Undefined or undeclared variable: " + var->name);
  return Type::none();
}

Type Checker::checkMapRead(ast::MapAccess *map) {
  Type key = mapKeyType(map);
  if (!map->keys.empty() && key.isNone())
    return Type::none();
  auto it = analysis_.maps.find(map->name);
  if (it == analysis_.maps.end()) {
    diags_.error(DiagId::MapUsedAsValue, map->range, "Undefined map: " + map->name)
        .hint("assign a value to " + map->name + " somewhere in the script");
    return Type::none();
  }
  const MapInfo &info = it->second;
  if (info.key.isNone() != key.isNone() ||
      (info.key.isTuple() && (!key.isTuple() ||
                              key.elements().size() != info.key.elements().size()))) {
    diags_.error(DiagId::MapKeyMismatch, map->range,
                 map->name + (info.key.isNone() ? " is a scalar map and takes no key"
                                                : " must be read with its key"));
    return Type::none();
  }
  if (info.value.kind() == ast::TypeKind::Count)
    return Type::integer(64, false);
  return info.value;
}

namespace {

bool isArithmetic(ast::BinaryOp op) {
  switch (op) {
  case ast::BinaryOp::Add:
  case ast::BinaryOp::Sub:
  case ast::BinaryOp::Mul:
  case ast::BinaryOp::Div:
  case ast::BinaryOp::Mod:
  case ast::BinaryOp::BitAnd:
  case ast::BinaryOp::BitOr:
  case ast::BinaryOp::BitXor:
  case ast::BinaryOp::Shl:
  case ast::BinaryOp::Shr:
    return true;
  case ast::BinaryOp::Eq:
  case ast::BinaryOp::Ne:
  case ast::BinaryOp::Lt:
  case ast::BinaryOp::Le:
  case ast::BinaryOp::Gt:
  case ast::BinaryOp::Ge:
  case ast::BinaryOp::LogicalAnd:
  case ast::BinaryOp::LogicalOr:
    return false;
  }
  return false;
}

// C's usual arithmetic conversion, on values already held as 64 bits.
Type arithmeticResult(const Type &a, const Type &b) {
  bool unsigned64 = (a.isInt() && !a.isSigned() && a.bits() == 64) ||
                    (b.isInt() && !b.isSigned() && b.bits() == 64);
  return Type::integer(64, !unsigned64);
}

bool isNonNegativeLiteral(const ast::Expr *e) {
  auto *lit = ast::dyn_cast<ast::IntegerLit>(e);
  return lit && lit->value <= uint64_t(std::numeric_limits<int64_t>::max());
}

} // namespace

Type Checker::checkBinary(ast::Binary *binary) {
  Type lhs = check(binary->lhs);
  Type rhs = check(binary->rhs);
  if (lhs.isNone() || rhs.isNone())
    return Type::none();
  ast::BinaryOp op = binary->op;
  auto mismatch = [&] {
    diags_.error(DiagId::TypeMismatch, binary->range,
                 std::string("Type mismatch for '") + ast::binaryOpSpelling(op) +
                     "': comparing '" + lhs.str() + "' with '" + rhs.str() + "'");
    return Type::none();
  };
  if (op == ast::BinaryOp::LogicalAnd || op == ast::BinaryOp::LogicalOr) {
    if (!lhs.isScalar() || !rhs.isScalar())
      return mismatch();
    return Type::boolean();
  }
  if (lhs.isString() || rhs.isString()) {
    if (lhs.isString() && rhs.isString() &&
        (op == ast::BinaryOp::Eq || op == ast::BinaryOp::Ne))
      return Type::boolean();
    return mismatch();
  }
  if (!lhs.isScalar() || !rhs.isScalar())
    return mismatch();
  if (isArithmetic(op)) {
    if (lhs.isPointer() && rhs.isInt() &&
        (op == ast::BinaryOp::Add || op == ast::BinaryOp::Sub))
      return lhs;
    if (lhs.isPointer() || rhs.isPointer())
      return mismatch();
    return arithmeticResult(lhs, rhs);
  }
  // Comparisons.
  if (lhs.isInt() && rhs.isInt() && lhs.isSigned() != rhs.isSigned()) {
    const Type &u = lhs.isSigned() ? rhs : lhs;
    const ast::Expr *signed_side = lhs.isSigned() ? binary->lhs : binary->rhs;
    if (u.bits() == 64 && !isNonNegativeLiteral(signed_side))
      diags_.warning(DiagId::SignMismatch, binary->range,
                     "comparison of integers of different signs: '" + lhs.str() + "' and '" +
                         rhs.str() + "' can lead to undefined behavior");
  }
  return Type::boolean();
}

Type Checker::checkUnary(ast::Unary *unary) {
  Type t = check(unary->operand);
  if (t.isNone())
    return t;
  if (!t.isScalar() || (t.isPointer() && unary->op != ast::UnaryOp::LogicalNot)) {
    diags_.error(DiagId::TypeMismatch, unary->range,
                 std::string("Invalid type for unary operator '") +
                     ast::unaryOpSpelling(unary->op) + "': " + t.str());
    return Type::none();
  }
  switch (unary->op) {
  case ast::UnaryOp::LogicalNot:
    return Type::boolean();
  case ast::UnaryOp::Neg:
    return Type::integer(64, true);
  case ast::UnaryOp::BitNot:
    return widen(t.isBool() ? Type::integer(64, true) : t);
  }
  return Type::none();
}

Type Checker::checkTernary(ast::Ternary *ternary) {
  Type cond = check(ternary->cond);
  Type a = check(ternary->then_expr);
  Type b = check(ternary->else_expr);
  if (cond.isNone() || a.isNone() || b.isNone())
    return Type::none();
  if (!cond.isScalar()) {
    diags_.error(DiagId::TypeMismatch, ternary->cond->range,
                 "Invalid condition in ternary: " + cond.str());
    return Type::none();
  }
  if ((a.isInt() || a.isBool()) && (b.isInt() || b.isBool()))
    return a.isBool() && b.isBool() ? Type::boolean() : arithmeticResult(widen(a), widen(b));
  if (a.isString() && b.isString())
    return a.size() >= b.size() ? a : b;
  if (a == b)
    return a;
  diags_.error(DiagId::TypeMismatch, ternary->range,
               "Ternary operator branches have different types: '" + a.str() + "' and '" +
                   b.str() + "'");
  return Type::none();
}

Type Checker::checkFieldAccess(ast::FieldAccess *access) {
  Type base = check(access->base);
  if (base.isNone())
    return base;
  auto *builtin = ast::dyn_cast<ast::Builtin>(access->base);
  if (!base.isRecord() || !builtin || builtin->id != ast::BuiltinId::Args) {
    diags_.error(DiagId::NotARecord, access->range,
                 "Can not access field '" + access->field + "' on type '" + base.str() + "'");
    return Type::none();
  }
  // Every attach point of the probe must have the field, with one type.
  const ast::Field *first = nullptr;
  for (const auto *spec : specs_) {
    const ast::Field *field = spec->args->find(access->field);
    if (!field) {
      std::vector<std::string> names;
      for (const auto &f : spec->args->fields)
        names.push_back(f.name);
      auto &d = diags_.error(DiagId::NoSuchField, access->range,
                             "tracepoint " + spec->category + ":" + spec->event +
                                 " has no field '" + access->field + "'");
      std::string guess = support::closestMatch(access->field, names);
      if (!guess.empty())
        d.hint("did you mean '" + guess + "'?");
      else
        d.hint("its fields are: " + support::join(names, ", "));
      return Type::none();
    }
    if (first && !(first->type == field->type)) {
      diags_.error(DiagId::NoSuchField, access->range,
                   "field '" + access->field + "' has different types in the probe's " +
                       "tracepoints: '" + first->type.str() + "' and '" + field->type.str() + "'");
      return Type::none();
    }
    if (!first)
      first = field;
  }
  if (!first)
    return Type::none();
  if (first->type.isString() && first->data_loc)
    return Type::string(analysis_.config.max_strlen);
  return first->type;
}

} // namespace scry::sema
