// Sema of aggregations (sum, avg, min, max, stats, hist, lhist) and map functions
// (print, clear, zero, delete, len, has_key): the types they give and every misuse.
#include <gtest/gtest.h>

#include "checked.h"
#include "parser/parse.h"
#include "sema/sema.h"

namespace scry {
namespace {

using diag::DiagId;
using testing::Checked;


std::string wrap(const std::string &body) { return "BEGIN { " + body + " }"; }

TEST(Aggregations, TypesAndLayouts) {
  Checked c(wrap("@s = sum(1); @a = avg(2); @mi = min(-1); @ma = max(pid); @st = stats(3); "
                 "@h = hist(4); @h2 = hist(4, 3); @l = lhist(5, 0, 100, 10);"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@s").str(), "sum_t");
  EXPECT_TRUE(c.map("@s").isSigned());
  EXPECT_FALSE(c.map("@ma").isSigned()); // pid is unsigned
  EXPECT_EQ(c.map("@mi").size(), 16u);   // value + seen
  EXPECT_EQ(c.map("@st").size(), 16u);   // count + total
  EXPECT_EQ(c.map("@h").histBuckets(), 65u);
  EXPECT_EQ(c.map("@h2").histBuckets(), ((64u - 3) << 3) + 1);
  EXPECT_EQ(c.map("@l").histBuckets(), 12u);
  EXPECT_EQ(c.map("@l").histParams().step, 10);
}

TEST(Aggregations, SignedAndUnsignedValuesMerge) {
  Checked c(wrap("@s = sum(pid); @s = sum(-1);"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_TRUE(c.map("@s").isSigned());
}

TEST(Aggregations, OnlyAsMapValues) {
  for (const char *f : {"sum(1)", "avg(1)", "min(1)", "max(1)", "stats(1)", "hist(1)",
                        "lhist(1, 0, 10, 1)"}) {
    Checked c(wrap(std::string("$x = ") + f + ";"));
    EXPECT_TRUE(c.has(DiagId::AggregationInExpression)) << f;
    EXPECT_NE(c.message().find("should be directly assigned to a map"), std::string::npos);
  }
}

TEST(Aggregations, ArgumentCountsAndTypes) {
  EXPECT_TRUE(Checked(wrap("@s = sum();")).has(DiagId::ArgumentCount));
  EXPECT_TRUE(Checked(wrap("@s = avg(1, 2);")).has(DiagId::ArgumentCount));
  EXPECT_TRUE(Checked(wrap("@s = hist(1, 2, 3);")).has(DiagId::ArgumentCount));
  EXPECT_TRUE(Checked(wrap("@s = lhist(1, 2, 3);")).has(DiagId::ArgumentCount));
  for (const char *f : {"sum", "avg", "min", "max", "stats", "hist"})
    EXPECT_TRUE(Checked(wrap(std::string("@s = ") + f + "(\"str\");")).has(DiagId::ArgumentType))
        << f;
}

TEST(Aggregations, HistBitsMustBeALiteralUpToFive) {
  EXPECT_TRUE(Checked(wrap("@h = hist(1, 5);")).diags.ok());
  Checked big(wrap("@h = hist(1, 6);"));
  EXPECT_EQ(big.message(), "hist: bits 6 must be 0..5");
  Checked var(wrap("$b = 1; @h = hist(1, $b);"));
  EXPECT_EQ(var.message(), "hist: invalid bits value, need integer literal");
}

TEST(Aggregations, LhistBoundsUseBpftraceWording) {
  EXPECT_EQ(Checked(wrap("@l = lhist(1, 0, 10, 0);")).message(),
            "lhist() step must be >= 1 (0 provided)");
  EXPECT_EQ(Checked(wrap("@l = lhist(1, 10, 5, 1);")).message(),
            "lhist() min must be less than max (provided min 10 and max 5)");
  EXPECT_EQ(Checked(wrap("@l = lhist(1, 0, 10, 20);")).message(),
            "lhist() step is too large for the given range (provided step 20 for range 10)");
  EXPECT_EQ(Checked(wrap("@l = lhist(1, 0, 100000, 1);")).message(),
            "lhist() too many buckets, must be <= 1000 (would need 100000)");
  EXPECT_EQ(Checked(wrap("@l = lhist(1, -1, 10, 1);")).message(),
            "lhist: invalid min value (must be non-negative literal)");
  EXPECT_EQ(Checked(wrap("$m = 9; @l = lhist(1, 0, $m, 1);")).message(),
            "lhist: invalid max value (must be non-negative literal)");
  EXPECT_EQ(Checked(wrap("$m = 9; @l = lhist(1, 0, 10, $m);")).message(),
            "lhist: invalid step value");
}

TEST(Aggregations, ReadsInExpressions) {
  Checked ok(wrap("@c = count(); @s = sum(1); @mi = min(1); @ma = max(1); @a = avg(1); "
                  "$x = @c + @s + @mi + @ma + @a;"));
  EXPECT_TRUE(ok.diags.ok()) << ok.message();
  EXPECT_TRUE(Checked(wrap("@st = stats(1); $x = @st + 1;")).has(DiagId::TypeMismatch));
  EXPECT_TRUE(Checked(wrap("@h = hist(1); $x = @h;")).has(DiagId::TypeMismatch));
}

TEST(Aggregations, DifferentKindsInOneMapAreAMismatch) {
  EXPECT_TRUE(Checked(wrap("@x = sum(1); @x = max(1);")).has(DiagId::MapValueMismatch));
  EXPECT_TRUE(Checked(wrap("@x = hist(1); @x = hist(1, 2);")).has(DiagId::MapValueMismatch));
  EXPECT_TRUE(Checked(wrap("@x = 1; @x = sum(1);")).has(DiagId::MapValueMismatch));
}

TEST(MapFunctions, AcceptedForms) {
  Checked c(wrap("@m[1] = 2; @c = count(); print(@m); print(@m, 5); print(@m, 5, 10); "
                 "print(1); print(\"s\"); print(@m[1]); clear(@m); zero(@c); delete(@m, 1); "
                 "delete(@m[1]); delete(@c); $n = len(@m); $b = has_key(@m, 1); "
                 "if (delete(@m, 2)) { }"));
  EXPECT_TRUE(c.diags.ok()) << c.message();
}

TEST(MapFunctions, MapArgumentsMustBeMaps) {
  for (const char *call : {"clear(1);", "zero(1);", "$x = len(1);", "delete(1, 1);",
                           "$x = has_key(1, 1);"})
    EXPECT_TRUE(Checked(wrap(std::string("@m[1] = 1; ") + call)).has(DiagId::ArgumentType))
        << call;
  for (const char *call : {"clear(@m[1]);", "zero(@m[1]);", "$x = len(@m[1]);"})
    EXPECT_TRUE(Checked(wrap(std::string("@m[1] = 1; ") + call)).has(DiagId::ArgumentType))
        << call;
  for (const char *call : {"clear(@nope);", "print(@nope);", "delete(@nope, 1);"})
    EXPECT_TRUE(Checked(wrap(call)).has(DiagId::MapUsedAsValue)) << call;
}

TEST(MapFunctions, ArgumentCounts) {
  for (const char *call : {"clear();", "zero(@m, @m);", "$x = len();", "delete();",
                           "$x = has_key(@m);", "print();", "print(@m, 1, 2, 3);"})
    EXPECT_TRUE(Checked(wrap(std::string("@m[1] = 1; ") + call)).has(DiagId::ArgumentCount))
        << call;
  EXPECT_EQ(Checked(wrap("print(1, 2);")).message(), "Non-map print() only takes 1 argument, 2 found");
}

TEST(MapFunctions, KeysMustMatchTheMap) {
  EXPECT_TRUE(Checked(wrap("@m[1] = 1; delete(@m, \"a\");")).has(DiagId::MapKeyMismatch));
  EXPECT_TRUE(Checked(wrap("@m[1] = 1; $x = has_key(@m, \"a\");")).has(DiagId::MapKeyMismatch));
  EXPECT_TRUE(Checked(wrap("@m = 1; delete(@m, 1);")).has(DiagId::MapKeyMismatch));
}

TEST(MapFunctions, ValuesAndNoValues) {
  EXPECT_TRUE(Checked(wrap("@m[1] = 1; $x = clear(@m);")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Checked(wrap("@m[1] = 1; $x = print(@m);")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Checked(wrap("@m[1] = 1; print(@m, \"a\");")).has(DiagId::ArgumentType));
}

} // namespace
} // namespace scry
