// Type checking of expressions.
#include <limits>

#include "sema/checker.h"
#include "sema/constant_strings.h"
#include "sema/probe_builtins.h"
#include "support/strings.h"

namespace scry::sema {

namespace {

// An identifier in C macro style: upper-case letters, digits and '_', with a letter.
bool looksLikeCMacro(const std::string &name) {
  bool letter = false;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z')
      letter = true;
    else if (!(c >= '0' && c <= '9') && c != '_')
      return false;
  }
  return letter;
}

} // namespace

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
  case ast::NodeKind::Offsetof:
    return checkOffsetof(ast::cast<ast::Offsetof>(expr)); // checker_structs.cpp
  case ast::NodeKind::BlockExpr:
    return checkBlockExpr(ast::cast<ast::BlockExpr>(expr), false); // checker_access.cpp
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
  case ast::NodeKind::ForMap:
  case ast::NodeKind::StructDef:
  case ast::NodeKind::MacroDef:
  case ast::NodeKind::MapDecl:
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
    // Sized by the program's longest attach point name, not the probe's: probes whose
    // bodies are alike then type alike and share a program (codegen/body_classes.h).
    size_t longest = 0;
    for (const auto &spec : probes_)
      longest = std::max(longest, spec.name.size());
    return Type::string(static_cast<uint32_t>(longest + 1));
  }
  case ast::BuiltinId::Args:
  case ast::BuiltinId::ArgN:
  case ast::BuiltinId::Retval:
  case ast::BuiltinId::Func:
    return probeBuiltinType(builtin, specs_, diags_); // probe_builtins.cpp
  case ast::BuiltinId::Ctx:
    return ctxType(builtin, specs_, types_, diags_); // probe_builtins.cpp
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
  // Time and process builtins (checker_sys.cpp)
  case ast::BuiltinId::Elapsed:
    return Type::integer(64, false);
  case ast::BuiltinId::Username:
    return Type::resolved({ast::ResolveKind::Username, "", ast::Clock::Boot});
  case ast::BuiltinId::Usermode:
    return checkUsermode(builtin);
  case ast::BuiltinId::SargN:
    return checkSarg(builtin);
  case ast::BuiltinId::Ppid:
    return checkPpid(builtin);
  case ast::BuiltinId::Cpid:
  case ast::BuiltinId::HasCpid:
  case ast::BuiltinId::Probetype:
  case ast::BuiltinId::Pcomm:
  case ast::BuiltinId::LeaderComm:
  case ast::BuiltinId::LeaderTid:
    return checkTaskBuiltin(builtin); // checker_task.cpp
  // Stacks (checker_stacks.cpp)
  case ast::BuiltinId::Kstack:
  case ast::BuiltinId::Ustack:
  case ast::BuiltinId::DwUstack:
    return checkStackBuiltin(builtin);
  case ast::BuiltinId::Config: // config.KEY is checked as a field access (checker_ctfuncs.cpp)
    return checkConfigBuiltin(builtin);
  case ast::BuiltinId::Unknown:
    break;
  }
  auto &d = diags_.error(DiagId::UnknownBuiltin, builtin->range,
                         "Unknown identifier: '" + builtin->name + "'");
  if (looksLikeCMacro(builtin->name)) { // TASK_RUNNING, PF_KTHREAD: in headers only
    d.hint("'" + builtin->name + "' looks like a C macro: scry reads no header files and "
           "the kernel's BTF has no macros (enum values it has); define it in the script: "
           "#define " + builtin->name + " VALUE");
    return Type::none();
  }
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
  if (failed_vars_.count(var->name))
    return Type::none(); // its assignment already has an error
  auto &d = diags_.error(DiagId::UndefinedVariable, var->range,
                         "Undefined or undeclared variable: " + var->name);
  std::vector<std::string> names;
  for (const auto &scope : scopes_)
    for (const auto &[name, type] : scope)
      names.push_back(name);
  std::string guess = support::closestMatch(var->name, names);
  if (!guess.empty())
    d.hint("did you mean '" + guess + "'?");
  return Type::none();
}

Type Checker::checkMapRead(ast::MapAccess *map) {
  Type key = mapKeyType(map);
  if (!map->keys.empty() && key.isNone())
    return Type::none();
  auto it = analysis_.maps.find(map->name);
  if (it == analysis_.maps.end()) {
    auto &d = diags_.error(DiagId::MapUsedAsValue, map->range, "Undefined map: " + map->name);
    std::vector<std::string> names;
    for (const auto &[name, info] : analysis_.maps)
      names.push_back(name);
    std::string guess = support::closestMatch(map->name, names);
    d.hint(guess.empty() ? "assign a value to " + map->name + " somewhere in the script"
                         : "did you mean '" + guess + "'?");
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
    if (std::string folded; constantString(binary, folded)) // "a" + "b" (constant_strings.h)
      return Type::string(static_cast<uint32_t>(folded.size() + 1));
    return mismatch();
  }
  if (lhs.isArray() || rhs.isArray()) { // integer arrays compare bytewise (== and !=)
    if (lhs == rhs && storable(lhs) && (op == ast::BinaryOp::Eq || op == ast::BinaryOp::Ne))
      return Type::boolean();
    return mismatch();
  }
  if (!lhs.isScalar() || !rhs.isScalar())
    return mismatch();
  if (isArithmetic(op)) {
    // Pointer arithmetic counts in pointees, as in C: `p + 1` is the next element.
    if (lhs.isPointer() && rhs.isInt() &&
        (op == ast::BinaryOp::Add || op == ast::BinaryOp::Sub))
      return lhs;
    if (lhs.isInt() && rhs.isPointer() && op == ast::BinaryOp::Add)
      return rhs;
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

Type Checker::checkUnary(ast::Unary *unary) {
  if (unary->op == ast::UnaryOp::Deref)
    return checkDeref(unary);
  if (unary->op == ast::UnaryOp::AddrOf)
    return checkAddrOf(unary); // checker_access.cpp
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
  case ast::UnaryOp::AddrOf:
    break;
  }
  return Type::none();
}

Type Checker::checkTernary(ast::Ternary *ternary) {
  Type cond = check(ternary->cond);
  // `c ?: b`: the condition is also the value when it is true.
  Type a = ternary->then_expr ? check(ternary->then_expr) : cond;
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

} // namespace scry::sema
