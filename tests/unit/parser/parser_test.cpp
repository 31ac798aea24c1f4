// Parser tests for expressions and the top level: precedence and associativity (seen
// through the printer), node ranges, attach points, predicates, config, shebang.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

TEST(ParserExpr, Primaries) {
  EXPECT_EQ(exprOf("42"), "(IntegerLit 42)");
  EXPECT_EQ(exprOf("\"hi\\n\""), "(StringLit \"hi\\n\")");
  EXPECT_EQ(exprOf("comm"), "(Builtin comm)");
  EXPECT_EQ(exprOf("nosuchbuiltin"), "(Builtin nosuchbuiltin)");
  EXPECT_EQ(exprOf("$x"), "(Variable $x)");
  EXPECT_EQ(exprOf("@"), "(MapAccess @)");
  EXPECT_EQ(exprOf("@m"), "(MapAccess @m)");
  EXPECT_EQ(exprOf("@m[1, comm]"), "(MapAccess @m (IntegerLit 1) (Builtin comm))");
  EXPECT_EQ(exprOf("@[pid]"), "(MapAccess @ (Builtin pid))");
  EXPECT_EQ(exprOf("(7)"), "(IntegerLit 7)");
}

TEST(ParserExpr, CallsAndFields) {
  EXPECT_EQ(exprOf("exit()"), "(Call exit)");
  EXPECT_EQ(exprOf("printf(\"%d\", 1 + 2)"),
            "(Call printf (StringLit \"%d\") (Binary + (IntegerLit 1) (IntegerLit 2)))");
  EXPECT_EQ(exprOf("str(args.filename)"), "(Call str (FieldAccess .filename (Builtin args)))");
  EXPECT_EQ(exprOf("args->a.b"), "(FieldAccess .b (FieldAccess ->a (Builtin args)))");
  EXPECT_EQ(exprOf("-args.x"), "(Unary - (FieldAccess .x (Builtin args)))");
}

TEST(ParserExpr, Precedence) {
  EXPECT_EQ(exprOf("1 + 2 * 3"),
            "(Binary + (IntegerLit 1) (Binary * (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 * 2 + 3"),
            "(Binary + (Binary * (IntegerLit 1) (IntegerLit 2)) (IntegerLit 3))");
  EXPECT_EQ(exprOf("(1 + 2) * 3"),
            "(Binary * (Binary + (IntegerLit 1) (IntegerLit 2)) (IntegerLit 3))");
  EXPECT_EQ(exprOf("1 << 2 + 3"),
            "(Binary << (IntegerLit 1) (Binary + (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 < 2 << 3"),
            "(Binary < (IntegerLit 1) (Binary << (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 == 2 < 3"),
            "(Binary == (IntegerLit 1) (Binary < (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 & 2 == 3"),
            "(Binary & (IntegerLit 1) (Binary == (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 ^ 2 & 3"),
            "(Binary ^ (IntegerLit 1) (Binary & (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 | 2 ^ 3"),
            "(Binary | (IntegerLit 1) (Binary ^ (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 && 2 | 3"),
            "(Binary && (IntegerLit 1) (Binary | (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 || 2 && 3"),
            "(Binary || (IntegerLit 1) (Binary && (IntegerLit 2) (IntegerLit 3)))");
  EXPECT_EQ(exprOf("1 % 2 - 3 / 4"), "(Binary - (Binary % (IntegerLit 1) (IntegerLit 2)) (Binary / "
                                     "(IntegerLit 3) (IntegerLit 4)))");
  EXPECT_EQ(exprOf("a >= b != c <= d"),
            "(Binary != (Binary >= (Builtin a) (Builtin b)) (Binary <= (Builtin c) (Builtin d)))");
  EXPECT_EQ(exprOf("a > b >> c"), "(Binary > (Builtin a) (Binary >> (Builtin b) (Builtin c)))");
}

TEST(ParserExpr, LeftAssociative) {
  EXPECT_EQ(exprOf("1 - 2 - 3"),
            "(Binary - (Binary - (IntegerLit 1) (IntegerLit 2)) (IntegerLit 3))");
  EXPECT_EQ(exprOf("8 / 4 / 2"),
            "(Binary / (Binary / (IntegerLit 8) (IntegerLit 4)) (IntegerLit 2))");
  EXPECT_EQ(exprOf("1 == 2 == 3"),
            "(Binary == (Binary == (IntegerLit 1) (IntegerLit 2)) (IntegerLit 3))");
  EXPECT_EQ(exprOf("a || b || c"), "(Binary || (Binary || (Builtin a) (Builtin b)) (Builtin c))");
}

