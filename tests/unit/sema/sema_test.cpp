// The semantic pass: attach-point expansion and type checking, hermetically with a
// fake type source. Assertions are on diagnostic ids and ranges, not wording.
#include <gtest/gtest.h>

#include "checked.h"
#include "parser/parse.h"
#include "sema/sema.h"

namespace scry {
namespace {

using testing::Checked;


TEST(AttachPoints, ExpandsKindsAndNames) {
  Checked c("BEGIN {} end {} tracepoint:syscalls:sys_enter_openat {} t:sched:sched_switch {} "
            "interval:ms:500 {} i:s:2 {} interval:hz:4 {}");
  ASSERT_TRUE(c.diags.ok());
  ASSERT_EQ(c.probes.size(), 7u);
  EXPECT_EQ(c.probes[0].name, "BEGIN");
  EXPECT_EQ(c.probes[1].name, "END");
  EXPECT_EQ(c.probes[2].name, "tracepoint:syscalls:sys_enter_openat");
  EXPECT_EQ(c.probes[3].name, "tracepoint:sched:sched_switch");
  EXPECT_EQ(c.probes[4].period_ns, 500000000u);
  EXPECT_EQ(c.probes[5].name, "interval:s:2");
  EXPECT_EQ(c.probes[6].period_ns, 250000000u);
}

TEST(AttachPoints, Wildcards) {
  Checked c("tracepoint:s*:sys_enter_* { }");
  ASSERT_TRUE(c.diags.ok());
  ASSERT_EQ(c.probes.size(), 1u);
  EXPECT_EQ(c.probes[0].event, "sys_enter_openat");
}

TEST(AttachPoints, Errors) {
  EXPECT_TRUE(Checked("nope:x {}").has(diag::DiagId::UnknownProbeType));
  EXPECT_TRUE(Checked("tracepoint:nope:nope {}").has(diag::DiagId::TracepointNotFound));
  EXPECT_TRUE(Checked("tracepoint:x {}").has(diag::DiagId::InvalidAttachPoint));
  EXPECT_TRUE(Checked("interval:parsec:1 {}").has(diag::DiagId::InvalidAttachPoint));
  EXPECT_TRUE(Checked("interval:s:0 {}").has(diag::DiagId::InvalidAttachPoint));
  Checked typo("tracepoint:syscalls:sys_enter_opnat {}");
  ASSERT_EQ(typo.diags.all().size(), 1u);
  EXPECT_EQ(typo.diags.all()[0].hints.at(0), "did you mean tracepoint:syscalls:sys_enter_openat?");
}

TEST(Types, BuiltinsAndLiterals) {
  Checked c("BEGIN { $p = pid; $c = comm; $n = nsecs; $s = \"abc\"; $b = 1 == 2; }");
  ASSERT_TRUE(c.diags.ok());
  auto *block = c.program->probes[0]->body;
  auto typeOfValue = [&](size_t i) {
    return c.analysis.typeOf(ast::cast<ast::AssignVar>(block->stmts[i])->value).str();
  };
  EXPECT_EQ(typeOfValue(0), "uint32");
  EXPECT_EQ(typeOfValue(1), "string[16]");
  EXPECT_EQ(typeOfValue(2), "uint64");
  EXPECT_EQ(typeOfValue(3), "string[4]");
  EXPECT_EQ(typeOfValue(4), "bool");
}

TEST(Types, StringPlusIntegerIsLocatedError) {
  Checked c("BEGIN { @x = 1 + \"a\"; }");
  ASSERT_EQ(c.diags.errorCount(), 1u);
  EXPECT_EQ(c.diags.all()[0].id, diag::DiagId::TypeMismatch);
  EXPECT_EQ(c.slice(0), "1 + \"a\"");
}

TEST(Types, VariablesMustBeAssignedFirstAndAreBlockScoped) {
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d\", $x); }").has(diag::DiagId::UndefinedVariable));
  EXPECT_TRUE(Checked("BEGIN { if (1) { $x = 1; } printf(\"%d\", $x); }")
                  .has(diag::DiagId::UndefinedVariable));
  EXPECT_TRUE(Checked("BEGIN { $x = 1; if (1) { $x = 2; } printf(\"%d\", $x); }").diags.ok());
  EXPECT_TRUE(Checked("BEGIN { $x = 1; $x = \"s\"; }").has(diag::DiagId::VariableTypeMismatch));
}

