// Parser tests for errors: bpftrace-style syntax error messages with the offending
// token's range, recovery at statement and probe level (several errors per run), and
// the nesting guard.
#include <gtest/gtest.h>

#include "parse_helpers.h"
#include "parser/driver.h"

namespace scry::parser::test {
namespace {

TEST(ParserErrors, MessageNamesTokensReadably) {
  Parsed p("BEGIN { printf(\"x\" }");
  EXPECT_EQ(p.rendered(), "stdin:1:20-21: ERROR: syntax error, unexpected }, expecting , or )\n"
                          "BEGIN { printf(\"x\" }\n"
                          "                   ~\n");
}

TEST(ParserErrors, ExpectedListKeepsALoneSlash) {
  Parsed p("kprobe:a kprobe:b { }");
  EXPECT_EQ(p.diags.all()[0].message,
            "syntax error, unexpected attach point, expecting , or { or /");
  Parsed q("BEGIN { $x = a ? b; }");
  EXPECT_EQ(q.diags.all()[0].message, "syntax error, unexpected ;, expecting :");
}

TEST(ParserErrors, UnexpectedEndOfFile) {
  Parsed p("BEGIN { exit()");
  ASSERT_EQ(p.diags.all().size(), 1u);
  EXPECT_EQ(p.diags.all()[0].message, "syntax error, unexpected end of file, expecting ; or }");
  EXPECT_EQ(p.ids(), "SyntaxError@14-14");
}

TEST(ParserErrors, SeveralStatementErrorsInOneRun) {
  //          0         1         2         3         4
  //          0123456789012345678901234567890123456789012345
  Parsed p("BEGIN { $a = ; exit(1 2); $b = 1 + ; @c = 3 }");
  EXPECT_EQ(p.ids(), "SyntaxError@13-14 SyntaxError@22-23 SyntaxError@35-36");
  // The good statement after the errors is kept.
  auto &stmts = p.program->probes[0]->body->stmts;
  ASSERT_EQ(stmts.size(), 1u);
  EXPECT_EQ(stmts[0]->kind(), ast::NodeKind::AssignMap);
}

TEST(ParserErrors, ErrorsInNestedBlocksStayInThem) {
  Parsed p("BEGIN { if (a) { 1 +; } $x = 2; if (b c) { $y = 3; } $z = 4 }");
  EXPECT_EQ(p.ids(), "SyntaxError@20-21 SyntaxError@38-39");
  auto &stmts = p.program->probes[0]->body->stmts;
  ASSERT_EQ(stmts.size(), 3u);
  EXPECT_EQ(stmts[0]->kind(), ast::NodeKind::If);
  EXPECT_EQ(stmts[1]->kind(), ast::NodeKind::AssignVar);
  EXPECT_EQ(stmts[2]->kind(), ast::NodeKind::AssignVar);
}

TEST(ParserErrors, ProbeLevelRecovery) {
  //          0         1         2         3         4         5
  //          012345678901234567890123456789012345678901234567890123
  Parsed p("kprobe:a kprobe:b { } kprobe:c /pid == / { } BEGIN { }");
  EXPECT_EQ(p.ids(), "SyntaxError@9-17 SyntaxError@39-40");
  ASSERT_EQ(p.program->probes.size(), 2u);
  EXPECT_EQ(p.program->probes[0]->attach_points[0]->text, "kprobe:b");
  EXPECT_EQ(p.program->probes[1]->attach_points[0]->text, "BEGIN");
}

TEST(ParserErrors, MissingPredicateEnd) {
  Parsed p("kprobe:f /pid == 1 { } BEGIN { exit() }");
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.rendered();
  EXPECT_EQ(p.ids(), "SyntaxError@19-20");
  ASSERT_EQ(p.program->probes.size(), 1u);
  EXPECT_EQ(p.program->probes[0]->attach_points[0]->text, "BEGIN");
}

TEST(ParserErrors, StrayTokensAtTopLevel) {
  Parsed p("} BEGIN { } ; END { }");
  EXPECT_EQ(p.ids(), "SyntaxError@0-1 SyntaxError@12-13");
  EXPECT_EQ(p.diags.all()[0].message,
            "syntax error, unexpected }, expecting end of file or attach point or config");
  ASSERT_EQ(p.program->probes.size(), 2u);
}

TEST(ParserErrors, BadConfigRecovers) {
  Parsed p("config = { a = ; b = 2 } BEGIN { }");
  EXPECT_EQ(p.ids(), "SyntaxError@15-16");
  ASSERT_EQ(p.program->config.size(), 1u);
  EXPECT_EQ(p.program->config[0]->key, "b");
  EXPECT_EQ(p.program->probes.size(), 1u);

  Parsed q("config { a = 1 } BEGIN { }");
  EXPECT_EQ(q.ids(), "SyntaxError@7-8");
  EXPECT_EQ(q.program->probes.size(), 1u);
}

TEST(ParserErrors, LexicalErrorsDoNotCascade) {
  Parsed p("BEGIN { $x = 99999999999999999999; $y = \"a\\q\"; $z = 1 #+ 2 }");
  EXPECT_EQ(p.ids(), "InvalidInteger@13-33 InvalidEscape@42-44 InvalidCharacter@54-55");
  EXPECT_EQ(p.program->probes[0]->body->stmts.size(), 3u);
}

TEST(ParserErrors, UnterminatedStringAndComment) {
  Parsed p("BEGIN { printf(\"abc);\n}");
  EXPECT_TRUE(p.diags.has(diag::DiagId::UnterminatedString));
  Parsed q("BEGIN { } /* no end");
  EXPECT_EQ(q.ids(), "UnterminatedComment@10-12");
}

TEST(ParserErrors, DeepParenthesesAreReportedNotFatal) {
  Parsed p("BEGIN { " + std::string(100000, '(') + "1" + " }");
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.diags.all()[0].message;
  const auto &d = p.diags.all()[0];
  EXPECT_EQ(d.id, diag::DiagId::NestingTooDeep);
  EXPECT_EQ(d.range.begin, 8u + kMaxNesting - 1); // the first bracket past the limit
  EXPECT_EQ(d.range.end - d.range.begin, 1u);
  EXPECT_TRUE(p.program->probes.empty());
}

TEST(ParserErrors, DeepBalancedParenthesesToo) {
  std::string text = "BEGIN { " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }";
  Parsed p(text);
  EXPECT_EQ(p.diags.errorCount(), 1u);
  EXPECT_TRUE(p.diags.has(diag::DiagId::NestingTooDeep));
}

TEST(ParserErrors, DeepBlocks) {
  std::string text = "BEGIN { ";
  for (int i = 0; i < 2000; ++i)
    text += "if (1) { ";
  Parsed p(text);
  EXPECT_EQ(p.diags.errorCount(), 1u);
  EXPECT_TRUE(p.diags.has(diag::DiagId::NestingTooDeep));
}

TEST(ParserErrors, DeepUnaryChainsAndLongOperatorChains) {
  Parsed unary("BEGIN { $x = " + std::string(100000, '~') + "1; }");
  EXPECT_EQ(unary.diags.errorCount(), 1u);
  EXPECT_TRUE(unary.diags.has(diag::DiagId::NestingTooDeep));
  EXPECT_TRUE(unary.program->probes.empty());

  std::string chain = "BEGIN { $x = 1";
  for (int i = 0; i < 50000; ++i)
    chain += " + 1";
  Parsed sum(chain + "; }");
  EXPECT_EQ(sum.diags.errorCount(), 1u);
  EXPECT_TRUE(sum.diags.has(diag::DiagId::NestingTooDeep));
}

TEST(ParserErrors, ReasonableDepthIsFine) {
  std::string text = "BEGIN { $x = " + std::string(200, '(') + "1" + std::string(200, ')');
  for (int i = 0; i < 200; ++i)
    text += " + 1";
  Parsed p(text + " }");
  EXPECT_TRUE(p.diags.ok()) << p.rendered();
}

TEST(ParserErrors, ManyProbesAndStatementsAreFlat) {
  std::string text;
  for (int i = 0; i < 3000; ++i)
    text += "kprobe:f" + std::to_string(i) + " { $x = 1; $y = 2; }\n";
  Parsed p(text);
  EXPECT_TRUE(p.diags.ok());
  EXPECT_EQ(p.program->probes.size(), 3000u);
}

} // namespace
} // namespace scry::parser::test
