// Type checking of bpftrace 0.24-0.26's compile-time functions: pid(ns)/tid(ns), fail(),
// static_assert(), the type predicates (is_str ...), container_of(), config.KEY, and
// `if` on a condition known at compile time, whose dead branch is not checked (so a
// macro can test is_str(x) and use x as a string only where it is one).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "sema/checker.h"
#include "sema/constant_strings.h"
#include "support/strings.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// A literal fail() argument: an integer or a string.
struct Literal {
  bool is_string = false;
  uint64_t number = 0;
  std::string text;
};

bool isConversion(char c) {
  return std::string_view("diuxXocsp").find(c) != std::string_view::npos;
}

// printf's formatting of `format` with literal `values`, done at compile time; false
// (with `error` set) when a conversion and its argument do not match.
bool formatLiterals(const std::string &format, const std::vector<Literal> &values,
                    std::string &out, std::string &error) {
  size_t next = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < format.size() && std::string_view("-+ #0123456789.").find(format[end]) !=
                                      std::string_view::npos)
      ++end;
    std::string flags = format.substr(i, end - i);
    while (end < format.size() && std::string_view("hlzjt").find(format[end]) != std::string_view::npos)
      ++end;
    if (end >= format.size() || !isConversion(format[end])) {
      error = "invalid format string: '" + format.substr(i, end - i + 1) + "'";
      return false;
    }
    if (next >= values.size()) {
      error = "fail() has fewer arguments than its format has conversions";
      return false;
    }
    const Literal &v = values[next++];
    char conv = format[end];
    char buf[512];
    if (conv == 's') {
      std::snprintf(buf, sizeof buf, (flags + "s").c_str(),
                    v.is_string ? v.text.c_str() : std::to_string(v.number).c_str());
    } else if (v.is_string) {
      error = "fail() format '" + format.substr(i, end - i + 1) + "' expects an integer";
      return false;
    } else if (conv == 'd' || conv == 'i') {
      std::snprintf(buf, sizeof buf, (flags + PRId64).c_str(), static_cast<int64_t>(v.number));
    } else if (conv == 'c') {
      std::snprintf(buf, sizeof buf, (flags + "c").c_str(), static_cast<int>(v.number));
    } else {
      std::string length = conv == 'p' ? "" : "ll";
      std::snprintf(buf, sizeof buf, (flags + length + conv).c_str(),
                    static_cast<unsigned long long>(v.number));
    }
    out += buf;
    i = end;
  }
  if (next < values.size()) {
    error = "fail() has more arguments than its format has conversions";
    return false;
  }
  return true;
}

bool isBuiltin(const ast::Expr *e, ast::BuiltinId id) {
  auto *b = ast::dyn_cast<ast::Builtin>(e);
  return b && b->id == id;
}

} // namespace

bool Checker::constantValue(const ast::Expr *expr, uint64_t &value) const {
  const auto &constants = analysis_.constants;
  switch (expr->kind()) {
  case ast::NodeKind::IntegerLit:
    value = ast::cast<ast::IntegerLit>(expr)->value;
    return true;
  case ast::NodeKind::Builtin: {
    auto id = ast::cast<ast::Builtin>(expr)->id;
    if (id == ast::BuiltinId::True || id == ast::BuiltinId::False) {
      value = id == ast::BuiltinId::True;
      return true;
    }
    if (id != ast::BuiltinId::HasCpid) // has_cpid is the only other constant builtin
      return false;
    auto it = constants.find(expr->id());
    return it != constants.end() && (value = it->second, true);
  }
  case ast::NodeKind::PositionalParam: {
    unsigned index = ast::cast<ast::PositionalParam>(expr)->index;
    const auto &params = analysis_.params;
    if (index == 0) {
      value = params.size();
      return true;
    }
    if (index > params.size()) {
      value = 0; // unset: 0, as when it is read (a warning there)
      return true;
    }
    const std::string &text = params[index - 1]; // numeric ones only, as checkPositional
    char *end = nullptr;
    long long number = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0')
      return false;
    value = static_cast<uint64_t>(number);
    return true;
  }
  case ast::NodeKind::Sizeof:
  case ast::NodeKind::Offsetof:
  case ast::NodeKind::Call: {
    if (auto *call = ast::dyn_cast<ast::Call>(expr);
        call && !(call->id == ast::FuncId::KfuncExist || call->id == ast::FuncId::KfuncAllowed ||
                  isTypePredicate(call->id)))
      return false;
    auto it = constants.find(expr->id());
    return it != constants.end() && (value = it->second, true);
  }
  case ast::NodeKind::BlockExpr: { // a macro's value
    auto *block = ast::cast<ast::BlockExpr>(expr);
    return block->stmts.empty() && block->value && constantValue(block->value, value);
  }
  case ast::NodeKind::Unary: {
    auto *unary = ast::cast<ast::Unary>(expr);
    uint64_t v;
    if (!constantValue(unary->operand, v))
      return false;
    switch (unary->op) {
    case ast::UnaryOp::LogicalNot: value = v == 0; return true;
    case ast::UnaryOp::Neg: value = 0 - v; return true;
    case ast::UnaryOp::BitNot: value = ~v; return true;
    case ast::UnaryOp::Deref:
    case ast::UnaryOp::AddrOf:
      return false;
    }
    return false;
  }
  case ast::NodeKind::Binary:
    return constantBinary(ast::cast<ast::Binary>(expr), value);
  case ast::NodeKind::StringLit:
  case ast::NodeKind::Variable:
  case ast::NodeKind::MapAccess:
  case ast::NodeKind::Ternary:
  case ast::NodeKind::Cast:
  case ast::NodeKind::Tuple:
  case ast::NodeKind::TupleIndex:
  case ast::NodeKind::Index:
  case ast::NodeKind::FieldAccess:
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
    break;
  }
  return false;
}

