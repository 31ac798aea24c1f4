// Lexer tests: token kinds, values and byte ranges in each start condition (top level,
// predicate, body), comments, and lexical errors with their DiagIds and ranges.
#include <gtest/gtest.h>

#include "parser/driver.h"

namespace scry::parser {
namespace {

struct Lexed {
  diag::SourceFile file;
  diag::Diagnostics diags;
  std::vector<Token> tokens;

  explicit Lexed(std::string text) : file("stdin", std::move(text)), diags(&file) {
    tokens = lexAll(file, diags);
  }
  // Token names, space-separated: "attach point { variable = integer }".
  std::string kinds() const {
    std::string out;
    for (const auto &t : tokens)
      out += (out.empty() ? "" : " ") + tokenName(t.kind);
    return out;
  }
  std::string ids() const {
    std::string out;
    for (const auto &d : diags.all())
      out += std::string(out.empty() ? "" : " ") + diag::diagIdName(d.id) + "@" +
             std::to_string(d.range.begin) + "-" + std::to_string(d.range.end);
    return out;
  }
};

std::string kinds(const std::string &text) { return Lexed(text).kinds(); }

TEST(Lexer, TopLevelTokens) {
  EXPECT_EQ(kinds("BEGIN { }"), "attach point { }");
  EXPECT_EQ(kinds("kprobe:a, kprobe:b {}"), "attach point , attach point { }");
  EXPECT_EQ(kinds("config = { a = 1; }"), "config = { identifier = integer ; }");
}

TEST(Lexer, AttachPointIsOneToken) {
  Lexed l("uprobe:\"/my path\":fn+0x10,interval:s:1{");
  ASSERT_EQ(l.kinds(), "attach point , attach point {");
  EXPECT_EQ(l.tokens[0].text, "uprobe:\"/my path\":fn+0x10");
  EXPECT_EQ(l.tokens[0].range.begin, 0u);
  EXPECT_EQ(l.tokens[0].range.end, 25u);
  EXPECT_EQ(l.tokens[2].text, "interval:s:1");
  EXPECT_EQ(l.tokens[2].range.begin, 26u);
  EXPECT_EQ(l.tokens[2].range.end, 38u);
}

TEST(Lexer, AttachPointStopsAtSpaceCommaAndBraces) {
  Lexed l("kprobe:vfs_* /1/ {} t:a:b}");
  EXPECT_EQ(l.kinds(), "attach point / integer end of predicate { } attach point }");
  EXPECT_EQ(l.tokens[0].text, "kprobe:vfs_*");
  EXPECT_EQ(l.tokens[6].text, "t:a:b");
}

TEST(Lexer, PredicateLexesExpressions) {
  Lexed l("k:f / $x / 2 == @m[1] /\n  {");
  EXPECT_EQ(l.kinds(), "attach point / variable / integer == map [ integer ] end of predicate {");
  EXPECT_EQ(l.tokens[10].range.begin, 22u); // the closing `/`, not the `{`
  EXPECT_EQ(l.tokens[10].range.end, 23u);
}

TEST(Lexer, PredicateEndsBeforeCommentsAndBrace) {
  EXPECT_EQ(kinds("k:f /1/ // c\n /* d */ {}"), "attach point / integer end of predicate { }");
}

TEST(Lexer, BodyTracksBraceNesting) {
  EXPECT_EQ(kinds("BEGIN { if (1) { } } END:x { }"),
            "attach point { if ( integer ) { } } attach point { }");
}

TEST(Lexer, Operators) {
  EXPECT_EQ(kinds("B{|| && | ^ & == != < <= > >= << >> + - * / % ! ~ ? : . -> , ;}"),
            "attach point { || && | ^ & == != < <= > >= << >> + - * / % ! ~ ? : . -> , ; }");
  EXPECT_EQ(kinds("B{= += -= *= /= %= &= |= ^= <<= >>=}"),
            "attach point { = += -= *= /= %= &= |= ^= <<= >>= }");
  EXPECT_EQ(kinds("B{a<<=b>>c}"), "attach point { identifier <<= identifier >> identifier }");
}

TEST(Lexer, NamesAndKeywords) {
  Lexed l("B{ $var @map @ comm if else return config while for unroll break continue let "
          "import macro sizeof offsetof true }");
  EXPECT_EQ(l.kinds(), "attach point { variable map map identifier if else return config "
                       "while for unroll break continue let import macro sizeof offsetof "
                       "identifier }");
  EXPECT_EQ(l.tokens[2].text, "$var");
  EXPECT_EQ(l.tokens[3].text, "@map");
  EXPECT_EQ(l.tokens[4].text, "@");
  EXPECT_EQ(l.tokens[5].text, "comm");
}

TEST(Lexer, TokenRanges) {
  //       0         1
  //       0123456789012345678
  Lexed l("BEGIN { $x = 10; }");
  ASSERT_EQ(l.tokens.size(), 7u);
  uint32_t expected[][2] = {{0, 5}, {6, 7}, {8, 10}, {11, 12}, {13, 15}, {15, 16}, {17, 18}};
  for (size_t i = 0; i < l.tokens.size(); ++i) {
    EXPECT_EQ(l.tokens[i].range.begin, expected[i][0]) << i;
    EXPECT_EQ(l.tokens[i].range.end, expected[i][1]) << i;
  }
  EXPECT_EQ(l.tokens[4].integer, 10u);
}

TEST(Lexer, IntegerForms) {
  Lexed l("B{ 0 42 1_000 0x1F 0XfF 017 10u 10UL 10ull 1e3 18446744073709551615 }");
  ASSERT_TRUE(l.diags.ok());
  std::vector<uint64_t> values;
  for (const auto &t : l.tokens)
    if (t.kind == Parser::symbol_kind::S_INT)
      values.push_back(t.integer);
  EXPECT_EQ(values,
            (std::vector<uint64_t>{0, 42, 1000, 31, 255, 15, 10, 10, 10, 1000, UINT64_MAX}));
}

TEST(Lexer, BadIntegers) {
  //       0         1         2         3         4
  //       0123456789012345678901234567890123456789012345
  Lexed l("B{ 18446744073709551616 0x 089 12abc 1__0 1e }");
  EXPECT_EQ(l.ids(), "InvalidInteger@3-23 InvalidInteger@24-26 InvalidInteger@27-30 "
                     "InvalidInteger@31-36 InvalidInteger@37-41 InvalidInteger@42-44");
  EXPECT_EQ(l.kinds(), "attach point { integer integer integer integer integer integer }");
}

TEST(Lexer, Strings) {
  Lexed l(R"(B{ "a\tb\n\\\"\'" "\101\x41\0" "" })");
  ASSERT_TRUE(l.diags.ok());
  ASSERT_EQ(l.kinds(), "attach point { string string string }");
  EXPECT_EQ(l.tokens[2].text, "a\tb\n\\\"'");
  EXPECT_EQ(l.tokens[3].text, std::string("AA\0", 3));
  EXPECT_EQ(l.tokens[4].text, "");
  EXPECT_EQ(l.tokens[2].range.begin, 3u);
  EXPECT_EQ(l.tokens[2].range.end, 17u);
}

TEST(Lexer, InvalidEscapeRange) {
  //       0         1
  //       0123456789012
  Lexed l(R"(B{ "ab\qc\x" })");
  EXPECT_EQ(l.ids(), "InvalidEscape@6-8 InvalidEscape@9-11");
  EXPECT_EQ(l.tokens[2].text, "abqcx");
}

TEST(Lexer, UnterminatedString) {
  Lexed l("B{ \"abc\n}");
  EXPECT_EQ(l.ids(), "UnterminatedString@3-7");
  EXPECT_EQ(l.kinds(), "attach point { string }");
  Lexed eof("B{ \"abc\\");
  EXPECT_EQ(eof.ids(), "UnterminatedString@3-8");
}

TEST(Lexer, Comments) {
  EXPECT_EQ(kinds("// c\nB /* x\n * y */ { 1 // z\n /**/ 2 /***/ }"),
            "attach point { integer integer }");
  EXPECT_EQ(kinds("B { 4 /* a * / b */ / 2 }"), "attach point { integer / integer }");
}

TEST(Lexer, UnterminatedComment) {
  Lexed l("B { 1 /* never closed\n 2 }");
  EXPECT_EQ(l.ids(), "UnterminatedComment@6-8");
  EXPECT_EQ(l.kinds(), "attach point { integer");
}

TEST(Lexer, InvalidCharacters) {
  //       0         1
  //       0123456789012345
  Lexed l("B { 1 # $ \x01 \xc3\xa9 2 }");
  EXPECT_EQ(l.ids(), "InvalidCharacter@6-7 InvalidCharacter@8-9 InvalidCharacter@10-11 "
                     "InvalidCharacter@12-14");
  EXPECT_EQ(l.diags.all()[0].message, "invalid character '#'");
  EXPECT_EQ(l.diags.all()[2].message, "invalid character '\\x01'");
  EXPECT_EQ(l.diags.all()[3].message, "invalid character '\xc3\xa9'");
  EXPECT_EQ(l.kinds(), "attach point { integer integer }");
}

TEST(Lexer, ShebangIsSkippedButOffsetsAreKept) {
  Lexed l("#!/bin/scry -q\nBEGIN {}");
  ASSERT_EQ(l.kinds(), "attach point { }");
  EXPECT_EQ(l.tokens[0].range.begin, 15u);
}

TEST(Lexer, NulBytesAreScanned) {
  std::string text("B { \"a\0b\" }", 11);
  Lexed l(text);
  ASSERT_EQ(l.kinds(), "attach point { string }");
  EXPECT_EQ(l.tokens[2].text, std::string("a\0b", 3));
}

TEST(Lexer, TooManyOpenBracketsStops) {
  Lexed l("B { " + std::string(kMaxNesting + 5, '['));
  EXPECT_EQ(l.diags.errorCount(), 1u);
  EXPECT_TRUE(l.diags.has(diag::DiagId::NestingTooDeep));
  EXPECT_EQ(l.tokens.size(), 2u + kMaxNesting - 1);
}

} // namespace
} // namespace scry::parser
