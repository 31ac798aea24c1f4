// Sema of tseries(n, interval_ns, num_intervals[, agg]) (issue 5): its type and layout,
// and each misuse with bpftrace's message.
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using diag::DiagId;
using testing::Checked;

std::string wrap(const std::string &body) { return "BEGIN { " + body + " }"; }

TEST(Tseries, TypeAndParameters) {
  Checked c(wrap("@a = tseries(-1, 100ms, 20); @b[1] = tseries(pid, 1s, 5, \"avg\");"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@a").str(), "tseries_t");
  EXPECT_EQ(c.map("@a").size(), 24u); // one interval's slot: value, meta, epoch
  EXPECT_TRUE(c.map("@a").isSigned());
  EXPECT_FALSE(c.map("@b").isSigned());
  EXPECT_EQ(c.map("@a").tseriesParams().interval_ns, 100000000u);
  EXPECT_EQ(c.map("@a").tseriesParams().num_intervals, 20u);
  EXPECT_EQ(c.map("@a").tseriesParams().agg, ast::TSeriesAgg::Last);
  EXPECT_EQ(c.map("@b").tseriesParams().agg, ast::TSeriesAgg::Avg);
  for (const char *agg : {"max", "min", "sum"})
    EXPECT_TRUE(Checked(wrap(std::string("@t = tseries(1, 1s, 1000000, \"") + agg + "\");"))
                    .diags.ok())
        << agg;
}

TEST(Tseries, Errors) {
  struct Case {
    const char *call;
    const char *message;
  };
  const Case cases[] = {
      {"tseries(1, 0, 10)", "tseries() interval_ns must be >= 1 (0 provided)"},
      {"tseries(1, -1, 10)", "tseries: invalid interval_ns value (must be non-negative literal)"},
      {"tseries(1, pid, 10)", "tseries: invalid interval_ns value (must be non-negative literal)"},
      {"tseries(1, 1s, 0)", "tseries() num_intervals must be >= 1 (0 provided)"},
      {"tseries(1, 1s, -1)", "tseries: invalid num_intervals value (must be non-negative literal)"},
      {"tseries(1, 1s, 1000001)", "tseries() num_intervals must be < 1000000 (1000001 provided)"},
      {"tseries(1, 1s, 5, \"stats\")", "tseries() expects one of the following aggregation "
                                       "functions: avg, max, min, sum (\"stats\" provided)"},
      {"tseries(\"x\", 1s, 5)", "tseries() expects an integer argument (string[2] provided)"},
  };
  for (const Case &c : cases) {
    Checked checked(wrap(std::string("@t = ") + c.call + ";"));
    EXPECT_TRUE(checked.has(DiagId::ArgumentType)) << c.call;
    EXPECT_EQ(checked.message(), c.message) << c.call;
  }
  EXPECT_TRUE(Checked(wrap("@t = tseries(1, 1s);")).has(DiagId::ArgumentCount));
  EXPECT_TRUE(Checked(wrap("@t = tseries(1, 1s, 5, \"avg\", 2);")).has(DiagId::ArgumentCount));
  Checked literal(wrap("$a = \"avg\"; @t = tseries(1, 1s, 5, $a);"));
  EXPECT_TRUE(literal.has(DiagId::ArgumentType));
}

TEST(Tseries, OnlyAsAMapValueAndNeverRead) {
  EXPECT_TRUE(Checked(wrap("$x = tseries(1, 1s, 5);")).has(DiagId::AggregationInExpression));
  Checked read(wrap("@t = tseries(1, 1s, 5); $y = @t + 1;"));
  EXPECT_FALSE(read.diags.ok());
  Checked mixed(wrap("@t = tseries(1, 1s, 5); @t = tseries(1, 2s, 5);"));
  EXPECT_FALSE(mixed.diags.ok()); // one map, one interval
}

TEST(Tseries, KeysCannotBeDeletedFoundOrCounted) {
  for (const char *call : {"delete(@t, 1)", "has_key(@t, 1)", "len(@t)", "delete(@t[1])"}) {
    Checked c(wrap(std::string("@t[1] = tseries(1, 1s, 5); $r = ") + call + ";"));
    EXPECT_TRUE(c.has(DiagId::ArgumentType)) << call;
    EXPECT_NE(c.message().find("cannot be used on tseries map @t"), std::string::npos)
        << call << ": " << c.message();
  }
}

} // namespace
} // namespace scry