TEST(ParserExpr, Unary) {
  EXPECT_EQ(exprOf("-1"), "(Unary - (IntegerLit 1))");
  EXPECT_EQ(exprOf("!~-x"), "(Unary ! (Unary ~ (Unary - (Builtin x))))");
  EXPECT_EQ(exprOf("-1 * 2"), "(Binary * (Unary - (IntegerLit 1)) (IntegerLit 2))");
  EXPECT_EQ(exprOf("1 - -2"), "(Binary - (IntegerLit 1) (Unary - (IntegerLit 2)))");
  EXPECT_EQ(exprOf("!a && b"), "(Binary && (Unary ! (Builtin a)) (Builtin b))");
}

TEST(ParserExpr, TernaryIsRightAssociativeAndLoosest) {
  EXPECT_EQ(exprOf("a ? b : c"), "(Ternary (Builtin a) (Builtin b) (Builtin c))");
  EXPECT_EQ(exprOf("a ? b : c ? d : e"),
            "(Ternary (Builtin a) (Builtin b) (Ternary (Builtin c) (Builtin d) (Builtin e)))");
  EXPECT_EQ(exprOf("a ? b ? c : d : e"),
            "(Ternary (Builtin a) (Ternary (Builtin b) (Builtin c) (Builtin d)) (Builtin e))");
  EXPECT_EQ(exprOf("a || b ? c + 1 : d"),
            "(Ternary (Binary || (Builtin a) (Builtin b)) (Binary + (Builtin c) (IntegerLit 1)) "
            "(Builtin d))");
}

