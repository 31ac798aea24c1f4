// Attach-point expansion and builtin availability of the probe families of issue 4
// (rawtracepoint, profile, software, hardware, self, kprobe, fentry, uprobe), hermetic:
// a fake type source with one kernel function and one raw tracepoint. uprobes read the
// test binary itself (/proc/self/exe).
#include <gtest/gtest.h>
#include <linux/perf_event.h>

#include "fake_types.h"
#include "parser/parse.h"
#include "sema/probe_families.h"
#include "sema/sema.h"

namespace scry {
namespace {

using diag::DiagId;

// FakeTypes plus `long do_sys_openat2(int dfd, const char *filename)` and a raw
// tracepoint sched_switch(bool preempt, struct task_struct *prev).
class FuncTypes : public testing::FakeTypes {
public:
  bool kernelFunction(const std::string &name, btf::FuncInfo &out, std::string &error) override {
    if (name != "do_sys_openat2")
      return FakeTypes::kernelFunction(name, out, error);
    out.name = name;
    out.params = {{"dfd", ast::Type::integer(32, true), "int dfd"},
                  {"filename",
                   ast::Type::pointer(ast::Type::integer(8, true), ast::AddrSpace::Kernel),
                   "const char * filename"}};
    out.ret = ast::Type::integer(64, true);
    out.ret_decl = "long retval";
    return true;
  }
  bool rawTracepoint(const std::string &event, btf::FuncInfo &out, std::string &error) override {
    if (event != "sched_switch")
      return FakeTypes::rawTracepoint(event, out, error);
    out.params = {{"preempt", ast::Type::boolean(), "bool preempt"},
                  {"prev", ast::Type::integer(64, false), "struct task_struct * prev"}};
    return true;
  }
  std::vector<std::string> kernelFunctions(std::string_view glob) override {
    return support::globMatch(glob, "do_sys_openat2") ? std::vector<std::string>{"do_sys_openat2"}
                                                      : std::vector<std::string>{};
  }
};

struct Checked {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  std::vector<sema::ProbeSpec> probes;

