// Type checking of the aggregations assigned to maps: sum, avg, min, max, stats, hist,
// lhist and tseries (count() is in checker_calls.cpp; tseries's parameters in
// checker_tseries.cpp). Each yields an Aggregation type that
// fixes the map's per-CPU value layout; hist/lhist parameters must be literals.
#include "sema/checker.h"

namespace scry::sema {

using ast::AggKind;
using ast::Type;
using diag::DiagId;

namespace {

// A literal argument of hist/lhist: a non-negative integer literal, or null.
const ast::IntegerLit *literalArg(ast::Expr *arg) { return ast::dyn_cast<ast::IntegerLit>(arg); }

} // namespace

Type Checker::checkAggregation(ast::Call *call, CallUse use, AggKind agg) {
  if (use != CallUse::MapValue) {
    for (auto *arg : call->args)
      check(arg);
    diags_.error(DiagId::AggregationInExpression, call->range,
                 call->name + "() should be directly assigned to a map")
        .hint("write @name = " + call->name + "(...); or @name[key] = " + call->name + "(...);");
    return Type::none();
  }
  Type value = check(call->args[0]);
  for (size_t i = 1; i < call->args.size(); ++i)
    check(call->args[i]);
  if (value.isNone())
    return value;
  if (!value.isInt() && !value.isBool() && !value.isPointer()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 call->name + "() expects an integer argument (" + value.str() + " provided)");
    return Type::none();
  }
  bool is_signed = value.isInt() && value.isSigned();
  ast::HistParams params;
  if (agg == AggKind::Hist && !checkHistBits(call, params))
    return Type::none();
  if (agg == AggKind::LHist && !checkLhistBounds(call, params))
    return Type::none();
  if (agg == AggKind::TSeries) {
    ast::TSeriesParams series;
    if (!checkTseriesParams(call, series))
      return Type::none();
    return Type::tseries(is_signed, series);
  }
  return Type::aggregation(agg, is_signed, params);
}

bool Checker::checkHistBits(ast::Call *call, ast::HistParams &params) {
  if (call->args.size() < 2)
    return true;
  const auto *bits = literalArg(call->args[1]);
  if (!bits) {
    diags_.error(DiagId::ArgumentType, call->args[1]->range,
                 "hist: invalid bits value, need integer literal");
    return false;
  }
  if (bits->value > 5) {
    diags_.error(DiagId::ArgumentType, call->range,
                 "hist: bits " + std::to_string(bits->value) + " must be 0..5");
    return false;
  }
  params.bits = static_cast<uint32_t>(bits->value);
  return true;
}

// bpftrace's checks and wording (semantic analyser, lhist).
bool Checker::checkLhistBounds(ast::Call *call, ast::HistParams &params) {
  const auto *min = literalArg(call->args[1]);
  const auto *max = literalArg(call->args[2]);
  const auto *step = literalArg(call->args[3]);
  const char *which = !min ? "min" : !max ? "max" : !step ? "step" : nullptr;
  if (which) {
    ast::Expr *bad = call->args[!min ? 1 : !max ? 2 : 3];
    diags_.error(DiagId::ArgumentType, bad->range,
                 std::string("lhist: invalid ") + which + " value" +
                     (bad != call->args[3] ? " (must be non-negative literal)" : ""));
    return false;
  }
  // Literals are at most 2^64-1; keep the arithmetic in range.
  constexpr uint64_t kLimit = uint64_t(1) << 62;
  if (min->value >= kLimit || max->value >= kLimit || step->value >= kLimit) {
    diags_.error(DiagId::ArgumentType, call->range, "lhist() bounds must be below 2^62");
    return false;
  }
  auto lo = static_cast<int64_t>(min->value), hi = static_cast<int64_t>(max->value),
       by = static_cast<int64_t>(step->value);
  size_t errors = diags_.errorCount();
  if (by <= 0) {
    diags_.error(DiagId::ArgumentType, call->range,
                 "lhist() step must be >= 1 (" + std::to_string(by) + " provided)");
  } else if ((hi - lo) / by > 1000) {
    diags_.error(DiagId::ArgumentType, call->range,
                 "lhist() too many buckets, must be <= 1000 (would need " +
                     std::to_string((hi - lo) / by) + ")");
  }
  if (lo > hi)
    diags_.error(DiagId::ArgumentType, call->range,
                 "lhist() min must be less than max (provided min " + std::to_string(lo) +
                     " and max " + std::to_string(hi) + ")");
  if (hi - lo < by)
    diags_.error(DiagId::ArgumentType, call->range,
                 "lhist() step is too large for the given range (provided step " +
                     std::to_string(by) + " for range " + std::to_string(hi - lo) + ")");
  if (diags_.errorCount() != errors)
    return false;
  params.min = lo;
  params.max = hi;
  params.step = by;
  return true;
}

Type Checker::checkAggregationRead(ast::MapAccess *map, const Type &value) {
  switch (value.aggKind()) {
  case AggKind::Sum:
  case AggKind::Min:
  case AggKind::Max:
  case AggKind::Avg:
    return Type::integer(64, value.isSigned());
  case AggKind::Stats:
  case AggKind::Hist:
  case AggKind::LHist:
  case AggKind::TSeries:
    break;
  }
  diags_.error(DiagId::TypeMismatch, map->range,
               "The value of " + map->name + " (" + value.str() +
                   ") cannot be used in an expression")
      .hint("print it with print(" + map->name + ")");
  return Type::none();
}

} // namespace scry::sema