TEST(Types, MapsUnifyAcrossProbes) {
  Checked ok("BEGIN { @a[\"x\"] = 1; } END { @a[\"longer\"] = 2; printf(\"%d\", @b); } "
             "interval:s:1 { @b = 3; }");
  ASSERT_TRUE(ok.diags.ok());
  EXPECT_EQ(ok.analysis.maps.at("@a").key.str(), "string[7]");
  EXPECT_EQ(ok.analysis.maps.at("@b").value.str(), "int64");

  Checked value("BEGIN { @x = 1; } END { @x = \"s\"; }");
  ASSERT_TRUE(value.has(diag::DiagId::MapValueMismatch));
  Checked key("BEGIN { @x[1] = 1; @x[\"a\"] = 2; }");
  ASSERT_TRUE(key.has(diag::DiagId::MapKeyMismatch));
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d\", @never); }").has(diag::DiagId::MapUsedAsValue));
}

TEST(Types, MultiKeyMapsAreTuples) {
  Checked c("BEGIN { @m[1, \"a\", comm] = count(); }");
  ASSERT_TRUE(c.diags.ok());
  EXPECT_EQ(c.analysis.maps.at("@m").key.str(), "(int64, string[2], string[16])");
  EXPECT_EQ(c.analysis.maps.at("@m").value.str(), "count_t");
}

TEST(Calls, ArityUnknownAndPlacement) {
  Checked unknown("BEGIN { foo(); }");
  ASSERT_TRUE(unknown.has(diag::DiagId::UnknownFunction));
  EXPECT_EQ(unknown.slice(0), "foo()");
  EXPECT_TRUE(Checked("BEGIN { exit(1, 2); }").has(diag::DiagId::ArgumentCount));
  EXPECT_TRUE(Checked("BEGIN { $x = count(); }").has(diag::DiagId::AggregationInExpression));
  EXPECT_TRUE(Checked("BEGIN { @x = printf(\"a\"); }").has(diag::DiagId::ArgumentType));
  EXPECT_TRUE(Checked("BEGIN { exit(\"a\"); }").has(diag::DiagId::ArgumentType));
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d\", nope); }").has(diag::DiagId::UnknownBuiltin));
}

TEST(Calls, PrintfFormatIsChecked) {
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d %s\\n\", 1, \"a\"); }").diags.ok());
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d %d\", 1); }").has(diag::DiagId::PrintfFormat));
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d\", 1, 2); }").has(diag::DiagId::PrintfFormat));
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d\", \"s\"); }").has(diag::DiagId::PrintfFormat));
  EXPECT_TRUE(Checked("BEGIN { printf(\"%y\"); }").has(diag::DiagId::PrintfFormat));
  EXPECT_TRUE(Checked("BEGIN { $f = \"%d\"; printf($f, 1); }").has(diag::DiagId::PrintfFormat));
  EXPECT_TRUE(Checked("BEGIN { printf(\"100%%\\n\"); }").diags.ok());
}

TEST(Tracepoints, ArgsFieldsAreTyped) {
  Checked c("tracepoint:syscalls:sys_enter_openat { printf(\"%s %d\\n\", str(args.filename), "
            "args->dfd); }");
  ASSERT_TRUE(c.diags.ok());
  Checked bad("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args.filenme)); }");
  ASSERT_EQ(bad.diags.errorCount(), 1u);
  EXPECT_EQ(bad.diags.all()[0].id, diag::DiagId::NoSuchField);
  EXPECT_EQ(bad.slice(0), "args.filenme");
  EXPECT_EQ(bad.diags.all()[0].hints.at(0), "did you mean 'filename'?");
  EXPECT_TRUE(Checked("BEGIN { printf(\"%d\", args.x); }").has(diag::DiagId::BuiltinNotAvailable));
}

TEST(Types, SeveralErrorsInOneRun) {
  Checked c("BEGIN { foo(); $y = $x; @z = 1 + \"s\"; }");
  EXPECT_EQ(c.diags.errorCount(), 3u);
}

TEST(Config, KnownAndUnknownKeys) {
  Checked c("config = { max_strlen = 64; bogus = 1 } BEGIN { $s = str(0); }");
  EXPECT_TRUE(c.diags.ok());
  EXPECT_EQ(c.analysis.config.max_strlen, 64u);
  EXPECT_TRUE(c.has(diag::DiagId::ConfigKey)); // a warning
}

} // namespace
} // namespace scry