  explicit Checked(const std::string &text) : file("stdin", text) {
    FuncTypes types;
    ast::Program *program = parser::parse(file, ctx, diags);
    EXPECT_TRUE(diags.ok()) << "parse failed";
    probes = sema::expandAttachPoints(*program, types, diags);
    if (diags.ok())
      sema::resolveTypes(*program, ctx, probes, diags);
  }
  bool has(DiagId id) const { return diags.has(id); }
};

TEST(ProbeFamilies, PerfEvents) {
  Checked c("profile:hz:99 {} p:ms:10 {} software:faults {} s:cs:7 {} hardware:cycles {} "
            "h:branch-misses:5 {}");
  ASSERT_TRUE(c.diags.ok());
  ASSERT_EQ(c.probes.size(), 6u);
  EXPECT_TRUE(c.probes[0].perf_freq);
  EXPECT_EQ(c.probes[0].perf_period, 99u);
  EXPECT_EQ(c.probes[1].perf_period, 10000000u);
  EXPECT_EQ(c.probes[2].name, "software:faults:100");
  EXPECT_EQ(c.probes[2].perf_config, uint64_t(PERF_COUNT_SW_PAGE_FAULTS));
  EXPECT_EQ(c.probes[3].name, "software:cs:7");
  EXPECT_EQ(c.probes[4].perf_type, uint32_t(PERF_TYPE_HARDWARE));
  EXPECT_EQ(c.probes[4].perf_period, 1000000u);
  EXPECT_EQ(c.probes[5].perf_period, 5u);
}

TEST(ProbeFamilies, PerfEventErrors) {
  EXPECT_TRUE(Checked("software:faultz {}").has(DiagId::InvalidAttachPoint));
  EXPECT_TRUE(Checked("software:faults:0 {}").has(DiagId::InvalidAttachPoint));
  EXPECT_TRUE(Checked("profile:minutes:1 {}").has(DiagId::InvalidAttachPoint));
  EXPECT_TRUE(Checked("self:signal:SIGUSR2 {}").has(DiagId::InvalidAttachPoint));
  EXPECT_TRUE(Checked("self:signal:SIGUSR1 {}").diags.ok());
}

TEST(ProbeFamilies, KprobeArgsInRegisters) {
  Checked c("kprobe:do_sys_openat2 { @[args.dfd, str(args.filename), func] = count(); }");
  ASSERT_TRUE(c.diags.ok());
  ASSERT_EQ(c.probes.size(), 1u);
  const auto &args = *c.probes[0].args;
  EXPECT_EQ(args.find("dfd")->offset, 112u);      // rdi
  EXPECT_EQ(args.find("filename")->offset, 104u); // rsi
  EXPECT_EQ(c.probes[0].suggestion, "tracepoint:syscalls:sys_enter_openat");
}

TEST(ProbeFamilies, FentryArgsInContextArray) {
  Checked c("kfunc:do_sys_openat2 { @ = args.filename; } fexit:do_sys_openat2 { @r = retval; }");
  ASSERT_TRUE(c.diags.ok());
  EXPECT_EQ(c.probes[0].kind, ast::ProbeKind::Fentry);
  EXPECT_EQ(c.probes[0].args->find("filename")->offset, 8u);
  EXPECT_EQ(c.probes[1].name, "fexit:do_sys_openat2");
  EXPECT_TRUE(c.probes[1].retval.isInt());
}

TEST(ProbeFamilies, KernelFunctionErrors) {
  EXPECT_TRUE(Checked("kprobe:do_sys_openat3 {}").has(DiagId::ProbeTargetNotFound));
  EXPECT_TRUE(Checked("kretprobe:do_sys_openat2+8 {}").has(DiagId::InvalidAttachPoint));
  EXPECT_TRUE(Checked("kprobe:nothing_* {}").has(DiagId::ProbeTargetNotFound));
  EXPECT_TRUE(Checked("kprobe:do_sys_openat2+0x10 {}").diags.ok());
}

TEST(ProbeFamilies, RawTracepoint) {
  Checked c("rawtracepoint:sched_switch { @ = args.preempt; @a = arg1; }");
  ASSERT_TRUE(c.diags.ok());
  EXPECT_EQ(c.probes[0].name, "rawtracepoint:sched_switch");
  EXPECT_TRUE(Checked("rt:sched_switch { @ = arg2; }").has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Checked("rt:nope {}").has(DiagId::ProbeTargetNotFound));
}

TEST(ProbeFamilies, BuiltinAvailability) {
  EXPECT_TRUE(Checked("BEGIN { @ = retval; }").has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Checked("kprobe:do_sys_openat2 { @ = retval; }").has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Checked("kretprobe:do_sys_openat2 { @ = arg0; }").has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Checked("kretprobe:do_sys_openat2 { @ = args.dfd; }").has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Checked("kprobe:do_sys_openat2 { @ = arg6; }").has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Checked("tracepoint:sched:sched_switch { @ = func; }").has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Checked("kretprobe:do_sys_openat2 { @ = retval; }").diags.ok());
  EXPECT_TRUE(Checked("kprobe:do_sys_openat2 { @ = arg5; }").diags.ok());
}

TEST(ProbeFamilies, UprobeOnOwnBinary) {
  Checked c("uprobe:/proc/self/exe:main { @ = arg0; } uretprobe:/proc/self/exe:main { @r = retval; }");
  ASSERT_TRUE(c.diags.ok());
  ASSERT_EQ(c.probes.size(), 2u);
  EXPECT_EQ(c.probes[0].name, "uprobe:/proc/self/exe:main");
  EXPECT_GT(c.probes[0].offset, 0u);
  EXPECT_TRUE(c.probes[1].is_return);
  EXPECT_TRUE(Checked("uprobe:/proc/self/exe:no_such_fn_xyz {}").has(DiagId::ProbeTargetNotFound));
  EXPECT_TRUE(Checked("uprobe:/no/such/file:main {}").has(DiagId::ProbeTargetNotFound));
  EXPECT_TRUE(Checked("uretprobe:/proc/self/exe:main+1 {}").has(DiagId::InvalidAttachPoint));
}

TEST(ProbeFamilies, SuggestTracepoint) {
  FuncTypes types;
  EXPECT_EQ(sema::suggestTracepoint(types, "__x64_sys_openat", false),
            "tracepoint:syscalls:sys_enter_openat");
  EXPECT_EQ(sema::suggestTracepoint(types, "sched_switch", false),
            "tracepoint:sched:sched_switch");
  EXPECT_EQ(sema::suggestTracepoint(types, "vfs_read", false), "");
}

} // namespace
} // namespace scry
