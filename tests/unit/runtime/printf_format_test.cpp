// printf formatting of decoded values: every conversion, flag, width and precision,
// `*` arguments, length modifiers, and bpftrace's %r forms for buffers.
#include <gtest/gtest.h>

#include "runtime/printf_format.h"

using namespace scry::runtime;

namespace {

Value i64(int64_t v) { return Value::makeInt(v, 8); }
Value i32(int32_t v) { return Value::makeInt(v, 4); }
Value i8(int8_t v) { return Value::makeInt(v, 1); }
Value u64(uint64_t v) { return Value::makeUint(v, 8); }
Value u32(uint32_t v) { return Value::makeUint(v, 4); }
Value str(std::string s) { return Value::makeString(std::move(s)); }
Value buffer(std::string bytes) {
  Value v;
  v.kind = scry::object::ValueKind::Buffer;
  v.str = std::move(bytes);
  v.size = static_cast<uint32_t>(v.str.size());
  return v;
}

} // namespace

TEST(PrintfFormat, PlainTextAndPercent) {
  EXPECT_EQ(formatPrintf("hello\n", {}), "hello\n");
  // bpftrace 0.17 prints "%%" here; 0.26 and C print "%".
  EXPECT_EQ(formatPrintf("100%% done %%d\n", {}), "100% done %d\n");
  EXPECT_EQ(formatPrintf("%%%d%%", {i64(5)}), "%5%");
  EXPECT_EQ(formatPrintf("", {}), "");
}

TEST(PrintfFormat, SignedConversions) {
  EXPECT_EQ(formatPrintf("%d %i", {i64(-42), i64(7)}), "-42 7");
  std::vector<Value> five(5, i64(42));
  EXPECT_EQ(formatPrintf("[%5d][%-5d][%05d][%+d][% d]", five), "[   42][42   ][00042][+42][ 42]");
  EXPECT_EQ(formatPrintf("[%-+6d][%0+6d][%-06d]", {i64(7), i64(-7), i64(7)}),
            "[+7    ][-00007][7     ]");
  EXPECT_EQ(formatPrintf("[%.3d][%8.3d][%.0d]", {i64(5), i64(-5), i64(0)}), "[005][    -005][]");
  EXPECT_EQ(formatPrintf("%d", {i64(INT64_MIN)}), "-9223372036854775808");
}

TEST(PrintfFormat, UnsignedConversions) {
  EXPECT_EQ(formatPrintf("%u %x %X %o", {u64(255), u64(255), u64(255), u64(8)}), "255 ff FF 10");
  EXPECT_EQ(formatPrintf("%#x %#o %#X %#x", {u64(255), u64(8), u64(171), u64(0)}),
            "0xff 010 0XAB 0");
  EXPECT_EQ(formatPrintf("[%8.3x][%08x][%-8X]", {u64(10), u64(0xbeef), u64(0xbeef)}),
            "[     00a][0000beef][BEEF    ]");
  EXPECT_EQ(formatPrintf("%u", {u64(UINT64_MAX)}), "18446744073709551615");
}

// bpftrace 0.24+ formats every integer as 64 bits from its value: the type it came
// from does not truncate it (0.17 did, as C's default argument promotion would).
TEST(PrintfFormat, IntegersAreFormattedFromTheirValue) {
  EXPECT_EQ(formatPrintf("%d", {i32(-1)}), "-1");
  EXPECT_EQ(formatPrintf("%u", {i32(-1)}), "18446744073709551615");
  EXPECT_EQ(formatPrintf("%x", {i8(-1)}), "ffffffffffffffff");
  EXPECT_EQ(formatPrintf("%d", {u32(4294967295U)}), "4294967295");
  EXPECT_EQ(formatPrintf("%x", {u32(0xdeadbeef)}), "deadbeef");
  EXPECT_EQ(formatPrintf("%d", {u64(UINT64_MAX)}), "-1");
  EXPECT_EQ(formatPrintf("%d", {Value::makeUint(255, 1)}), "255");
  EXPECT_EQ(formatPrintf("%d", {i8(-3)}), "-3");
  EXPECT_EQ(formatPrintf("%x", {i64(0x12345678abcdefLL)}), "12345678abcdef");
}

TEST(PrintfFormat, LengthModifiers) {
  Value x = i64(0x12345678abcdefLL);
  EXPECT_EQ(formatPrintf("%hhx %hx %x %jx %lx %llx %zx %tx %Lx", {x, x, x, x, x, x, x, x, x}),
            "ef cdef 12345678abcdef 12345678abcdef 12345678abcdef 12345678abcdef "
            "12345678abcdef 12345678abcdef 12345678abcdef");
  EXPECT_EQ(formatPrintf("%hhd %hd %hhu %hu", {i64(300), i64(70000), i64(-1), i64(-1)}),
            "44 4464 255 65535");
  EXPECT_EQ(formatPrintf("%ld %lu %lld %zu %jd %td", {i64(-1), u64(1), i64(-1), u64(3), i64(4),
                                                      i64(5)}),
            "-1 1 -1 3 4 5");
}

