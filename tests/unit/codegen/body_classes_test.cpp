// Probes whose bodies differ only in literals share one program (codegen/body_classes.h).
#include <gtest/gtest.h>

#include "../sema/fake_types.h"
#include "codegen/body_classes.h"
#include "codegen/codegen.h"
#include "parser/parse.h"

namespace scry {
namespace {

struct Classified {
  diag::SourceFile file;
  diag::Diagnostics diags{&file};
  ast::Context ctx;
  testing::FakeTypes types;
  ast::Program *program = nullptr;
  std::vector<sema::ProbeSpec> probes;
  sema::Analysis analysis;

  explicit Classified(const std::string &text) : file("stdin", text) {
    program = parser::parse(file, ctx, diags);
    probes = sema::expandAttachPoints(*program, types, diags);
    analysis = sema::resolveTypes(*program, ctx, probes, diags);
    EXPECT_TRUE(diags.ok());
  }
  const ast::Probe *probe(size_t i) const { return program->probes.at(i); }
  std::vector<uint64_t> slotValues(const codegen::BodyClasses &bodies, size_t i) const {
    std::vector<uint64_t> values;
    for (const ast::IntegerLit *literal : bodies.slots(probe(i)))
      values.push_back(literal->value);
    return values;
  }
};

TEST(BodyClasses, KeysAndPredicateOperandsBecomeSlots) {
  Classified c("tracepoint:sched:sched_switch /pid > 10/ { @c[1, 7] = count(); @v[0] = 5; }\n"
               "tracepoint:syscalls:sys_enter_openat /pid > 20/ { @c[2, 7] = count(); @v[0] = 6; }");
  codegen::BodyClasses bodies(c.probes, c.analysis);
  EXPECT_EQ(bodies.classOf(c.probe(1)), c.probe(0));
  // The literals that differ, in one order: the predicate's, the first key, the value.
  EXPECT_EQ(c.slotValues(bodies, 0), (std::vector<uint64_t>{10, 1, 5}));
  EXPECT_EQ(c.slotValues(bodies, 1), (std::vector<uint64_t>{20, 2, 6}));
}

TEST(BodyClasses, PrintfValuesBecomeSlotsButNotItsFormat) {
  Classified c("tracepoint:sched:sched_switch { printf(\"%d %s\\n\", 7, comm); }\n"
               "tracepoint:syscalls:sys_enter_openat { printf(\"%d %s\\n\", 8, comm); }\n"
               "tracepoint:sock:inet_sock_set_state { printf(\"%d!\\n\", 9); }");
  codegen::BodyClasses bodies(c.probes, c.analysis);
  EXPECT_EQ(bodies.classOf(c.probe(1)), c.probe(0));
  EXPECT_EQ(c.slotValues(bodies, 1), (std::vector<uint64_t>{8}));
  EXPECT_EQ(bodies.classOf(c.probe(2)), c.probe(2));
}

TEST(BodyClasses, IdenticalBodiesShareWithoutSlots) {
  // `probe` is sized by the program's longest attach point name, so it types alike.
  Classified c("tracepoint:sched:sched_switch { @[comm, probe] = count(); }\n"
               "tracepoint:syscalls:sys_enter_openat { @[comm, probe] = count(); }");
  codegen::BodyClasses bodies(c.probes, c.analysis);
  EXPECT_EQ(bodies.classOf(c.probe(1)), c.probe(0));
  EXPECT_TRUE(bodies.slots(c.probe(0)).empty());
}

TEST(BodyClasses, OtherDifferencesKeepProbesApart) {
  const char *pairs[][2] = {
      {"@c[1] = count();", "@d[1] = count();"},   // another map
      {"@s = sum(3);", "@s = sum(4);"},           // a call's argument is not an operand
      {"@c[1] = count();", "@c[1] = count(); @c[2] = count();"},
      {"$x = 1; @v = $x;", "$x = 2; @v = $x;"},   // a variable's value: not a slot
      {"@c[1] = count(); errorf(\"e\");", "@c[2] = count(); errorf(\"e\");"}, // located output
  };
  for (const auto &pair : pairs) {
    Classified c(std::string("tracepoint:sched:sched_switch { ") + pair[0] + " }\n" +
                 "tracepoint:syscalls:sys_enter_openat { " + pair[1] + " }");
    codegen::BodyClasses bodies(c.probes, c.analysis);
    EXPECT_EQ(bodies.classOf(c.probe(1)), c.probe(1)) << pair[0] << " / " << pair[1];
  }
}

TEST(BodyClasses, OnlyProbesThatCanShareAProgram) {
  Classified c("BEGIN { @c[1] = count(); } BEGIN { @c[2] = count(); }\n"
               "interval:s:1 { @c[3] = count(); } interval:s:2 { @c[4] = count(); }\n"
               "tracepoint:sched:sched_switch { @c[5] = count(); }");
  codegen::BodyClasses bodies(c.probes, c.analysis);
  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(bodies.classOf(c.probe(i)), c.probe(i)) << i;
}

TEST(BodyClasses, OneProgramReadsEachAttachPointsLiterals) {
  Classified c("tracepoint:sched:sched_switch { @c[1] = count(); }\n"
               "tracepoint:syscalls:sys_enter_openat { @c[2] = count(); }\n"
               "tracepoint:sock:inet_sock_set_state { @c[3] = count(); }");
  object::BpfObject object;
  std::string error;
  ASSERT_TRUE(codegen::compile(*c.program, c.probes, c.analysis, c.file, {}, object, error))
      << error;
  ASSERT_EQ(object.programs.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(object.programs[k].function, "probe_0");
    EXPECT_TRUE(object.programs[k].has_cookie);
    EXPECT_EQ(object.programs[k].cookie, k);
  }
}

} // namespace
} // namespace scry
