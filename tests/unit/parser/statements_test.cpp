// Parser tests for statements: assignments, compound assignments (desugared), if/else,
// return, separators and empty statements.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

TEST(ParserStmt, ExpressionStatement) { EXPECT_EQ(stmtOf("exit()"), "(ExprStmt (Call exit))"); }

TEST(ParserStmt, Assignments) {
  EXPECT_EQ(stmtOf("$x = 1"), "(AssignVar (Variable $x) (IntegerLit 1))");
  EXPECT_EQ(stmtOf("@x = count()"), "(AssignMap (MapAccess @x) (Call count))");
  EXPECT_EQ(stmtOf("@x[pid] = 1"), "(AssignMap (MapAccess @x (Builtin pid)) (IntegerLit 1))");
  EXPECT_EQ(stmtOf("@x[pid, comm] = 1"),
            "(AssignMap (MapAccess @x (Builtin pid) (Builtin comm)) (IntegerLit 1))");
  EXPECT_EQ(stmtOf("@[comm] = 1"), "(AssignMap (MapAccess @ (Builtin comm)) (IntegerLit 1))");
  EXPECT_EQ(stmtOf("@ = 1"), "(AssignMap (MapAccess @) (IntegerLit 1))");
  EXPECT_EQ(stmtOf("$x = $y = 1"),
            "error: stdin:1:17-18: ERROR: syntax error, unexpected =, expecting ; or }\n"
            "BEGIN { $x = $y = 1 }\n"
            "                ~\n");
}

TEST(ParserStmt, CompoundAssignmentsDesugar) {
  const char *ops[] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"};
  for (const char *op : ops) {
    EXPECT_EQ(stmtOf(std::string("$x ") + op + "= 2"),
              std::string("(AssignVar (Variable $x) (Binary ") + op +
                  " (Variable $x) (IntegerLit 2)))");
    EXPECT_EQ(stmtOf(std::string("@m[1] ") + op + "= 2"),
              std::string("(AssignMap (MapAccess @m (IntegerLit 1)) (Binary ") + op +
                  " (MapAccess @m (IntegerLit 1)) (IntegerLit 2)))");
  }
}

