// Type checking of tseries(n, interval_ns, num_intervals[, agg]) parameters: the
// interval and the number of intervals are integer literals (durations like 100ms
// included), the aggregation function a string literal. Messages are bpftrace's.
#include "sema/checker.h"

namespace scry::sema {

using diag::DiagId;

namespace {

// bpftrace keeps at most this many intervals per key.
constexpr uint64_t kMaxIntervals = 1000000;

struct AggName {
  const char *name;
  ast::TSeriesAgg agg;
};
// In the order bpftrace lists them in its error message.
constexpr AggName kAggs[] = {{"avg", ast::TSeriesAgg::Avg},
                             {"max", ast::TSeriesAgg::Max},
                             {"min", ast::TSeriesAgg::Min},
                             {"sum", ast::TSeriesAgg::Sum}};

} // namespace

bool Checker::checkTseriesParams(ast::Call *call, ast::TSeriesParams &params) {
  const auto *interval = ast::dyn_cast<ast::IntegerLit>(call->args[1]);
  const auto *count = ast::dyn_cast<ast::IntegerLit>(call->args[2]);
  if (!interval || !count) {
    ast::Expr *bad = !interval ? call->args[1] : call->args[2];
    diags_.error(DiagId::ArgumentType, bad->range,
                 std::string("tseries: invalid ") + (!interval ? "interval_ns" : "num_intervals") +
                     " value (must be non-negative literal)");
    return false;
  }
  if (interval->value == 0) {
    diags_.error(DiagId::ArgumentType, call->range,
                 "tseries() interval_ns must be >= 1 (0 provided)");
    return false;
  }
  if (count->value == 0) {
    diags_.error(DiagId::ArgumentType, call->range,
                 "tseries() num_intervals must be >= 1 (0 provided)");
    return false;
  }
  if (count->value > kMaxIntervals) {
    // bpftrace's wording, though 1000000 itself is accepted.
    diags_.error(DiagId::ArgumentType, call->range,
                 "tseries() num_intervals must be < 1000000 (" + std::to_string(count->value) +
                     " provided)");
    return false;
  }
  params.interval_ns = interval->value;
  params.num_intervals = static_cast<uint32_t>(count->value);
  params.agg = ast::TSeriesAgg::Last;
  if (call->args.size() < 4)
    return true;
  const auto *agg = ast::dyn_cast<ast::StringLit>(call->args[3]);
  if (!agg) {
    diags_.error(DiagId::ArgumentType, call->args[3]->range,
                 "tseries: the aggregation function must be a string literal")
        .hint("one of \"avg\", \"max\", \"min\" or \"sum\"");
    return false;
  }
  for (const AggName &known : kAggs) {
    if (agg->value == known.name) {
      params.agg = known.agg;
      return true;
    }
  }
  diags_.error(DiagId::ArgumentType, call->args[3]->range,
               "tseries() expects one of the following aggregation functions: avg, max, min, "
               "sum (\"" + agg->value + "\" provided)");
  return false;
}

} // namespace scry::sema
