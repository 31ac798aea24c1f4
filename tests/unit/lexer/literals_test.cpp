// Tests for integer and string literal decoding (src/lexer/literals.cpp).
#include <gtest/gtest.h>

#include "lexer/literals.h"

namespace scry::lexer {
namespace {

TEST(ParseInteger, Forms) {
  EXPECT_EQ(parseInteger("0"), 0u);
  EXPECT_EQ(parseInteger("123"), 123u);
  EXPECT_EQ(parseInteger("1_000_000"), 1000000u);
  EXPECT_EQ(parseInteger("0x10"), 16u);
  EXPECT_EQ(parseInteger("0XAbC"), 0xabcu);
  EXPECT_EQ(parseInteger("0xffff_ffff"), 0xffffffffu);
  EXPECT_EQ(parseInteger("010"), 8u);
  EXPECT_EQ(parseInteger("00"), 0u);
  EXPECT_EQ(parseInteger("1e3"), 1000u);
  EXPECT_EQ(parseInteger("5E2"), 500u);
  EXPECT_EQ(parseInteger("0e0"), std::nullopt); // octal has no exponent
  EXPECT_EQ(parseInteger("1e19"), 10000000000000000000u);
  EXPECT_EQ(parseInteger("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(parseInteger("0xffffffffffffffff"), UINT64_MAX);
  EXPECT_EQ(parseInteger("01777777777777777777777"), UINT64_MAX);
}

TEST(ParseInteger, Suffixes) {
  for (const char *suffix : {"u", "U", "l", "L", "ul", "UL", "ll", "LL", "ull", "ULL"}) {
    EXPECT_EQ(parseInteger(std::string("42") + suffix), 42u) << suffix;
    EXPECT_EQ(parseInteger(std::string("0x2a") + suffix), 42u) << suffix;
  }
  EXPECT_EQ(parseInteger("0xfull"), 15u); // like C: 0xf with suffix ull
  EXPECT_EQ(parseInteger("1e3u"), 1000u);
}

TEST(ParseInteger, Malformed) {
  for (const char *text :
       {"18446744073709551616", "0x10000000000000000", "1e20", "99e99", "0x", "08", "12a", "1_",
        "1__0", "0x_1", "1e", "1e+3", "1lu", "1uu", "1LLL", "1ulL"})
    EXPECT_EQ(parseInteger(text), std::nullopt) << text;
}

TEST(DecodeString, Escapes) {
  diag::Diagnostics diags;
  EXPECT_EQ(decodeString(R"(\n\t\r\\\"\'\a\b\f\v\0)", 0, diags),
            "\n\t\r\\\"'\a\b\f\v" + std::string(1, '\0'));
  EXPECT_EQ(decodeString(R"(\101\60\7x\1234)", 0, diags), "A0\axS4");
  EXPECT_EQ(decodeString(R"(\x41\x4a\x4G\x123)", 0, diags), std::string("AJ\x04G\x12") + "3");
  EXPECT_EQ(decodeString("trailing\\", 0, diags), "trailing\\");
  EXPECT_TRUE(diags.ok());
}

TEST(DecodeString, BadEscapesAreReportedWithRanges) {
  diag::Diagnostics diags;
  EXPECT_EQ(decodeString(R"(a\qb\x\400)", 10, diags), "aqbx" + std::string(1, '\0'));
  ASSERT_EQ(diags.all().size(), 3u);
  EXPECT_EQ(diags.all()[0].id, diag::DiagId::InvalidEscape);
  EXPECT_EQ(diags.all()[0].range.begin, 11u);
  EXPECT_EQ(diags.all()[0].range.end, 13u);
  EXPECT_EQ(diags.all()[0].message, "invalid escape sequence '\\q'");
  EXPECT_EQ(diags.all()[1].range.begin, 14u);
  EXPECT_EQ(diags.all()[1].range.end, 16u);
  EXPECT_EQ(diags.all()[2].range.begin, 16u);
  EXPECT_EQ(diags.all()[2].range.end, 20u);
}

} // namespace
} // namespace scry::lexer