TEST(PrintfFormat, StarWidthAndPrecision) {
  EXPECT_EQ(formatPrintf("[%*d]", {i64(5), i64(42)}), "[   42]");
  EXPECT_EQ(formatPrintf("[%-*d]", {i64(5), i64(42)}), "[42   ]");
  EXPECT_EQ(formatPrintf("[%*d]", {i64(-5), i64(42)}), "[42   ]"); // negative: left-justify
  EXPECT_EQ(formatPrintf("[%.*s]", {i64(2), str("abcdef")}), "[ab]");
  EXPECT_EQ(formatPrintf("[%.*s]", {i64(-1), str("abc")}), "[abc]"); // negative: no precision
  EXPECT_EQ(formatPrintf("[%*.*d|%s]", {u32(6), i64(3), i64(7), str("x")}), "[   007|x]");
}

TEST(PrintfFormat, CharPointerString) {
  EXPECT_EQ(formatPrintf("%c%c%c%c", {i64(0x41), i64(0x42), i64(0x43), i64(0x44)}), "ABCD");
  EXPECT_EQ(formatPrintf("%c", {i64(0x142)}), "B");
  EXPECT_EQ(formatPrintf("[%3c][%-3c]", {i64('z'), i64('y')}), "[  z][y  ]");
  EXPECT_EQ(formatPrintf("%p", {u64(4096)}), "0x1000");
  EXPECT_EQ(formatPrintf("[%-8p][%8p]", {u64(1), u64(0xab)}), "[0x1     ][    0xab]");
  EXPECT_EQ(formatPrintf("%p", {u64(0)}), "0"); // as bpftrace 0.26 (iostreams) prints it
  EXPECT_EQ(formatPrintf("[%s][%10s][%-10s][%.2s][%5.1s]",
                         {str("a"), str("ab"), str("cd"), str("xyz"), str("xyz")}),
            "[a][        ab][cd        ][xy][    x]");
}

TEST(PrintfFormat, StringOfOtherValues) {
  EXPECT_EQ(formatPrintf("%s|%s", {i64(-5), u64(5)}), "-5|5");
  EXPECT_EQ(formatPrintf("%s %s", {Value::makeBool(true), Value::makeBool(false)}),
            "true false");
  EXPECT_EQ(formatPrintf("%s", {Value::makeTuple({i64(1), str("x")})}), "(1, x)");
  EXPECT_EQ(formatPrintf("[%8s]", {Value::makeTuple({i64(1), i64(2)})}), "[  (1, 2)]");
  EXPECT_EQ(formatPrintf("%d", {Value::makeBool(true)}), "1");
  EXPECT_EQ(formatPrintf("%d", {Value::makeCount(12)}), "12");
  EXPECT_EQ(formatPrintf("%s", {buffer(std::string("ab\x01\0", 4))}), "ab\\x01\\x00");
}

TEST(PrintfFormat, Buffers) {
  Value hello = buffer(std::string("Hello\0", 6));
  EXPECT_EQ(formatPrintf("%r", {hello}), "Hello\\x00");
  EXPECT_EQ(formatPrintf("%rx", {hello}), "\\x48\\x65\\x6c\\x6c\\x6f\\x00");
  EXPECT_EQ(formatPrintf("%rh", {hello}), "48 65 6c 6c 6f 00");
  EXPECT_EQ(formatPrintf("%r|%rx|%rh", {buffer(""), buffer(""), buffer("")}), "||");
  EXPECT_EQ(formatPrintf("%r", {buffer("\x7f\x1f ~\\\xff")}), "\\x7f\\x1f ~\\\\xff");
  EXPECT_EQ(formatPrintf("[%12r]", {buffer("\x01")}), "[        \\x01]");
  EXPECT_EQ(formatPrintf("%rxz", {buffer("\x0a\xfe")}), "\\x0a\\xfez");
}

TEST(PrintfFormat, LongOutputIsNotTruncated) {
  std::string long_text(1000, 'x');
  EXPECT_EQ(formatPrintf("<%s>", {str(long_text)}), "<" + long_text + ">");
  EXPECT_EQ(formatPrintf("%300d", {i64(1)}).size(), 300U);
}

TEST(PrintfFormat, MissingArgumentsAndBadFormats) {
  EXPECT_EQ(formatPrintf("a %d b %s c", {i64(1)}), "a 1 b %s c");
  EXPECT_EQ(formatPrintf("%*d", {i64(1)}), "%*d");
  EXPECT_EQ(formatPrintf("bad %y here", {i64(1)}), "bad %y here");
  EXPECT_EQ(formatPrintf("trailing %", {}), "trailing %");
}
