// Type checking of expressions.
#include <limits>

#include "sema/checker.h"
#include "sema/probe_builtins.h"
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
  case ast::NodeKind::PositionalParam:
    return checkPositional(ast::cast<ast::PositionalParam>(expr));
  case ast::NodeKind::Cast:
    return checkCast(ast::cast<ast::Cast>(expr));
  case ast::NodeKind::Sizeof:
    return checkSizeof(ast::cast<ast::Sizeof>(expr));
  case ast::NodeKind::Tuple:
    return checkTuple(ast::cast<ast::Tuple>(expr));
  case ast::NodeKind::TupleIndex:
    return checkTupleIndex(ast::cast<ast::TupleIndex>(expr));
  case ast::NodeKind::Index:
    return checkIndex(ast::cast<ast::Index>(expr));
  case ast::NodeKind::VarDecl:
  case ast::NodeKind::While:
  case ast::NodeKind::Unroll:
  case ast::NodeKind::ForRange:
  case ast::NodeKind::Jump:
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
  case ast::BuiltinId::Args:
  case ast::BuiltinId::ArgN:
  case ast::BuiltinId::Retval:
  case ast::BuiltinId::Func:
    return probeBuiltinType(builtin, specs_, diags_); // probe_builtins.cpp
  case ast::BuiltinId::Curtask: {
    std::string error = "no kernel type information";
    std::shared_ptr<const ast::RecordType> task;
    if (types_)
      task = types_->kernelRecord("struct task_struct", ast::AddrSpace::Kernel, error);
    if (!task) {
      // Without BTF curtask is still an address.
      return Type::integer(64, false);
    }
    return Type::pointer(Type::record(task), ast::AddrSpace::Kernel);
  }
  case ast::BuiltinId::True:
  case ast::BuiltinId::False:
    return Type::boolean();
  case ast::BuiltinId::Rand:
  case ast::BuiltinId::Numaid:
  case ast::BuiltinId::Ncpus:
    return Type::integer(32, false);
  case ast::BuiltinId::Jiffies:
  case ast::BuiltinId::Cgroup:
    return Type::integer(64, false);
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
  if (Type *t = lookupVariable(var->name)) {
    if (t->isNone())
      diags_.error(DiagId::UndefinedVariable, var->range,
                   "Variable used before it was assigned: " + var->name);
    return *t;
  }
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
  if (info.value.isAggregation())
    return checkAggregationRead(map, info.value);
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

Type Checker::checkPositional(ast::PositionalParam *param) {
  const auto &params = analysis_.params;
  if (param->index == 0)
    return Type::integer(64, true);
  if (param->index > params.size()) {
    diags_.warning(DiagId::PositionalParameter, param->range,
                   "Positional parameter $" + std::to_string(param->index) +
                       " is not set: it reads as 0 (or \"\" through str())");
    return Type::integer(64, true);
  }
  const std::string &value = params[param->index - 1];
  bool numeric = !value.empty() && value.size() < 20 &&
                 value.find_first_not_of("0123456789") == std::string::npos;
  if (value.size() > 1 && value[0] == '-' && value.size() < 20 &&
      value.find_first_not_of("0123456789", 1) == std::string::npos)
    numeric = true;
  if (numeric)
    return Type::integer(64, true);
  return Type::string(static_cast<uint32_t>(value.size() + 1));
}

Type Checker::checkDeref(ast::Unary *unary) {
  Type t = check(unary->operand);
  if (t.isNone())
    return t;
  if (!t.isPointer() || !(t.pointee().isInt() || t.pointee().isPointer() ||
                          t.pointee().isBool())) {
    diags_.error(DiagId::TypeMismatch, unary->range,
                 "Cannot dereference a value of type '" + t.str() + "'")
        .hint(t.isPointer() ? "use -> to read a field of a struct through a pointer"
                            : "only pointers can be dereferenced");
    return Type::none();
  }
  return t.pointee();
}

Type Checker::checkTuple(ast::Tuple *tuple) {
  std::vector<Type> elements;
  for (auto *e : tuple->elements) {
    Type t = check(e);
    if (t.isNone())
      return t;
    if (!t.isScalar() && !t.isString() && !t.isTuple()) {
      diags_.error(DiagId::TypeMismatch, e->range, "A tuple cannot hold a value of type " + t.str());
      return Type::none();
    }
    elements.push_back(widen(t.isPointer() ? Type::integer(64, false) : t));
  }
  return Type::tuple(std::move(elements));
}