TEST(ParserExpr, RangesCoverTheWholeSource) {
  //            0         1         2
  //            0123456789012345678901234567
  Parsed p("BEGIN { (1 + 2) * foo(3, @m[4]) }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  auto *stmt = ast::cast<ast::ExprStmt>(p.program->probes[0]->body->stmts[0]);
  auto *mul = ast::cast<ast::Binary>(stmt->expr);
  EXPECT_EQ(p.file.slice(mul->range), "(1 + 2) * foo(3, @m[4])");
  EXPECT_EQ(p.file.slice(mul->lhs->range), "1 + 2");
  auto *call = ast::cast<ast::Call>(mul->rhs);
  EXPECT_EQ(p.file.slice(call->range), "foo(3, @m[4])");
  EXPECT_EQ(p.file.slice(call->args[1]->range), "@m[4]");
  EXPECT_EQ(p.file.slice(stmt->range), "(1 + 2) * foo(3, @m[4])");
  EXPECT_EQ(p.file.slice(p.program->probes[0]->body->range), "{ (1 + 2) * foo(3, @m[4]) }");
  EXPECT_EQ(p.file.slice(p.program->probes[0]->range), p.file.text());
  EXPECT_EQ(p.file.slice(p.program->range), p.file.text());
}

TEST(ParserExpr, FieldAndUnaryRanges) {
  Parsed p("BEGIN { -args->x.y }");
  auto *stmt = ast::cast<ast::ExprStmt>(p.program->probes[0]->body->stmts[0]);
  auto *neg = ast::cast<ast::Unary>(stmt->expr);
  EXPECT_EQ(p.file.slice(neg->range), "-args->x.y");
  EXPECT_EQ(p.file.slice(neg->operand->range), "args->x.y");
  EXPECT_EQ(p.file.slice(ast::cast<ast::FieldAccess>(neg->operand)->base->range), "args->x");
}

TEST(ParserTop, AttachPointForms) {
  const char *forms[] = {
      "tracepoint:syscalls:sys_enter_openat",
      "tracepoint:syscalls:sys_enter_*",
      "interval:s:1",
      "interval:ms:500",
      "profile:hz:99",
      "uprobe:/bin/bash:readline",
      "uprobe:libc:malloc+0x10",
      "usdt:./a.out:prov:probe",
      "kprobe:vfs_*",
      "self:signal:SIGUSR1",
      "i:s:1",
      "uprobe:\"/path with space\":fn",
      "BEGIN",
      "END",
      "begin",
      "end",
      "hardware:cache-misses:1000000",
  };
  for (const char *form : forms) {
    Parsed p(std::string(form) + " { }");
    ASSERT_TRUE(p.diags.ok()) << form << "\n" << p.rendered();
    ASSERT_EQ(p.program->probes.size(), 1u);
    ASSERT_EQ(p.program->probes[0]->attach_points.size(), 1u);
    auto *ap = p.program->probes[0]->attach_points[0];
    EXPECT_EQ(ap->text, form);
    EXPECT_EQ(p.file.slice(ap->range), form);
  }
}

TEST(ParserTop, SeveralAttachPointsAndProbes) {
  Parsed p("kprobe:a,kprobe:b ,\n  kretprobe:c { }\nBEGIN{}END{}");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  ASSERT_EQ(p.program->probes.size(), 3u);
  auto &aps = p.program->probes[0]->attach_points;
  ASSERT_EQ(aps.size(), 3u);
  EXPECT_EQ(aps[0]->text, "kprobe:a");
  EXPECT_EQ(aps[1]->text, "kprobe:b");
  EXPECT_EQ(aps[2]->text, "kretprobe:c");
  EXPECT_EQ(p.program->probes[1]->attach_points[0]->text, "BEGIN");
  EXPECT_EQ(p.program->probes[2]->attach_points[0]->text, "END");
}

TEST(ParserTop, Predicate) {
  Parsed p("tracepoint:a:b /pid == 1 && $x / 2 > 3/ { }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  auto *probe = p.program->probes[0];
  ASSERT_NE(probe->predicate, nullptr);
  EXPECT_EQ(sexpr(printed(probe->predicate)),
            "(Binary && (Binary == (Builtin pid) (IntegerLit 1)) "
            "(Binary > (Binary / (Variable $x) (IntegerLit 2)) (IntegerLit 3)))");
  EXPECT_EQ(p.file.slice(probe->predicate->range), "pid == 1 && $x / 2 > 3");
}

TEST(ParserTop, PredicateAfterBareNameNeedsNoSpace) {
  Parsed p("BEGIN/1/{ }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  EXPECT_NE(p.program->probes[0]->predicate, nullptr);
}

TEST(ParserTop, NoPredicate) {
  Parsed p("BEGIN { }");
  EXPECT_EQ(p.program->probes[0]->predicate, nullptr);
  EXPECT_TRUE(p.program->probes[0]->body->stmts.empty());
}

TEST(ParserTop, ConfigPreamble) {
  Parsed p("config = { max_map_keys = 1_000; on_stack_size = 0x10; missing_probes = \"warn\"; }\n"
           "BEGIN { }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  auto &config = p.program->config;
  ASSERT_EQ(config.size(), 3u);
  EXPECT_EQ(config[0]->key, "max_map_keys");
  EXPECT_EQ(ast::cast<ast::IntegerLit>(config[0]->value)->value, 1000u);
  EXPECT_EQ(ast::cast<ast::IntegerLit>(config[1]->value)->value, 16u);
  EXPECT_EQ(ast::cast<ast::StringLit>(config[2]->value)->value, "warn");
  EXPECT_EQ(p.file.slice(config[2]->range), "missing_probes = \"warn\"");
  EXPECT_EQ(p.program->probes.size(), 1u);
}

TEST(ParserTop, ConfigWithoutTrailingSemicolonOrItems) {
  Parsed a("config = { a = 1 } BEGIN { }");
  ASSERT_TRUE(a.diags.ok()) << a.rendered();
  EXPECT_EQ(a.program->config.size(), 1u);
  Parsed b("config = { } BEGIN { }");
  ASSERT_TRUE(b.diags.ok()) << b.rendered();
  EXPECT_TRUE(b.program->config.empty());
}

TEST(ParserTop, ShebangLineIsSkipped) {
  Parsed p("#!/usr/bin/env scry\nBEGIN { exit() }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  ASSERT_EQ(p.program->probes.size(), 1u);
  auto *ap = p.program->probes[0]->attach_points[0];
  EXPECT_EQ(ap->range.begin, 20u); // offsets stay those of the file
  EXPECT_EQ(p.file.slice(ap->range), "BEGIN");
}

TEST(ParserTop, HashElsewhereIsNotAShebang) {
  Parsed p("BEGIN { }\n#!x");
  EXPECT_TRUE(p.diags.has(diag::DiagId::InvalidCharacter));
}

TEST(ParserTop, EmptyProgramIsAnError) {
  for (const char *text : {"", "  // nothing\n", "#!/bin/scry\n", "config = { a = 1 }"}) {
    Parsed p(text);
    ASSERT_EQ(p.diags.all().size(), 1u) << text << "\n" << p.rendered();
    EXPECT_EQ(p.diags.all()[0].id, diag::DiagId::SyntaxError);
    auto end = static_cast<uint32_t>(p.file.text().size());
    EXPECT_EQ(p.diags.all()[0].range.begin, end);
    EXPECT_NE(p.program, nullptr);
    EXPECT_TRUE(p.program->probes.empty());
  }
}

TEST(ParserTop, NulBytesDoNotTruncateTheScript) {
  std::string text("BEGIN { printf(\"a\0b\") }\0", 24);
  text += " END { }";
  Parsed p(text);
  // The NUL inside the string is data; the one between probes is an invalid character.
  ASSERT_EQ(p.ids(), "InvalidCharacter@23-24");
  ASSERT_EQ(p.program->probes.size(), 2u);
  auto *call =
      ast::cast<ast::Call>(ast::cast<ast::ExprStmt>(p.program->probes[0]->body->stmts[0])->expr);
  EXPECT_EQ(ast::cast<ast::StringLit>(call->args[0])->value, std::string("a\0b", 3));
}

TEST(ParserTop, NodeIdsAreDense) {
  Parsed p("BEGIN { @x[1] += 2; }");
  EXPECT_EQ(p.program->id() + 1, p.ctx.size());
}

} // namespace
} // namespace scry::parser::test
