// Type checking of function calls: arity, argument types, printf formats, and where
// each function may appear.
#include "sema/checker.h"
#include "support/format_spec.h"
#include "support/strings.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

std::string plural(unsigned n, const char *word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

Type Checker::checkCall(ast::Call *call, CallUse use) {
  if (call->id == ast::FuncId::Unknown) {
    auto &d = diags_.error(DiagId::UnknownFunction, call->range, "Unknown function: " + call->name);
    std::string guess = support::closestMatch(call->name, ast::functionNames());
    if (!guess.empty())
      d.hint("did you mean '" + guess + "'?");
    for (auto *arg : call->args)
      check(arg);
    return Type::none();
  }
  unsigned n = static_cast<unsigned>(call->args.size());
  unsigned min = ast::functionMinArgs(call->id), max = ast::functionMaxArgs(call->id);
  if (n < min || n > max) {
    std::string expected = min == max ? "exactly " + plural(min, "argument")
                           : n < min  ? "at least " + plural(min, "argument")
                                      : "at most " + plural(max, "argument");
    diags_.error(DiagId::ArgumentCount, call->range,
                 call->name + "() requires " + expected + " (" + std::to_string(n) +
                     " provided)");
    return Type::none();
  }
  Type result;
  switch (call->id) {
  case ast::FuncId::Count:
    if (use != CallUse::MapValue) {
      diags_.error(DiagId::AggregationInExpression, call->range,
                   "count() should be directly assigned to a map")
          .hint("write @name = count(); or @name[key] = count();");
      return Type::none();
    }
    return Type::count();
  case ast::FuncId::Printf:
    checkPrintf(call);
    break;
  case ast::FuncId::Exit:
    if (n == 1) {
      Type code = check(call->args[0]);
      if (!code.isNone() && !code.isInt())
        diags_.error(DiagId::ArgumentType, call->args[0]->range,
                     "exit() expects an integer exit code (" + code.str() + " provided)");
    }
    break;
  case ast::FuncId::Str:
    return checkStr(call);
  case ast::FuncId::Sum:
    return checkAggregation(call, use, ast::AggKind::Sum);
  case ast::FuncId::Avg:
    return checkAggregation(call, use, ast::AggKind::Avg);
  case ast::FuncId::Min:
    return checkAggregation(call, use, ast::AggKind::Min);
  case ast::FuncId::Max:
    return checkAggregation(call, use, ast::AggKind::Max);
  case ast::FuncId::Stats:
    return checkAggregation(call, use, ast::AggKind::Stats);
  case ast::FuncId::Hist:
    return checkAggregation(call, use, ast::AggKind::Hist);
  case ast::FuncId::Lhist:
    return checkAggregation(call, use, ast::AggKind::LHist);
  case ast::FuncId::Print:
    checkPrint(call);
    break;
  case ast::FuncId::Clear:
  case ast::FuncId::Zero:
    checkMapArg(call, 0, false);
    break;
  case ast::FuncId::Len:
    result = checkLen(call);
    break;
  case ast::FuncId::Delete:
  case ast::FuncId::HasKey:
    result = checkDeleteOrHasKey(call);
    break;
  case ast::FuncId::Unknown:
    break;
  }
  if (use != CallUse::Statement && result.isNone())
    diags_.error(DiagId::ArgumentType, call->range, call->name + "() returns no value")
        .hint("call it as a statement of its own");
  return result;
}

Type Checker::checkStr(ast::Call *call) {
  Type arg = check(call->args[0]);
  if (arg.isNone())
    return arg;
  if (!arg.isPointer() && !arg.isInt() && !arg.isString()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "str() expects a pointer or an integer address (" + arg.str() + " provided)");
    return Type::none();
  }
  uint32_t size = analysis_.config.max_strlen;
  if (call->args.size() == 2) {
    auto *len = ast::dyn_cast<ast::IntegerLit>(call->args[1]);
    check(call->args[1]);
    if (!len) {
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "str() length must be an integer literal");
      return Type::none();
    }
    if (len->value + 1 < size)
      size = static_cast<uint32_t>(len->value + 1);
  }
  if (arg.isString())
    return arg.size() < size ? arg : Type::string(size);
  return Type::string(size);
}

void Checker::checkPrintf(ast::Call *call) {
  auto *fmt = ast::dyn_cast<ast::StringLit>(call->args[0]);
  for (size_t i = 1; i < call->args.size(); ++i)
    check(call->args[i]);
  if (!fmt) {
    check(call->args[0]);
    diags_.error(DiagId::PrintfFormat, call->args[0]->range,
                 "printf: The first argument must be a string literal");
    return;
  }
  typeSlot(fmt) = Type::string(static_cast<uint32_t>(fmt->value.size() + 1));
  std::vector<support::FormatPiece> pieces;
  std::string error;
  size_t error_offset = 0;
  if (!support::parseFormat(fmt->value, pieces, error, error_offset)) {
    diags_.error(DiagId::PrintfFormat, fmt->range, "printf: " + error);
    return;
  }
  size_t expected = 0;
  for (const auto &p : pieces)
    expected += p.conversion != 0;
  size_t supplied = call->args.size() - 1;
  if (supplied != expected) {
    diags_.error(DiagId::PrintfFormat, call->range,
                 std::string("printf: ") + (supplied < expected ? "Not enough" : "Too many") +
                     " arguments for format string (" + std::to_string(supplied) +
                     " supplied, " + std::to_string(expected) + " expected)");
    return;
  }
  size_t arg = 1;
  for (const auto &p : pieces) {
    if (!p.conversion)
      continue;
    ast::Expr *e = call->args[arg++];
    const Type &t = analysis_.types[e->id()];
    if (t.isNone())
      continue;
    bool ok = false;
    const char *want = "integer";
    switch (p.conversion) {
    case 's':
      ok = t.isString() || t.isInt() || t.isBool();
      want = "string";
      break;
    case 'p':
      ok = t.isPointer() || t.isInt();
      want = "pointer";
      break;
    default:
      ok = t.isInt() || t.isBool() || (t.isPointer() && p.conversion != 'c');
      break;
    }
    if (!ok)
      diags_.error(DiagId::PrintfFormat, e->range,
                   "printf: %" + std::string(1, p.conversion) + " specifier expects a value of type " +
                       want + " (" + t.str() + " supplied)");
  }
}

} // namespace scry::sema
