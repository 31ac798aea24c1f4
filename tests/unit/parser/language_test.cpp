// Parser tests for the language beyond the foundation: loops, let, casts, sizeof,
// tuples, positional parameters, increments, dereference.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

TEST(ParserLanguage, Loops) {
  EXPECT_EQ(stmtOf("while ($i < 3) { $i++; }"),
            "(While (Binary < (Variable $i) (IntegerLit 3)) (Block (AssignVar (Variable $i) "
            "(Binary + (Variable $i) (IntegerLit 1)))))");
  EXPECT_EQ(stmtOf("unroll(3) { break; }"), "(Unroll (IntegerLit 3) (Block (Jump break)))");
  EXPECT_EQ(stmtOf("for ($i : 0..10) { continue; }"),
            "(ForRange (Variable $i) (IntegerLit 0) (IntegerLit 10) (Block (Jump continue)))");
}

TEST(ParserLanguage, LetForms) {
  EXPECT_EQ(stmtOf("let $x"), "(VarDecl (Variable $x))");
  EXPECT_EQ(stmtOf("let $x = 1"), "(VarDecl (Variable $x) (IntegerLit 1))");
  EXPECT_EQ(stmtOf("let $x: uint32 = 1"), "(VarDecl uint32 (Variable $x) (IntegerLit 1))");
  EXPECT_EQ(stmtOf("let $p: struct task_struct *"),
            "(VarDecl struct task_struct * (Variable $p))");
}

TEST(ParserLanguage, IncrementsDesugar) {
  EXPECT_EQ(stmtOf("$x++"),
            "(AssignVar (Variable $x) (Binary + (Variable $x) (IntegerLit 1)))");
  EXPECT_EQ(stmtOf("--@m[1]"), "(AssignMap (MapAccess @m (IntegerLit 1)) (Binary - "
                               "(MapAccess @m (IntegerLit 1)) (IntegerLit 1)))");
}

TEST(ParserLanguage, CastsAndSizeof) {
  EXPECT_EQ(stmtOf("$x = (uint32)-1"),
            "(AssignVar (Variable $x) (Cast uint32 (Unary - (IntegerLit 1))))");
  EXPECT_EQ(stmtOf("$x = (unsigned long long)1"),
            "(AssignVar (Variable $x) (Cast unsigned long long (IntegerLit 1)))");
  EXPECT_EQ(stmtOf("$x = ((struct task_struct *)curtask)->pid"),
            "(AssignVar (Variable $x) (FieldAccess ->pid (Cast struct task_struct * "
            "(Builtin curtask))))");
  EXPECT_EQ(stmtOf("$x = sizeof(uint16) + sizeof($y)"),
            "(AssignVar (Variable $x) (Binary + (Sizeof uint16) (Sizeof (Variable $y))))");
  // A parenthesised expression is not a cast.
  EXPECT_EQ(stmtOf("$x = (pid) - 1"),
            "(AssignVar (Variable $x) (Binary - (Builtin pid) (IntegerLit 1)))");
}

TEST(ParserLanguage, TuplesAndIndexing) {
  EXPECT_EQ(stmtOf("$t = (1, \"a\", pid)"),
            "(AssignVar (Variable $t) (Tuple (IntegerLit 1) (StringLit \"a\") (Builtin pid)))");
  EXPECT_EQ(stmtOf("$x = $t.1"), "(AssignVar (Variable $x) (TupleIndex .1 (Variable $t)))");
}

TEST(ParserLanguage, PositionalParamsAndDeref) {
  EXPECT_EQ(stmtOf("$x = $1 + $#"),
            "(AssignVar (Variable $x) (Binary + (PositionalParam $1) (PositionalParam $#)))");
  EXPECT_EQ(stmtOf("$x = *$p * 2"),
            "(AssignVar (Variable $x) (Binary * (Unary * (Variable $p)) (IntegerLit 2)))");
}

TEST(ParserLanguage, DurationLiterals) {
  EXPECT_EQ(stmtOf("$x = 10ms"), "(AssignVar (Variable $x) (IntegerLit 10000000))");
  EXPECT_EQ(stmtOf("$x = 2s + 5us + 7ns"),
            "(AssignVar (Variable $x) (Binary + (Binary + (IntegerLit 2000000000) "
            "(IntegerLit 5000)) (IntegerLit 7)))");
}

} // namespace
} // namespace scry::parser::test

namespace scry::parser::test {
namespace {

TEST(ParserLanguage, PreprocessorLines) {
  Parsed p("#include <linux/sched.h>\n#define N 0x10\n#define S \"x\"\nBEGIN { $a = N; $b = S; }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  EXPECT_EQ(sexpr(printed(p.program->probes[0]->body)),
            "(Block (AssignVar (Variable $a) (IntegerLit 16)) (AssignVar (Variable $b) "
            "(StringLit \"x\")))");
  EXPECT_EQ(Parsed("#pragma once\nBEGIN {}").ids(), "InvalidCharacter@0-12");
  EXPECT_EQ(Parsed("#define X y z\nBEGIN {}").ids(), "InvalidInteger@0-13");
}

} // namespace
} // namespace scry::parser::test

namespace scry::parser::test {
namespace {

TEST(ParserLanguage, IndexingVersusMapKeys) {
  EXPECT_EQ(stmtOf("$x = args.args[1]"),
            "(AssignVar (Variable $x) (Index (FieldAccess .args (Builtin args)) (IntegerLit 1)))");
  // After a map name, `[` opens its keys.
  EXPECT_EQ(stmtOf("$x = @m[1]"), "(AssignVar (Variable $x) (MapAccess @m (IntegerLit 1)))");
  EXPECT_EQ(stmtOf("$x = $s[$i]"), "(AssignVar (Variable $x) (Index (Variable $s) (Variable $i)))");
}

} // namespace
} // namespace scry::parser::test