Type Checker::checkTupleIndex(ast::TupleIndex *index) {
  Type base = check(index->base);
  if (base.isNone())
    return base;
  if (!base.isTuple()) {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "Can not access index " + std::to_string(index->index) + " on type '" +
                     base.str() + "'");
    return Type::none();
  }
  if (index->index >= base.elements().size()) {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "Invalid tuple index: " + std::to_string(index->index) + ", the tuple has " +
                     std::to_string(base.elements().size()) + " elements");
    return Type::none();
  }
  return base.elements()[index->index];
}

Type Checker::checkUnary(ast::Unary *unary) {
  if (unary->op == ast::UnaryOp::Deref)
    return checkDeref(unary);
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
  case ast::UnaryOp::Deref:
    break;
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
  bool is_args = builtin && builtin->id == ast::BuiltinId::Args;
  if (!is_args && (base.isPointer() || base.isRecord()))
    return checkMemberAccess(access, base);
  if (!base.isRecord() || !is_args) {
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
                             (spec->kind == ast::ProbeKind::Tracepoint
                                  ? "tracepoint " + spec->category + ":" + spec->event
                                  : spec->name) +
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

namespace scry::sema {

// `p->f`, `p.f` (bpftrace 0.25 dereferences automatically) and `s.f` where `s` is a
// struct reached through a pointer: the field's offset is kept for codegen.
Type Checker::checkMemberAccess(ast::FieldAccess *access, const Type &base) {
  bool through_pointer = base.isPointer();
  const Type &record_type = through_pointer ? base.pointee() : base;
  if (!record_type.isRecord()) {
    diags_.error(DiagId::NotARecord, access->range,
                 "Can not access field '" + access->field + "' on type '" + base.str() + "'");
    return Type::none();
  }
  if (!through_pointer && !ast::isa<ast::FieldAccess>(access->base)) {
    diags_.error(DiagId::NotARecord, access->range,
                 "Can not access field '" + access->field + "' of a struct value here")
        .hint("read fields through a pointer: p->field");
    return Type::none();
  }
  auto record = completeRecord(record_type.recordType(), access->range);
  if (!record)
    return Type::none();
  const ast::Field *field = record->find(access->field);
  if (!field) {
    std::vector<std::string> names;
    for (const auto &f : record->fields)
      names.push_back(f.name);
    auto &d = diags_.error(DiagId::NoSuchField, access->range,
                           "Struct/union of type '" + record->name +
                               "' does not contain a field named '" + access->field + "'");
    std::string guess = support::closestMatch(access->field, names);
    if (!guess.empty())
      d.hint("did you mean '" + guess + "'?");
    return Type::none();
  }
  analysis_.constants[access->id()] = field->offset;
  return field->type;
}

} // namespace scry::sema

namespace scry::sema {

// `a[i]` on an array field, a string (its bytes) or a pointer (C's p[i]).
Type Checker::checkIndex(ast::Index *index) {
  Type base = check(index->base);
  Type i = check(index->index);
  if (base.isNone() || i.isNone())
    return Type::none();
  if (!i.isInt()) {
    diags_.error(DiagId::TypeMismatch, index->index->range,
                 "The index must be an integer (" + i.str() + " given)");
    return Type::none();
  }
  Type element;
  uint64_t bound = 0;
  if (base.isArray()) {
    element = base.element();
    bound = base.count_of();
    if (!ast::isa<ast::FieldAccess>(index->base)) {
      diags_.error(DiagId::TypeMismatch, index->range,
                   "Only arrays in tracepoint arguments and kernel structs can be indexed");
      return Type::none();
    }
  } else if (base.isString()) {
    element = Type::integer(8, true);
    bound = base.size();
  } else if (base.isPointer() && (base.pointee().isInt() || base.pointee().isPointer())) {
    element = base.pointee();
  } else {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "The [] operator can not be used on a value of type '" + base.str() + "'");
    return Type::none();
  }
  if (!element.isScalar()) {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "Elements of type '" + element.str() + "' can not be read by index yet");
    return Type::none();
  }
  auto *literal = ast::dyn_cast<ast::IntegerLit>(index->index);
  if (literal && bound && literal->value >= bound) {
    diags_.error(DiagId::TypeMismatch, index->index->range,
                 "Index " + std::to_string(literal->value) + " is out of bounds for '" +
                     base.str() + "' (" + std::to_string(bound) + " elements)");
    return Type::none();
  }
  return element;
}

} // namespace scry::sema
