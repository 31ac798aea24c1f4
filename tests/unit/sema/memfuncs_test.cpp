// Sema of find(@m, k, $out) (issue 5, helper "memfuncs"): the bool it returns, the type
// it gives its output variable, and every misuse as a located error.
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using diag::DiagId;
using testing::Checked;

TEST(FindSema, ReturnsBoolAndDeclaresItsVariable) {
  Checked c("BEGIN { @m[1] = 5; $ok = find(@m, 1, $v); $w = $v + 1; }");
  EXPECT_EQ(c.diags.errorCount(), 0u) << c.message();
  EXPECT_EQ(c.valueType(1), "bool");
}

TEST(FindSema, FillsALetDeclaredVariable) {
  Checked c("BEGIN { @m[\"a\"] = \"xyz\"; let $s; if (find(@m, \"a\", $s)) { printf(\"%s\", $s); } }");
  EXPECT_EQ(c.diags.errorCount(), 0u) << c.message();
}

TEST(FindSema, TupleKeysAndValues) {
  Checked c("BEGIN { @m[1, \"a\"] = (2, \"b\"); if (find(@m, (1, \"a\"), $t)) { print($t.1); } }");
  EXPECT_EQ(c.diags.errorCount(), 0u) << c.message();
}

TEST(FindSema, ArgumentCount) {
  Checked c("BEGIN { @m[1] = 1; find(@m, 1); }");
  EXPECT_TRUE(c.has(DiagId::ArgumentCount));
  EXPECT_EQ(c.message(), "find() requires exactly 3 arguments (2 provided)");
}

TEST(FindSema, OutputMustBeAVariable) {
  Checked c("BEGIN { @m[1] = 1; find(@m, 1, @x); }");
  EXPECT_TRUE(c.has(DiagId::ArgumentType));
  EXPECT_EQ(c.message(), "find() expects a variable to store the value in");
  EXPECT_EQ(c.slice(0), "@x");
}

TEST(FindSema, FirstArgumentMustBeAMap) {
  Checked c("BEGIN { $a = 1; find($a, 1, $v); }");
  EXPECT_EQ(c.message(), "find() expects a map argument");
  Checked d("BEGIN { @m[1] = 1; find(@m[1], 1, $v); }");
  EXPECT_EQ(d.message(), "find() expects a map, not one of its elements");
  Checked e("BEGIN { find(@nope, 1, $v); }");
  EXPECT_EQ(e.message(), "Undefined map: @nope");
}

TEST(FindSema, KeyTypeMustMatch) {
  Checked c("BEGIN { @m[1] = 1; find(@m, \"a\", $v); }");
  EXPECT_TRUE(c.has(DiagId::MapKeyMismatch));
  EXPECT_EQ(c.slice(0), "\"a\"");
}

TEST(FindSema, VariableTypeMustMatch) {
  Checked c("BEGIN { @m[1] = 1; $s = \"str\"; find(@m, 1, $s); }");
  EXPECT_TRUE(c.has(DiagId::VariableTypeMismatch));
  EXPECT_EQ(c.slice(0), "$s");
}

TEST(FindSema, RefusesPerCpuAggregations) {
  Checked c("BEGIN { @c[1] = count(); find(@c, 1, $v); }");
  EXPECT_TRUE(c.has(DiagId::ArgumentType));
  EXPECT_EQ(c.slice(0), "@c");
}

} // namespace
} // namespace scry

namespace scry {
namespace {

// write_user() with --unsafe given or not.
struct Unsafe {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  explicit Unsafe(const std::string &text, bool unsafe) : file("stdin", text) {
    testing::FakeTypes types;
    ast::Program *program = parser::parse(file, ctx, diags);
    auto probes = sema::expandAttachPoints(*program, types, diags);
    if (diags.ok())
      sema::resolveTypes(*program, ctx, probes, sema::Inputs{&types, {}, {}, unsafe}, diags);
  }
  std::string message() const { return diags.all().empty() ? "" : diags.all().front().message; }
};

TEST(WriteUserSema, NeedsUnsafe) {
  Unsafe safe("BEGIN { write_user(0, \"ab\", 2); }", false);
  EXPECT_TRUE(safe.diags.has(diag::DiagId::UnsafeFunction));
  Unsafe unsafe("BEGIN { write_user(0, \"ab\", 2); write_user(0, 5, 8); }", true);
  EXPECT_EQ(unsafe.diags.errorCount(), 0u) << unsafe.message();
}

TEST(WriteUserSema, Arguments) {
  EXPECT_EQ(Unsafe("BEGIN { write_user(\"x\", \"ab\", 2); }", true).message(),
            "write_user() expects a user address as its destination (string[2] provided)");
  EXPECT_EQ(Unsafe("BEGIN { $n = 1; write_user(0, \"ab\", $n); }", true).message(),
            "write_user() expects an integer literal as its length");
  EXPECT_EQ(Unsafe("BEGIN { write_user(0, 1, 9); }", true).message(),
            "write_user() length must be between 1 and 8, the size of the value written (9 given)");
  EXPECT_EQ(Unsafe("BEGIN { write_user(0, \"ab\", 0); }", true).message(),
            "write_user() length must be between 1 and 3, the size of the value written (0 given)");
}

} // namespace
} // namespace scry

namespace scry {
namespace {

TEST(SocketCookieSema, RefusedOutsideTracingProbes) {
  // A script struct stands in for the kernel's (the fake BTF has none).
  Checked c("struct sock { int x; } BEGIN { $s = (struct sock *)0; print(socket_cookie($s)); }");
  EXPECT_TRUE(c.has(DiagId::BuiltinNotAvailable)) << c.message();
  EXPECT_EQ(c.message(), "socket_cookie can not be used with \"BEGIN\" probes");
}

TEST(SocketCookieSema, ArgumentMustBeASockPointer) {
  Checked c("BEGIN { print(socket_cookie(1)); }");
  EXPECT_EQ(c.message(), "socket_cookie() expects a struct sock * (int64 provided)");
  EXPECT_EQ(c.slice(0), "1");
}

} // namespace
} // namespace scry
