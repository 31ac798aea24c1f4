// Attach-point parsing and checking of issue 4's remaining probe kinds, hermetic: iter
// (a fake bpf_iter__task), watchpoint, reg() and ctx, missing_probes, uprobes with -p
// and C++ names (read from this test binary, /proc/self/exe), lazy tracepoint formats.
#include <gtest/gtest.h>
#include <unistd.h>

#include "fake_types.h"
#include "parser/parse.h"
#include "sema/sema.h"

// Probe targets in this binary: a C symbol and a C++ one.
extern "C" __attribute__((noinline, used)) int scry_probes_test_target(int x) { return x + 1; }
namespace scry_probes_ns {
__attribute__((noinline, used)) int widget(int x) { return x * 2; }
__attribute__((noinline, used)) int widget(long x) { return static_cast<int>(x) * 3; }
} // namespace scry_probes_ns

namespace scry {
namespace {

using diag::DiagId;

// FakeTypes plus one iterator (task; bpf_iter_num_new is a kfunc, not an iterator),
// struct pt_regs, and raw tracepoints for every sched:* event.
class IterTypes : public testing::FakeTypes {
public:
  std::shared_ptr<const ast::RecordType> kernelRecord(const std::string &name, ast::AddrSpace as,
                                                      std::string &error) override {
    auto rec = std::make_shared<ast::RecordType>();
    rec->name = name;
    if (name == "struct bpf_iter__task") {
      std::string ignored;
      auto task = FakeTypes::kernelRecord("struct task_struct", as, ignored);
      rec->size = 16;
      rec->fields = {{"meta", ast::Type::integer(64, false), 0, false},
                     {"task", ast::Type::pointer(ast::Type::record(task), as), 8, false}};
      return rec;
    }
    if (name == "struct pt_regs") {
      rec->size = 168;
      rec->fields = {{"di", ast::Type::integer(64, false), 112, false},
                     {"ip", ast::Type::integer(64, false), 128, false}};
      return rec;
    }
    return FakeTypes::kernelRecord(name, as, error);
  }
  std::vector<std::string> kernelFunctions(std::string_view glob) override {
    std::vector<std::string> out;
    for (const char *f : {"bpf_iter_num_new", "bpf_iter_task"})
      if (support::globMatch(glob, f))
        out.push_back(f);
    return out;
  }
  bool hasRawTracepoint(const std::string &event) override {
    return event.rfind("sched_", 0) == 0;
  }
  size_t format_reads = 0;
  std::shared_ptr<const ast::RecordType> tracepointArgs(const std::string &category,
                                                        const std::string &event,
                                                        std::string &error) override {
    ++format_reads;
    return FakeTypes::tracepointArgs(category, event, error);
  }
};

struct Checked {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  std::vector<sema::ProbeSpec> probes;
  IterTypes types;

