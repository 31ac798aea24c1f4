// Type checking of the language beyond the foundation: loops, let, casts, sizeof,
// tuples, positional parameters, struct members through BTF pointers.
#include <gtest/gtest.h>

#include "checked.h"
#include "parser/parse.h"
#include "sema/sema.h"

namespace scry {
namespace {

using Typed = testing::Checked;


TEST(Language, LoopsAndJumps) {
  EXPECT_TRUE(Typed("BEGIN { $i = 0; while ($i < 3) { $i++; if ($i == 2) { break; } } }")
                  .diags.ok());
  EXPECT_TRUE(Typed("BEGIN { for ($i : 0..5) { continue; } }").diags.ok());
  EXPECT_TRUE(Typed("BEGIN { break; }").has(diag::DiagId::JumpOutsideLoop));
  EXPECT_TRUE(Typed("BEGIN { unroll(101) { } }").has(diag::DiagId::InvalidLoop));
  EXPECT_TRUE(Typed("BEGIN { unroll(0) { } }").has(diag::DiagId::InvalidLoop));
  EXPECT_TRUE(Typed("BEGIN { $n = 2; unroll($n) { } }").has(diag::DiagId::InvalidLoop));
  EXPECT_TRUE(Typed("BEGIN { unroll(2) { break; } }").has(diag::DiagId::JumpOutsideLoop));
  EXPECT_TRUE(Typed("BEGIN { for ($i : 0..\"a\") { } }").has(diag::DiagId::InvalidLoop));
  // The loop variable is scoped to the loop.
  EXPECT_TRUE(Typed("BEGIN { for ($i : 0..2) { } $x = $i; }").has(diag::DiagId::UndefinedVariable));
}

TEST(Language, LetDeclarations) {
  EXPECT_TRUE(Typed("BEGIN { let $x: uint8 = 300; let $y; $y = \"s\"; let $z = 1; }").diags.ok());
  EXPECT_TRUE(Typed("BEGIN { $x = 1; let $x = 2; }").has(diag::DiagId::Redeclaration));
  EXPECT_TRUE(Typed("BEGIN { let $y; $z = $y; }").has(diag::DiagId::UndefinedVariable));
  EXPECT_TRUE(Typed("BEGIN { let $x: nosuch = 1; }").has(diag::DiagId::UnknownType));
  // Strings (bpftrace's stdlib declares `let $v : string[64];`): smaller strings fit.
  EXPECT_TRUE(Typed("BEGIN { let $s: string[8]; $s = \"abc\"; let $t: string = comm; }")
                  .diags.ok());
  EXPECT_TRUE(Typed("BEGIN { let $s: string[4] = \"abcdef\"; }")
                  .has(diag::DiagId::VariableTypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { let $s: string[4] = 1; }").has(diag::DiagId::VariableTypeMismatch));
  // A variable whose assignment failed to check is not reported again where it is used.
  Typed failed("BEGIN { $x = \"s\"; $y = $x + 1; print($y); }");
  EXPECT_TRUE(failed.has(diag::DiagId::TypeMismatch));
  EXPECT_FALSE(failed.has(diag::DiagId::UndefinedVariable));
}

TEST(Language, Casts) {
  Typed t("BEGIN { $a = (uint8)300; $b = (int16)-1; $c = (unsigned int)5; $d = (bool)3; }");
  ASSERT_TRUE(t.diags.ok());
  EXPECT_EQ(t.valueType(0), "uint8");
  EXPECT_EQ(t.valueType(1), "int16");
  EXPECT_EQ(t.valueType(2), "uint32");
  EXPECT_EQ(t.valueType(3), "bool");
  EXPECT_TRUE(Typed("BEGIN { $a = (uint8)\"s\"; }").has(diag::DiagId::InvalidCast));
  EXPECT_TRUE(Typed("BEGIN { $a = (struct nosuch *)0; }").has(diag::DiagId::UnknownType));
}

TEST(Language, SizeofIsConstant) {
  Typed t("BEGIN { $a = sizeof(uint16); $b = sizeof(comm); $c = sizeof(struct task_struct); }");
  ASSERT_TRUE(t.diags.ok());
  auto value = [&](size_t i) {
    auto *assign = ast::cast<ast::AssignVar>(t.program->probes[0]->body->stmts[i]);
    return t.analysis.constants.at(assign->value->id());
  };
  EXPECT_EQ(value(0), 2u);
  EXPECT_EQ(value(1), 16u);
  EXPECT_EQ(value(2), 4096u);
}

TEST(Language, Tuples) {
  Typed t("BEGIN { $t = (1, \"ab\", comm); $x = $t.0; $s = $t.2; @m = (pid, 2); }");
  ASSERT_TRUE(t.diags.ok());
  EXPECT_EQ(t.valueType(0), "(int64, string[3], string[16])");
  EXPECT_EQ(t.valueType(1), "int64");
  EXPECT_EQ(t.valueType(2), "string[16]");
  EXPECT_EQ(t.analysis.maps.at("@m").value.str(), "(uint64, int64)");
  EXPECT_TRUE(Typed("BEGIN { $t = (1, 2); $x = $t.2; }").has(diag::DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $x = pid.0; }").has(diag::DiagId::TypeMismatch));
}

TEST(Language, PositionalParameters) {
  Typed t("BEGIN { $a = $1; $b = $2; $n = $#; $c = str($2); }", {"42", "hello"});
  ASSERT_TRUE(t.diags.ok());
  EXPECT_EQ(t.valueType(0), "int64");
  EXPECT_EQ(t.valueType(1), "string[6]");
  EXPECT_EQ(t.valueType(2), "int64");
  Typed missing("BEGIN { $a = $3; }", {"1"});
  EXPECT_TRUE(missing.diags.ok()); // a warning, as bpftrace 0.24+
  EXPECT_TRUE(missing.has(diag::DiagId::PositionalParameter));
}

TEST(Language, MembersThroughKernelPointers) {
  Typed t("BEGIN { $p = curtask->pid; $c = curtask->real_parent->comm; "
          "$q = ((struct task_struct *)curtask).pid; }");
  ASSERT_TRUE(t.diags.ok());
  EXPECT_EQ(t.valueType(0), "int32");
  EXPECT_EQ(t.valueType(1), "string[16]");
  EXPECT_EQ(t.valueType(2), "int32");
  Typed bad("BEGIN { $p = curtask->pidd; }");
  ASSERT_TRUE(bad.has(diag::DiagId::NoSuchField));
  EXPECT_EQ(bad.diags.all()[0].hints.at(0), "did you mean 'pid'?");
}

TEST(Language, DerefAndBools) {
  EXPECT_TRUE(Typed("BEGIN { $b = true; if ($b && !false) { } }").diags.ok());
  EXPECT_TRUE(Typed("BEGIN { $x = *curtask; }").has(diag::DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $x = *pid; }").has(diag::DiagId::TypeMismatch));
}

} // namespace
} // namespace scry

namespace scry {
namespace {

TEST(Language, Indexing) {
  EXPECT_TRUE(Typed("BEGIN { $s = \"ab\"; $c = $s[1]; $d = curtask->comm[0]; }").diags.ok());
  EXPECT_TRUE(Typed("BEGIN { $s = \"ab\"; $c = $s[3]; }").has(diag::DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $c = pid[0]; }").has(diag::DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $s = \"ab\"; $c = $s[\"x\"]; }").has(diag::DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("tracepoint:syscalls:sys_enter_openat { $c = args.filename[2]; }").diags.ok());
}

TEST(Language, MapIncrementStartsFromZero) {
  Typed t("BEGIN { @n++; @k[1] += 5; }");
  ASSERT_TRUE(t.diags.ok());
  EXPECT_EQ(t.analysis.maps.at("@n").value.str(), "int64");
  EXPECT_EQ(t.analysis.maps.at("@k").key.str(), "int64");
}

} // namespace
} // namespace scry

namespace scry {
namespace {


TEST(Config, EnvironmentOverridesTheScript) {
  testing::Checked c("config = { max_strlen = 64 } BEGIN { }", {},
                     {{"BPFTRACE_MAX_STRLEN", "100"}});
  EXPECT_TRUE(c.diags.ok());
  EXPECT_EQ(c.analysis.config.max_strlen, 100u);
}

TEST(Config, RenamedUnknownAndInertNamesWarn) {
  testing::Checked c("config = { log_size = 1; symbol_source = 1 } BEGIN { }", {},
                     {{"BPFTRACE_STRLEN", "10"}, {"BPFTRACE_NOPE", "1"}, {"BPFTRACE_BTF", "/x"}});
  EXPECT_TRUE(c.diags.ok());
  EXPECT_EQ(c.warnings(), 4u); // log_size, symbol_source, STRLEN renamed, NOPE unknown
  EXPECT_EQ(c.analysis.config.max_strlen, 1024u);
}

TEST(Config, InvalidValuesAreErrors) {
  EXPECT_FALSE(testing::Checked("config = { max_strlen = 5000 } BEGIN { }").diags.ok());
  EXPECT_FALSE(testing::Checked("BEGIN { }", {}, {{"BPFTRACE_MAX_MAP_KEYS", "lots"}}).diags.ok());
}

TEST(Language, MapMismatchNamesTheFirstPlace) {
  Typed t("BEGIN { @x = 1; }\nEND { @x = \"s\"; }");
  ASSERT_TRUE(t.has(diag::DiagId::MapValueMismatch));
  EXPECT_EQ(t.diags.all().back().hints.at(0), "@x got its type at stdin:1:9: @x = 1");
}

} // namespace
} // namespace scry

namespace scry {
namespace {

TEST(Language, MoreBuiltins) {
  Typed t("BEGIN { $a = rand; $b = jiffies; $c = numaid; $d = cgroup; $e = ncpus; }");
  ASSERT_TRUE(t.diags.ok());
  EXPECT_EQ(t.valueType(0), "uint32");
  EXPECT_EQ(t.valueType(1), "uint64");
  EXPECT_EQ(t.valueType(2), "uint32");
  EXPECT_EQ(t.valueType(3), "uint64");
  EXPECT_EQ(t.valueType(4), "uint32");
}

} // namespace
} // namespace scry
