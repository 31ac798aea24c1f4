// User functions (issue 3, parser/fn_signature.cpp and parser/functions.cpp): the
// signature is read, each call is inlined with its returns lowered, and each misuse
// the parser can see is one located error.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

TEST(FnSignature, ParametersAndResult) {
  Parsed p("fn add($a: int64, $b: unsigned int, $c: struct task_struct *): string { return \"x\"; }"
           " BEGIN { }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  ASSERT_EQ(p.program->functions.size(), 1u);
  const ast::FnDef &fn = *p.program->functions[0];
  EXPECT_EQ(fn.name, "add");
  ASSERT_EQ(fn.params.size(), 3u);
  EXPECT_EQ(fn.params[1].type.base, "unsigned int");
  EXPECT_EQ(fn.params[2].type.str(), "struct task_struct *");
  EXPECT_EQ(fn.result.str(), "string");
  EXPECT_EQ(fn.signature(),
            "add($a: int64, $b: unsigned int, $c: struct task_struct *): string");
  EXPECT_FALSE(fn.isVoid());
}

TEST(FnSignature, Errors) {
  EXPECT_EQ(Parsed("fn f($a int64): void { } BEGIN { }").ids(), "SyntaxError@8-9");
  EXPECT_EQ(Parsed("fn f(a: int64): void { } BEGIN { }").ids(), "SyntaxError@5-6");
  Parsed no_result("fn f($a: int64) { } BEGIN { }");
  EXPECT_NE(no_result.rendered().find("expecting ':' and the return type"), std::string::npos);
}

TEST(FnInline, ACallBecomesABlockWithTypedParameters) {
  Parsed p("fn add($a: int64, $b: int64): int64 { return $a + $b; } BEGIN { $x = add(1, 2); }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  auto *assign = ast::cast<ast::AssignVar>(p.program->probes[0]->body->stmts[0]);
  auto *block = ast::dyn_cast<ast::BlockExpr>(assign->value);
  ASSERT_NE(block, nullptr);
  auto *a = ast::cast<ast::VarDecl>(block->stmts[0]);
  EXPECT_EQ(a->var->name, "$a (in fn add)");
  EXPECT_EQ(a->fn_param, 0u);
  EXPECT_EQ(a->type.base, "int64");
  auto *result = ast::cast<ast::VarDecl>(block->stmts[2]);
  EXPECT_EQ(result->fn_param, ast::VarDecl::kFnResult);
  EXPECT_EQ(ast::cast<ast::Variable>(block->value)->name, "$result (in fn add)");
  // No Return statement survives: it would leave the probe.
  std::vector<ast::Node *> todo{block};
  while (!todo.empty()) {
    ast::Node *n = todo.back();
    todo.pop_back();
    EXPECT_FALSE(ast::isa<ast::Return>(n));
    ast::forEachChild(n, [&](ast::Node *c) { todo.push_back(c); });
  }
}

TEST(FnInline, AStatementCallIsABlock) {
  Parsed p("fn hi(): void { printf(\"hi\\n\"); } BEGIN { hi(); }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  EXPECT_TRUE(ast::isa<ast::Block>(p.program->probes[0]->body->stmts[0]));
}

TEST(FnInline, Errors) {
  const char *cases[][2] = {
      {"fn f(): int64 { return 1; } BEGIN { f(1); }", "ArgumentCount@36-40"},
      {"fn f($a: int64): int64 { if ($a) { return 1; } } BEGIN { }", "FunctionError@0-22"},
      {"fn f(): int64 { return f(); } BEGIN { $x = f(); }", "FunctionError@23-26"},
      {"fn f(): void { return 1; } BEGIN { f(); }", "FunctionError@15-23"},
      {"fn f(): int64 { return; } BEGIN { $x = f(); }", "FunctionError@16-22"},
      {"fn f(): void { } BEGIN { $x = f(); }", "FunctionError@30-33"},
      {"fn pid(): int64 { return 1; } BEGIN { }", "FunctionError@0-15"},
      {"fn f(): void { } fn f(): void { } BEGIN { }", "FunctionError@17-29"},
      {"macro f() { 1 } fn f(): void { } BEGIN { }", "FunctionError@16-28"},
      {"fn f($a: int64, $a: int64): void { } BEGIN { }", "FunctionError@16-18"},
      {"fn f(): int64 { for ($i : 0..2) { return 1; } return 0; } BEGIN { $x = f(); }",
       "InvalidLoop@34-42"},
      // Inlined, they would leave the caller's loop; inside the body's own loop they are fine.
      {"fn f(): void { break; } BEGIN { }", "FunctionError@15-20"},
      {"fn f(): void { if (1) { continue; } } BEGIN { }", "FunctionError@24-32"},
      {"fn f(): void { while (1) { break; } unroll(2) { continue; } } BEGIN { f(); }", ""},
  };
  for (const auto &[text, ids] : cases)
    EXPECT_EQ(Parsed(text).ids(), ids) << text;
}

TEST(FnInline, ReturnsInLoopsAndBranches) {
  // All paths return through if/else; a return inside while needs a final return.
  EXPECT_TRUE(Parsed("fn f($x: int64): int64 { if ($x) { return 1; } else { return 2; } }"
                     " BEGIN { $y = f(1); }").diags.ok());
  EXPECT_EQ(Parsed("fn f($x: int64): int64 { while ($x) { return 1; } } BEGIN { }").ids(),
            "FunctionError@0-22");
}

} // namespace
} // namespace scry::parser::test