  explicit Checked(const std::string &text, sema::ExpandOptions options = {},
                   std::vector<std::pair<std::string, std::string>> env = {})
      : file("stdin", text) {
    ast::Program *program = parser::parse(file, ctx, diags);
    EXPECT_TRUE(diags.ok()) << "parse failed";
    options.missing_probes = sema::readMissingProbes(*program, env, diags);
    probes = sema::expandAttachPoints(*program, types, diags, options);
    if (diags.ok())
      sema::resolveTypes(*program, ctx, probes, sema::Inputs{&types, {}, env}, diags);
  }
  bool has(DiagId id) const { return diags.has(id); }
  std::string first() const { return diags.all().empty() ? "" : diags.all().front().message; }
  bool hinted(const std::string &text) const {
    for (const auto &d : diags.all())
      for (const auto &h : d.hints)
        if (h == text)
          return true;
    return false;
  }
};

TEST(Iterators, TaskWithPinAndCtx) {
  Checked c("iter:task:mypin { printf(\"%s %d\\n\", ctx.task.comm, ctx->task->pid); }");
  ASSERT_TRUE(c.diags.ok()) << c.first();
  ASSERT_EQ(c.probes.size(), 1u);
  EXPECT_EQ(c.probes[0].name, "iter:task");
  EXPECT_EQ(c.probes[0].func, "task");
  EXPECT_EQ(c.probes[0].path, "mypin");
  ASSERT_TRUE(c.probes[0].args);
  EXPECT_EQ(c.probes[0].args->name, "struct bpf_iter__task");
}

TEST(Iterators, WildcardMustNameOneAndKfuncsAreNotIterators) {
  Checked one("it:ta* { }");
  ASSERT_TRUE(one.diags.ok()) << one.first();
  EXPECT_EQ(one.probes[0].name, "iter:task");
  Checked kfunc("iter:num_new { }");
  EXPECT_TRUE(kfunc.has(DiagId::ProbeTargetNotFound));
  Checked typo("iter:taks { }");
  EXPECT_TRUE(typo.has(DiagId::ProbeTargetNotFound));
  EXPECT_TRUE(typo.hinted("did you mean iter:task?")) << typo.first();
}

TEST(Iterators, CannotBeMixedButBeginEndMay) {
  Checked mixed("iter:task { } tracepoint:sched:sched_switch { }");
  EXPECT_TRUE(mixed.has(DiagId::InvalidAttachPoint));
  EXPECT_NE(mixed.first().find("Iterator probe can't be mixed with other probes"),
            std::string::npos);
  Checked ok("BEGIN { } iter:task { } END { }");
  EXPECT_TRUE(ok.diags.ok()) << ok.first();
}

TEST(Iterators, PrintfIsWhatTheKernelFormats) {
  Checked ok("iter:task { printf(\"%-16s %5d %x %c %p\\n\", ctx.task.comm, 1, 2, 65, ctx); }");
  EXPECT_TRUE(ok.diags.ok()) << ok.first();
  Checked precision("iter:task { printf(\"%.3d\\n\", 1); }");
  EXPECT_TRUE(precision.has(DiagId::PrintfFormat));
  Checked tuple("iter:task { printf(\"%s\\n\", (1, 2)); }");
  EXPECT_TRUE(tuple.has(DiagId::PrintfFormat));
}

TEST(Context, CtxIsTypedPerFamily) {
  Checked regs("uprobe:/proc/self/exe:scry_probes_test_target { @ = ctx.ip; @d = ctx->di; }");
  EXPECT_TRUE(regs.diags.ok()) << regs.first();
  Checked tp("tracepoint:sched:sched_switch { @ = ctx; }");
  EXPECT_TRUE(tp.has(DiagId::BuiltinNotAvailable));
}

TEST(Registers, RegReadsPtRegsWhereThereAreAny) {
  Checked ok("uprobe:/proc/self/exe:scry_probes_test_target { @[reg(\"ip\"), reg(\"sp\")] = "
             "count(); } profile:hz:99 { @p = reg(\"flags\"); }");
  EXPECT_TRUE(ok.diags.ok()) << ok.first();
  Checked unknown("uprobe:/proc/self/exe:scry_probes_test_target { @ = reg(\"rip\"); }");
  EXPECT_TRUE(unknown.has(DiagId::ArgumentType));
  EXPECT_TRUE(unknown.hinted("did you mean 'ip'?"));
  Checked literal("uprobe:/proc/self/exe:scry_probes_test_target { $r = \"ip\"; @ = reg($r); }");
  EXPECT_TRUE(literal.has(DiagId::ArgumentType));
  Checked tp("tracepoint:sched:sched_switch { @ = reg(\"ip\"); }");
  EXPECT_TRUE(tp.has(DiagId::BuiltinNotAvailable));
}

TEST(Watchpoints, FormsAndTypes) {
  Checked c("watchpoint:0x1000:8:w { } w:0x2000:4:rw { } watchpoint:4096:8:x { }");
  ASSERT_TRUE(c.diags.ok()) << c.first();
  ASSERT_EQ(c.probes.size(), 3u);
  EXPECT_EQ(c.probes[0].name, "watchpoint:0x1000:8:w");
  EXPECT_EQ(c.probes[0].offset, 0x1000u);
  EXPECT_EQ(c.probes[0].perf_period, 8u);
  EXPECT_EQ(c.probes[0].perf_config, 2u); // HW_BREAKPOINT_W
  EXPECT_EQ(c.probes[1].perf_config, 3u); // HW_BREAKPOINT_RW
  EXPECT_EQ(c.probes[2].name, "watchpoint:0x1000:8:x");
  EXPECT_EQ(c.probes[2].perf_config, 4u); // HW_BREAKPOINT_X
}

TEST(Watchpoints, Errors) {
  for (const char *text : {"watchpoint:0x1000:8:r { }", "watchpoint:0x1000:8:wx { }",
                           "watchpoint:0x1000:8:ww { }", "watchpoint:0x1000:3:w { }",
                           "watchpoint:0x1004:8:w { }", "watchpoint:0x1000:4:x { }",
                           "watchpoint:zz:8:w { }", "watchpoint:0x1000:8 { }"}) {
    Checked c(text);
    EXPECT_TRUE(c.has(DiagId::InvalidAttachPoint)) << text;
  }
}

TEST(MissingProbes, ReadFromConfigAndEnvironment) {
  Checked warn("config = { missing_probes = \"warn\" } tracepoint:sched:nope, "
               "tracepoint:sched:sched_switch { }");
  EXPECT_TRUE(warn.diags.ok()) << warn.first();
  ASSERT_EQ(warn.probes.size(), 1u);
  EXPECT_EQ(warn.probes[0].event, "sched_switch");
  ASSERT_EQ(warn.diags.all().size(), 1u);
  EXPECT_EQ(warn.diags.all()[0].level, diag::Level::Warning);
  EXPECT_EQ(warn.first(), "tracepoint not found: sched:nope. Skipping.");

  Checked error("tracepoint:sched:nope { }");
  EXPECT_TRUE(error.has(DiagId::TracepointNotFound));
  EXPECT_TRUE(error.hinted("If this is expected, set the 'missing_probes' config variable to "
                           "'warn' or 'ignore'."));

  Checked ignored("config = { missing_probes = \"error\" } uprobe:/proc/self/exe:nope { }", {},
                  {{"BPFTRACE_MISSING_PROBES", "IGNORE"}});
  EXPECT_TRUE(ignored.diags.ok()) << ignored.first();
  EXPECT_TRUE(ignored.diags.all().empty());
  EXPECT_TRUE(ignored.probes.empty());

  Checked invalid("config = { missing_probes = \"sometimes\" } BEGIN { }");
  EXPECT_TRUE(invalid.has(DiagId::ConfigKey));
  Checked number("config = { missing_probes = 1 } BEGIN { }");
  EXPECT_TRUE(number.has(DiagId::ConfigKey));
}

TEST(Uprobes, PidLetsTheBinaryBeLeftOut) {
  sema::ExpandOptions options;
  options.pid = getpid();
  Checked c("uprobe:scry_probes_test_target { } uprobe:*:scry_probes_test_target { }", options);
  ASSERT_TRUE(c.diags.ok()) << c.first();
  ASSERT_GE(c.probes.size(), 2u);
  EXPECT_EQ(c.probes[0].func, "scry_probes_test_target");
  EXPECT_NE(c.probes[0].path.find("unit_sema"), std::string::npos) << c.probes[0].path;
  Checked without("uprobe:scry_probes_test_target { }");
  EXPECT_TRUE(without.has(DiagId::InvalidAttachPoint));
}

TEST(Uprobes, CppNamesAreDemangled) {
  Checked cpp("uprobe:/proc/self/exe:cpp:\"scry_probes_ns::widget\" { @[func] = count(); }");
  ASSERT_TRUE(cpp.diags.ok()) << cpp.first();
  ASSERT_EQ(cpp.probes.size(), 2u); // both overloads
  EXPECT_EQ(cpp.probes[0].func.rfind("scry_probes_ns::widget(", 0), 0u) << cpp.probes[0].func;
  EXPECT_NE(cpp.probes[0].name.find(":cpp:_ZN14scry_probes_ns6widget"), std::string::npos)
      << cpp.probes[0].name;
  Checked params("uprobe:/proc/self/exe:\"scry_probes_ns::widget(long)\" { }");
  ASSERT_TRUE(params.diags.ok()) << params.first();
  ASSERT_EQ(params.probes.size(), 1u);
  EXPECT_EQ(params.probes[0].func, "scry_probes_ns::widget(long)");
  Checked glob("uprobe:/proc/self/exe:cpp:\"scry_probes_ns::w*\" { }");
  EXPECT_EQ(glob.probes.size(), 2u);
}

TEST(Tracepoints, FormatsAreReadOnlyWhenArgsAre) {
  sema::ExpandOptions options;
  options.raw_tracepoint_cookies = true;
  Checked lazy("tracepoint:sched:sched_switch { @[probe] = count(); }", options);
  ASSERT_TRUE(lazy.diags.ok()) << lazy.first();
  EXPECT_EQ(lazy.types.format_reads, 0u);
  EXPECT_FALSE(lazy.probes[0].args);
  EXPECT_TRUE(lazy.probes[0].raw_attach);
  Checked typed("tracepoint:sched:sched_switch { @[args.next_pid] = count(); }", options);
  ASSERT_TRUE(typed.diags.ok()) << typed.first();
  EXPECT_EQ(typed.types.format_reads, 1u);
  EXPECT_FALSE(typed.probes[0].raw_attach);
  Checked old_kernel("tracepoint:sched:sched_switch { @ = count(); }");
  EXPECT_FALSE(old_kernel.probes[0].raw_attach);
  Checked syscalls("tracepoint:syscalls:sys_enter_openat { @ = count(); }", options);
  EXPECT_FALSE(syscalls.probes[0].raw_attach);
  Checked missing("tracepoint:sched:sched_swich { }", options);
  EXPECT_TRUE(missing.hinted("did you mean tracepoint:sched:sched_switch?"));
}

} // namespace
} // namespace scry