bool Checker::constantBinary(const ast::Binary *binary, uint64_t &value) const {
  using Op = ast::BinaryOp;
  if (binary->op == Op::Eq || binary->op == Op::Ne) { // "a" == "b"
    std::string a, b;
    if (constantString(binary->lhs, a) && constantString(binary->rhs, b)) {
      value = (a == b) == (binary->op == Op::Eq);
      return true;
    }
  }
  uint64_t a, b;
  if (!constantValue(binary->lhs, a))
    return false;
  // && and || stop at the left operand as they do when the probe runs.
  if (binary->op == Op::LogicalAnd && a == 0)
    return value = 0, true;
  if (binary->op == Op::LogicalOr && a != 0)
    return value = 1, true;
  if (!constantValue(binary->rhs, b))
    return false;
  auto sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b);
  switch (binary->op) {
  case Op::LogicalAnd:
  case Op::LogicalOr: value = b != 0; return true;
  case Op::Eq: value = a == b; return true;
  case Op::Ne: value = a != b; return true;
  case Op::Lt: value = sa < sb; return true;
  case Op::Le: value = sa <= sb; return true;
  case Op::Gt: value = sa > sb; return true;
  case Op::Ge: value = sa >= sb; return true;
  case Op::Add: value = a + b; return true;
  case Op::Sub: value = a - b; return true;
  case Op::Mul: value = a * b; return true;
  case Op::BitAnd: value = a & b; return true;
  case Op::BitOr: value = a | b; return true;
  case Op::BitXor: value = a ^ b; return true;
  case Op::Shl: value = b < 64 ? a << b : 0; return true;
  case Op::Shr: value = b < 64 ? a >> b : 0; return true;
  case Op::Div:
  case Op::Mod: // division by zero is left to the runtime's rules
    if (b == 0)
      return false;
    value = binary->op == Op::Div ? a / b : a % b;
    return true;
  }
  return false;
}

bool isTypePredicate(ast::FuncId id) {
  return id == ast::FuncId::IsPtr || id == ast::FuncId::IsStr || id == ast::FuncId::IsInteger ||
         id == ast::FuncId::IsUnsignedInteger || id == ast::FuncId::IsArray ||
         id == ast::FuncId::IsLiteral || id == ast::FuncId::IsErr;
}

bool Checker::checkConstantIf(ast::If *node) {
  uint64_t value;
  if (!constantValue(node->cond, value))
    return false;
  analysis_.constants[node->id()] = value != 0; // codegen emits the live branch only
  if (value != 0)
    checkBlock(node->then_block);
  else if (node->else_stmt)
    checkStmt(node->else_stmt);
  return true;
}

Type Checker::checkCompileTimeCall(ast::Call *call) {
  if (call->id == ast::FuncId::Pid || call->id == ast::FuncId::Tid)
    return checkPidNamespace(call);
  if (call->id == ast::FuncId::Fail)
    checkFail(call);
  else if (call->id == ast::FuncId::StaticAssert)
    checkStaticAssert(call);
  else if (call->id == ast::FuncId::AssertStr)
    checkAssertStr(call); // checker_strlike.cpp
  else if (call->id == ast::FuncId::ContainerOf)
    return checkContainerOf(call); // checker_typeof.cpp
  else if (isTypePredicate(call->id))
    return checkTypePredicate(call);
  return Type::none();
}

// pid(curr_ns) is `pid`; pid(init) the pid in the initial PID namespace (bpftrace 0.24).
Type Checker::checkPidNamespace(ast::Call *call) {
  auto *word = ast::dyn_cast<ast::Builtin>(call->args[0]);
  if (word && (word->name == "curr_ns" || word->name == "init")) {
    analysis_.constants[call->Node::id()] = word->name == "init";
    return Type::integer(32, false);
  }
  auto &d = diags_.error(DiagId::ArgumentType, call->args[0]->range,
                         call->name + "() expects the PID namespace: curr_ns or init");
  std::string guess = word ? support::closestMatch(word->name, {"curr_ns", "init"}) : "";
  d.hint(guess.empty() ? "curr_ns (the default) is the namespace scry runs in, init the "
                         "initial one"
                       : "did you mean '" + guess + "'?");
  return Type::none();
}

