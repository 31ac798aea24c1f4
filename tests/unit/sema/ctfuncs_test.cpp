// Sema of bpftrace 0.24-0.26's compile-time functions: builtins called as
// functions, pid(ns)/tid(ns), fail(), assert(), static_assert(), the type predicates and
// `if` on a constant, typeof, container_of and config.KEY; every misuse a located error.
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using diag::DiagId;
using testing::Checked;

std::string begin(const std::string &body) { return "BEGIN { " + body + " }"; }

TEST(BuiltinCalls, SameAsTheBuiltin) {
  Checked c(begin("@p = pid(); @t = tid(); @c = comm(); @u = uid(); @n = nsecs(); @r = rand();"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@p").str(), "uint64");
  EXPECT_EQ(c.map("@c").str(), "string[16]");
  auto *assign = ast::cast<ast::AssignMap>(c.program->probes[0]->body->stmts[0]);
  EXPECT_TRUE(ast::isa<ast::Builtin>(assign->value)); // pid() is the builtin pid
}

TEST(BuiltinCalls, UnknownNameStaysAnUnknownFunction) {
  Checked c(begin("@p = pidd();"));
  EXPECT_TRUE(c.has(DiagId::UnknownFunction));
}

TEST(PidNamespace, CurrentAndInit) {
  Checked c(begin("$a = pid(curr_ns); $b = pid(init); $c = tid(init); $d = tid(curr_ns);"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(1), "uint32");
  EXPECT_EQ(c.valueType(2), "uint32");
}

TEST(PidNamespace, UnknownNamespaceIsLocatedWithAHint) {
  Checked c(begin("@a = pid(cur_ns);"));
  ASSERT_TRUE(c.has(DiagId::ArgumentType));
  EXPECT_EQ(c.slice(0), "cur_ns");
  EXPECT_EQ(c.diags.all()[0].hints.at(0), "did you mean 'curr_ns'?");
  EXPECT_TRUE(Checked(begin("@a = tid(1);")).has(DiagId::ArgumentType));
  Checked two(begin("@a = pid(init, init);"));
  ASSERT_TRUE(two.has(DiagId::ArgumentCount));
  EXPECT_EQ(two.message(), "pid() requires at most 1 argument (2 provided)");
}

TEST(Fail, ReachedIsAnErrorAtTheCall) {
  Checked c(begin("fail(\"bad %s: %d%%\", \"x\", 5 + 1);"));
  ASSERT_TRUE(c.has(DiagId::CompileTimeFailure));
  EXPECT_EQ(c.message(), "bad x: 6%");
  EXPECT_EQ(c.slice(0), "fail(\"bad %s: %d%%\", \"x\", 5 + 1)");
}

TEST(Fail, DeadBranchIsNotChecked) {
  Checked c(begin("if (0) { fail(\"no\"); $x = \"a\" + pid; } else { @ok = 1; }"));
  EXPECT_TRUE(c.diags.ok()) << c.message();
  Checked p("BEGIN { if ($1 < 2) { fail(\"want more than 1, got %d\", $1); } }", {"1"});
  ASSERT_TRUE(p.has(DiagId::CompileTimeFailure));
  EXPECT_EQ(p.message(), "want more than 1, got 1");
  EXPECT_TRUE(Checked("BEGIN { if ($1 < 2) { fail(\"x\"); } }", {"5"}).diags.ok());
}

TEST(Fail, ArgumentsMustBeLiterals) {
  Checked c(begin("fail(\"%d\", pid);"));
  ASSERT_TRUE(c.has(DiagId::ArgumentType));
  EXPECT_EQ(c.slice(0), "pid");
  EXPECT_TRUE(Checked(begin("$f = \"x\"; fail($f);")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Checked(begin("fail(\"%d %d\", 1);")).has(DiagId::PrintfFormat));
  EXPECT_TRUE(Checked(begin("fail(\"%d\", \"s\");")).has(DiagId::PrintfFormat));
  EXPECT_TRUE(Checked(begin("fail();")).has(DiagId::ArgumentCount));
}

TEST(StaticAssert, FalseFailsWithTheMessage) {
  EXPECT_TRUE(Checked(begin("static_assert(1 + 1 == 2, \"math\");")).diags.ok());
  Checked c(begin("static_assert(sizeof(int32) == 8, \"int32 is 4 bytes\");"));
  ASSERT_TRUE(c.has(DiagId::CompileTimeFailure));
  EXPECT_EQ(c.message(), "int32 is 4 bytes");
  EXPECT_TRUE(c.slice(0).rfind("static_assert(", 0) == 0);
}

TEST(StaticAssert, NeedsConstants) {
  Checked c(begin("static_assert(pid == 1, \"x\");"));
  ASSERT_TRUE(c.has(DiagId::ArgumentType));
  EXPECT_EQ(c.slice(0), "pid == 1");
  EXPECT_TRUE(Checked(begin("$m = \"x\"; static_assert(1, $m);")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Checked(begin("static_assert(1);")).has(DiagId::ArgumentCount));
}

TEST(AssertStr, AcceptsStringLikeValues) {
  EXPECT_TRUE(Checked(begin("assert_str(comm); assert_str(\"x\"); $a = (int8[4])0; "
                            "assert_str($a); assert_str((int8 *)0);")).diags.ok());
}

TEST(AssertStr, RefusesOthersAtTheCall) {
  const char *cases[][2] = {
      {"assert_str(1);", "string-like values must be either strings, arrays or pointers"},
      {"$a = (uint32[2])0; assert_str($a);", "string-like arrays must contain a char-like type"},
      {"assert_str((int64 *)0);", "string-like pointers must point to a char-like type"},
  };
  for (const auto &[body, message] : cases) {
    Checked c(begin(body));
    ASSERT_TRUE(c.has(DiagId::CompileTimeFailure)) << body;
    EXPECT_EQ(c.message(), message);
    EXPECT_TRUE(c.slice(0).rfind("assert_str(", 0) == 0) << c.slice(0);
  }
}

TEST(Assert, IsAnIfWithErrorfAndExit) {
  Checked c(begin("assert(pid > 0, \"no pid\");"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  auto *stmt = ast::cast<ast::ExprStmt>(c.program->probes[0]->body->stmts[0]);
  auto *block = ast::cast<ast::BlockExpr>(stmt->expr);
  EXPECT_TRUE(ast::isa<ast::If>(block->stmts.at(0)));
  Checked arity(begin("assert(pid > 0);"));
  ASSERT_TRUE(arity.has(DiagId::ArgumentCount));
  EXPECT_EQ(arity.message(), "assert() requires exactly 2 arguments (1 provided)");
}

TEST(TypePredicates, ConstantBools) {
  Checked c(begin("$s = \"a\"; $i = (uint8)1; $p = (int8 *)0;"
                  "@a = is_str($s); @b = is_integer($i); @c = is_unsigned_integer($i);"
                  "@d = is_ptr($p); @e = is_array($s); @f = is_literal(1); @g = is_literal($i);"
                  "@h = is_unsigned_integer(-1);"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@a").str(), "bool");
  auto constant = [&](size_t i) {
    auto *assign = ast::cast<ast::AssignMap>(c.program->probes[0]->body->stmts.at(i));
    return c.analysis.constants.at(assign->value->id());
  };
  EXPECT_EQ(constant(3), 1u);
  EXPECT_EQ(constant(4), 1u);
  EXPECT_EQ(constant(5), 1u);
  EXPECT_EQ(constant(6), 1u);
  EXPECT_EQ(constant(7), 0u);
  EXPECT_EQ(constant(8), 1u);
  EXPECT_EQ(constant(9), 0u);
  EXPECT_EQ(constant(10), 0u);
}

TEST(TypePredicates, MacroBranchesOnTheArgumentsType) {
  Checked c("macro show(x, @s, @n) { if (is_str(x)) { @s[x] = count(); }"
            " else { @n[x + 1] = count(); } }"
            "BEGIN { show(\"a\", @s, @n); show(41, @s, @n); }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.analysis.maps.at("@s").key.str(), "string[2]");
  EXPECT_EQ(c.analysis.maps.at("@n").key.str(), "int64");
}

TEST(TypePredicates, IsErr) {
  EXPECT_TRUE(Checked(begin("@e = is_err(curtask); @f = is_err(-4);")).diags.ok());
  Checked c(begin("@e = is_err(\"s\");"));
  ASSERT_TRUE(c.has(DiagId::ArgumentType));
  EXPECT_EQ(c.slice(0), "\"s\"");
  EXPECT_TRUE(Checked(begin("@e = is_str();")).has(DiagId::ArgumentCount));
}

TEST(Config, ReadsTheConfiguredValue) {
  Checked c("config = { max_strlen = 100 } BEGIN { @a = config.max_strlen; @b = config.max_map_keys; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@a").str(), "uint64");
  auto *assign = ast::cast<ast::AssignMap>(c.program->probes[0]->body->stmts[0]);
  EXPECT_EQ(c.analysis.constants.at(assign->value->id()), 100u);
}

TEST(Config, UnknownKeyAndBareConfig) {
  Checked c(begin("@a = config.max_strlne;"));
  ASSERT_TRUE(c.has(DiagId::NoSuchField));
  EXPECT_EQ(c.slice(0), "config.max_strlne");
  EXPECT_EQ(c.diags.all()[0].hints.at(0), "did you mean 'max_strlen'?");
  EXPECT_TRUE(Checked(begin("@a = config;")).has(DiagId::NotARecord));
}

TEST(Typeof, CastsAndDeclarations) {
  // Variables hold integers as 64-bit values in scry: typeof($x) of one is (u)int64.
  Checked c(begin("$x = (uint16)1; $y = (typeof((uint16)0))70000; let $z: typeof($x) = 3;"
                  "$w = (typeof(uint8))300; @s = sizeof(typeof($x)); $q = (typeof($x))1;"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(1), "uint16");
  EXPECT_EQ(c.valueType(3), "uint8");
  EXPECT_EQ(c.valueType(5), "uint64");
  Checked bad(begin("$y = (typeof($nope))1;"));
  EXPECT_TRUE(bad.has(DiagId::UndefinedVariable));
}

TEST(Typeof, InAMacro) {
  Checked c("macro same(a, b) { (typeof(a))b } BEGIN { $s = (int8)1; @v = same($s, 1000); }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@v").str(), "int64"); // a map widens; the cast itself is int8
}

TEST(ContainerOf, PointsAtTheContainer) {
  Checked c("struct Foo { int a; int b; } BEGIN { $c = container_of((int32 *)1000, struct Foo, b);"
            " @a = $c->a; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "struct Foo *");
}

TEST(ContainerOf, Misuse) {
  Checked member("struct Foo { int a; } BEGIN { $c = container_of((int32 *)8, struct Foo, z); }");
  ASSERT_TRUE(member.has(DiagId::NoSuchField));
  Checked notptr("struct Foo { int a; } BEGIN { $c = container_of(\"x\", struct Foo, a); }");
  ASSERT_TRUE(notptr.has(DiagId::ArgumentType));
  EXPECT_EQ(notptr.slice(0), "\"x\"");
}

} // namespace
} // namespace scry
