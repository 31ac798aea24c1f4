// User functions (issue 3, sema/checker_fns.cpp): arguments and returned values are
// checked against the signature, and their errors are located at the call's argument
// or at the return.
#include "checked.h"

namespace scry::testing {
namespace {

TEST(UserFunctions, TypesFlowThroughTheCall) {
  Checked c("fn add($a: int64, $b: int64): int64 { return $a + $b; }"
            " fn name($p: string): string { return $p; }"
            " BEGIN { $x = add(1, (int8)2); $s = name(comm); }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "int64");
  EXPECT_EQ(c.valueType(1).rfind("string", 0), 0u);
}

TEST(UserFunctions, WrongArgumentType) {
  Checked c("fn add($a: int64, $b: int64): int64 { return $a + $b; } BEGIN { $x = add(1, \"x\"); }");
  ASSERT_TRUE(c.has(diag::DiagId::FunctionError));
  EXPECT_EQ(c.message(),
            "Cannot call function 'add' with a value of type string[2] for parameter $b (int64)");
  EXPECT_EQ(c.slice(0), "\"x\"");
}

TEST(UserFunctions, WrongReturnType) {
  Checked c("fn f(): int64 { return \"no\"; } BEGIN { $x = f(); }");
  ASSERT_TRUE(c.has(diag::DiagId::FunctionError));
  EXPECT_EQ(c.message(), "Function f is of type int64, cannot return string[3]");
  EXPECT_EQ(c.slice(0), "return \"no\"");
}

TEST(UserFunctions, UnsupportedParameterType) {
  Checked c("fn f($t: struct task_struct): int64 { return 1; } BEGIN { $x = f(1); }");
  EXPECT_FALSE(c.diags.ok());
}

TEST(UserFunctions, UnknownNamesSuggestAFunction) {
  Checked c("fn add($a: int64): int64 { return $a; } BEGIN { $x = addd(1); }");
  ASSERT_TRUE(c.has(diag::DiagId::UnknownFunction));
  ASSERT_EQ(c.diags.all().size(), 1u);
  EXPECT_EQ(c.diags.all()[0].hints.at(0), "did you mean 'add'?");
}

} // namespace
} // namespace scry::testing