// fail(fmt, ...): reaching it (outside an `if` whose condition is false at compile
// time) is an error, with the formatted message at the call.
void Checker::checkFail(ast::Call *call) {
  auto *format = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!format) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "fail() expects a string literal as its format");
    return;
  }
  std::vector<Literal> values;
  for (size_t i = 1; i < call->args.size(); ++i) {
    ast::Expr *arg = call->args[i];
    Literal v;
    if (constantString(arg, v.text)) {
      v.is_string = true;
    } else if (check(arg).isNone()) {
      return;
    } else if (!constantValue(arg, v.number)) {
      diags_.error(DiagId::ArgumentType, arg->range,
                   "fail() arguments must be known at compile time (literals)");
      return;
    }
    values.push_back(std::move(v));
  }
  std::string message, error;
  if (!formatLiterals(format->value, values, message, error)) {
    diags_.error(DiagId::PrintfFormat, call->range, error);
    return;
  }
  diags_.error(DiagId::CompileTimeFailure, call->range, message);
}

void Checker::checkStaticAssert(ast::Call *call) {
  Type cond = check(call->args[0]);
  std::string message;
  if (!constantString(call->args[1], message)) {
    diags_.error(DiagId::ArgumentType, call->args[1]->range,
                 "static_assert() expects a string literal message");
    return;
  }
  if (cond.isNone())
    return;
  uint64_t value;
  if (!constantValue(call->args[0], value)) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "static_assert() needs a condition known at compile time")
        .hint("use assert(cond, msg) to check a condition when the probe runs");
    return;
  }
  if (value == 0)
    diags_.error(DiagId::CompileTimeFailure, call->range, message);
}

// is_str(x) and the others: bools known at compile time from x's type; x is not
// evaluated. is_err(x) is the kernel's IS_ERR_VALUE: x in the last 4095 values.
Type Checker::checkTypePredicate(ast::Call *call) {
  ast::Expr *arg = call->args[0];
  Type t = check(arg);
  if (t.isNone())
    return Type::none();
  if (call->id == ast::FuncId::IsErr) {
    if (!t.isInt() && !t.isPointer()) {
      diags_.error(DiagId::ArgumentType, arg->range,
                   "is_err() expects a pointer or an integer (" + t.str() + " provided)");
      return Type::none();
    }
    uint64_t v;
    if (constantValue(arg, v)) // else tested when the probe runs (emit_ctfuncs.cpp)
      analysis_.constants[call->Node::id()] = v >= uint64_t{0} - 4095;
    return Type::boolean();
  }
  uint64_t unused;
  std::string text;
  bool literal = ast::isa<ast::IntegerLit>(arg) || ast::isa<ast::PositionalParam>(arg) ||
                 constantString(arg, text) || isBuiltin(arg, ast::BuiltinId::True) ||
                 isBuiltin(arg, ast::BuiltinId::False) ||
                 (ast::isa<ast::Unary>(arg) && constantValue(arg, unused));
  bool value = call->id == ast::FuncId::IsPtr     ? t.isPointer()
               : call->id == ast::FuncId::IsStr   ? t.isString()
               : call->id == ast::FuncId::IsArray ? t.isArray()
               : call->id == ast::FuncId::IsInteger ? t.isInt()
               : call->id == ast::FuncId::IsUnsignedInteger ? t.isInt() && !t.isSigned()
                                                            : literal; // IsLiteral
  analysis_.constants[call->Node::id()] = value;
  return Type::boolean();
}

// config.KEY: the value the config block or the environment set, else the default.
Type Checker::checkConfigField(ast::FieldAccess *access) {
  static const std::vector<std::pair<std::string, uint32_t Config::*>> kKeys = {
      {"max_strlen", &Config::max_strlen},
      {"max_map_keys", &Config::max_map_keys},
      {"max_cat_bytes", &Config::max_cat_bytes},
      {"perf_rb_pages", &Config::perf_rb_pages},
  };
  for (const auto &[name, field] : kKeys)
    if (name == access->field) {
      analysis_.constants[access->id()] = analysis_.config.*field;
      return Type::integer(64, false);
    }
  std::vector<std::string> names;
  for (const auto &key : kKeys)
    names.push_back(key.first);
  auto &d = diags_.error(DiagId::NoSuchField, access->range,
                         "config has no readable key '" + access->field + "'");
  std::string guess = support::closestMatch(access->field, names);
  d.hint(guess.empty() ? "scripts can read config.max_strlen, config.max_map_keys, "
                         "config.max_cat_bytes and config.perf_rb_pages"
                       : "did you mean '" + guess + "'?");
  return Type::none();
}

Type Checker::checkConfigBuiltin(ast::Builtin *builtin) {
  diags_.error(DiagId::NotARecord, builtin->range, "config can only be read as config.KEY")
      .hint("for example config.max_strlen");
  return Type::none();
}

} // namespace scry::sema