TEST(ParserStmt, CompoundAssignmentCopiesTheTarget) {
  Parsed p("BEGIN { @m[pid, 2] += 3; $v -= 1 }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  auto &stmts = p.program->probes[0]->body->stmts;
  auto *assign = ast::cast<ast::AssignMap>(stmts[0]);
  auto *sum = ast::cast<ast::Binary>(assign->value);
  auto *copy = ast::cast<ast::MapAccess>(sum->lhs);
  EXPECT_NE(copy, assign->map);
  EXPECT_EQ(copy->name, "@m");
  EXPECT_EQ(copy->keys, assign->map->keys); // the same key nodes
  EXPECT_EQ(p.file.slice(copy->range), "@m[pid, 2]");
  EXPECT_EQ(p.file.slice(assign->range), "@m[pid, 2] += 3");
  EXPECT_EQ(p.file.slice(sum->range), "@m[pid, 2] += 3");

  auto *var = ast::cast<ast::AssignVar>(stmts[1]);
  auto *diff = ast::cast<ast::Binary>(var->value);
  EXPECT_NE(diff->lhs, var->var);
  EXPECT_EQ(ast::cast<ast::Variable>(diff->lhs)->name, "$v");
  EXPECT_EQ(p.file.slice(diff->lhs->range), "$v");
}

TEST(ParserStmt, If) {
  EXPECT_EQ(stmtOf("if (pid) { exit() }"), "(If (Builtin pid) (Block (ExprStmt (Call exit))))");
  EXPECT_EQ(stmtOf("if (pid) { } else { $x = 1 }"),
            "(If (Builtin pid) (Block) (Else (Block (AssignVar (Variable $x) (IntegerLit 1)))))");
  EXPECT_EQ(stmtOf("if (a) { } else if (b) { } else { }"),
            "(If (Builtin a) (Block) (Else (If (Builtin b) (Block) (Else (Block)))))");
}

TEST(ParserStmt, IfRange) {
  Parsed p("BEGIN { if (a) { } else if (b) { 1 } }");
  auto *stmt = ast::cast<ast::If>(p.program->probes[0]->body->stmts[0]);
  EXPECT_EQ(p.file.slice(stmt->range), "if (a) { } else if (b) { 1 }");
  EXPECT_EQ(p.file.slice(stmt->else_stmt->range), "if (b) { 1 }");
}

TEST(ParserStmt, Return) {
  EXPECT_EQ(stmtOf("return"), "(Return)");
  EXPECT_EQ(stmtOf("return;"), "(Return)");
  EXPECT_EQ(stmtOf("return 1 + 2"), "(Return (Binary + (IntegerLit 1) (IntegerLit 2)))");
}

TEST(ParserStmt, SeparatorsAndEmptyStatements) {
  Parsed p("BEGIN { ;; $a = 1;; if (x) { } $b = 2; if (y) { }; exit(); }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  auto &stmts = p.program->probes[0]->body->stmts;
  ASSERT_EQ(stmts.size(), 5u);
  EXPECT_EQ(stmts[0]->kind(), ast::NodeKind::AssignVar);
  EXPECT_EQ(stmts[1]->kind(), ast::NodeKind::If);
  EXPECT_EQ(stmts[2]->kind(), ast::NodeKind::AssignVar);
  EXPECT_EQ(stmts[3]->kind(), ast::NodeKind::If);
  EXPECT_EQ(stmts[4]->kind(), ast::NodeKind::ExprStmt);
}

TEST(ParserStmt, StatementsNeedSeparators) {
  Parsed p("BEGIN { $a = 1 $b = 2 }");
  EXPECT_EQ(p.ids(), "SyntaxError@15-17");
  EXPECT_EQ(p.diags.all()[0].message, "syntax error, unexpected variable, expecting ; or }");
}

// `import` is a top-level item: inside a body it gets its own message.
TEST(ParserStmt, ImportInsideABodyIsAnError) {
  Parsed p("BEGIN { import \"x.bt\"; }");
  ASSERT_EQ(p.diags.errorCount(), 1u);
  EXPECT_EQ(p.ids(), "SyntaxError@8-14");
  EXPECT_EQ(p.diags.all()[0].message,
            "import is only allowed at the top level of a script, outside probes and macros");
}

TEST(ParserStmt, ReservedKeywordsAreNotNames) {
  for (const char *word : {"macro", "else"}) {
    Parsed p(std::string("BEGIN { ") + word + " }");
    ASSERT_EQ(p.diags.errorCount(), 1u) << word;
    EXPECT_EQ(p.diags.all()[0].message, std::string("syntax error, unexpected ") + word) << word;
  }
  // offsetof(T, f) is an expression since issue 3: a bare one lacks its parenthesis.
  Parsed p("BEGIN { offsetof }");
  EXPECT_EQ(p.diags.all().at(0).message, "syntax error, unexpected }, expecting (");
}

TEST(ParserStmt, TrueAndFalseAreIdentifiers) {
  EXPECT_EQ(stmtOf("$t = true"), "(AssignVar (Variable $t) (Builtin true))");
}

} // namespace
} // namespace scry::parser::test

namespace scry::parser::test {
namespace {

// bpftrace 0.24: `if` takes any expression; a parenthesised one is just one of them.
TEST(ParserStmt, IfWithoutParentheses) {
  EXPECT_EQ(stmtOf("if $x { @a = 1 }"), stmtOf("if ($x) { @a = 1 }"));
  EXPECT_EQ(stmtOf("if !$x { @a = 1 } else if $y > 2 { @a = 2 }"),
            stmtOf("if (!$x) { @a = 1 } else if ($y > 2) { @a = 2 }"));
}

// bpftrace 0.25: `_ = expr;` evaluates expr and drops the value.
TEST(ParserStmt, DiscardAssignment) {
  EXPECT_EQ(stmtOf("_ = has_key(@m, 1)"), "(ExprStmt (Call has_key (MapAccess @m) (IntegerLit 1)))");
  Parsed p("BEGIN { x = 1; }");
  ASSERT_EQ(p.diags.errorCount(), 1u);
  EXPECT_EQ(p.ids(), "SyntaxError@8-9");
  EXPECT_EQ(p.diags.all()[0].message, "syntax error, cannot assign to 'x': assign to a variable "
                                      "($x), a map (@x), or _ to discard the value");
}

} // namespace
} // namespace scry::parser::test
