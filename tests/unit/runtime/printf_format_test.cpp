// printf formatting of decoded values: conversions, flags, promotion rules.
#include <gtest/gtest.h>

#include "runtime/printf_format.h"

using namespace scry::runtime;

namespace {

Value i64(int64_t v) { return Value::makeInt(v, 8); }
Value i32(int32_t v) { return Value::makeInt(v, 4); }
Value i8(int8_t v) { return Value::makeInt(v, 1); }
Value u64(uint64_t v) { return Value::makeUint(v, 8); }
Value u32(uint32_t v) { return Value::makeUint(v, 4); }

} // namespace

TEST(PrintfFormat, PlainTextAndPercent) {
  EXPECT_EQ(formatPrintf("hello\n", {}), "hello\n");
  EXPECT_EQ(formatPrintf("100%% done %%d\n", {}), "100% done %d\n");
  EXPECT_EQ(formatPrintf("", {}), "");
}

TEST(PrintfFormat, SignedConversions) {
  EXPECT_EQ(formatPrintf("%d %i", {i64(-42), i64(7)}), "-42 7");
  std::vector<Value> five(5, i64(42));
  EXPECT_EQ(formatPrintf("[%5d][%-5d][%05d][%+d][% d]", five), "[   42][42   ][00042][+42][ 42]");
  EXPECT_EQ(formatPrintf("[%.3d][%8.3d]", {i64(5), i64(-5)}), "[005][    -005]");
  EXPECT_EQ(formatPrintf("%d", {i64(INT64_MIN)}), "-9223372036854775808");
}

TEST(PrintfFormat, UnsignedConversions) {
  EXPECT_EQ(formatPrintf("%u %x %X %o", {u64(255), u64(255), u64(255), u64(8)}), "255 ff FF 10");
  EXPECT_EQ(formatPrintf("%#x %#o %#X", {u64(255), u64(8), u64(171)}), "0xff 010 0XAB");
  EXPECT_EQ(formatPrintf("[%8.3x]", {u64(10)}), "[     00a]");
  EXPECT_EQ(formatPrintf("%u", {u64(UINT64_MAX)}), "18446744073709551615");
}

// C's default promotion: values narrower than 8 bytes behave as a 32-bit int
// (bpftrace 0.17: printf("%u|%x", (int32)-1, (int8)-1) prints 4294967295|ffffffff).
TEST(PrintfFormat, PromotionFollowsTheValueWidth) {
  EXPECT_EQ(formatPrintf("%u", {i32(-1)}), "4294967295");
  EXPECT_EQ(formatPrintf("%x", {i8(-1)}), "ffffffff");
  EXPECT_EQ(formatPrintf("%x", {i64(-1)}), "ffffffffffffffff");
  EXPECT_EQ(formatPrintf("%u", {i64(-2)}), "18446744073709551614");
  EXPECT_EQ(formatPrintf("%d", {u32(4294967295U)}), "-1");
  EXPECT_EQ(formatPrintf("%d", {u64(UINT64_MAX)}), "-1");
  EXPECT_EQ(formatPrintf("%d", {Value::makeUint(255, 1)}), "255");
  EXPECT_EQ(formatPrintf("%d", {i8(-3)}), "-3");
}

TEST(PrintfFormat, LengthModifiersAreAcceptedAndIgnored) {
  EXPECT_EQ(formatPrintf("%ld %lu %lld %hhd %hd %zu %jd %td %llx",
                         {i64(-1), u64(1), i64(-1), i64(300), i64(70000), u64(3), i64(4), i64(5),
                          i64(-1)}),
            "-1 1 -1 300 70000 3 4 5 ffffffffffffffff");
}

TEST(PrintfFormat, CharPointerString) {
  EXPECT_EQ(formatPrintf("%c%c", {i64(65), i64(0x142)}), "AB");
  EXPECT_EQ(formatPrintf("[%3c]", {i64('z')}), "[  z]");
  EXPECT_EQ(formatPrintf("%p", {u64(4096)}), "0x1000");
  EXPECT_EQ(formatPrintf("[%-8p]", {u64(1)}), "[0x1     ]");
  EXPECT_EQ(formatPrintf("%p", {u64(0)}), "(nil)"); // glibc, as bpftrace 0.17 prints
  EXPECT_EQ(formatPrintf("[%s][%10s][%-10s][%.2s]",
                         {Value::makeString("a"), Value::makeString("ab"), Value::makeString("cd"),
                          Value::makeString("xyz")}),
            "[a][        ab][cd        ][xy]");
}

TEST(PrintfFormat, StringOfOtherValues) {
  EXPECT_EQ(formatPrintf("%s|%s", {i64(-5), u64(5)}), "-5|5");
  EXPECT_EQ(formatPrintf("%s", {Value::makeBool(true)}), "true");
  EXPECT_EQ(formatPrintf("%s", {Value::makeTuple({i64(1), Value::makeString("x")})}), "(1, x)");
  EXPECT_EQ(formatPrintf("%d", {Value::makeBool(true)}), "1");
  EXPECT_EQ(formatPrintf("%d", {Value::makeCount(12)}), "12");
}

TEST(PrintfFormat, LongOutputIsNotTruncated) {
  std::string long_text(1000, 'x');
  EXPECT_EQ(formatPrintf("<%s>", {Value::makeString(long_text)}), "<" + long_text + ">");
  EXPECT_EQ(formatPrintf("%300d", {i64(1)}).size(), 300U);
}

TEST(PrintfFormat, MissingArgumentsAndBadFormats) {
  EXPECT_EQ(formatPrintf("a %d b %s c", {i64(1)}), "a 1 b %s c");
  EXPECT_EQ(formatPrintf("bad %y here", {i64(1)}), "bad %y here");
  EXPECT_EQ(formatPrintf("trailing %", {}), "trailing %");
}
