// Issue 4's program sharing and sections (codegen/probe_groups.h, probe_sections.cpp):
// raw tracepoint groups, uprobe_multi and kprobe_multi groups with their `multi`
// targets, iterator and watchpoint sections, and the -p filter in kernel probes.
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <sstream>

#include "codegen/codegen.h"
#include "codegen/probe_groups.h"
#include "parser/parse.h"

namespace scry {
namespace {

using codegen::GroupMode;

// A parsed one-probe program and hand-made specs for its attach point.
struct Fixture {
  diag::SourceFile file;
  diag::Diagnostics diags{&file};
  ast::Context ctx;
  ast::Program *program = nullptr;
  std::vector<sema::ProbeSpec> specs;

  explicit Fixture(const std::string &text) : file("stdin", text) {
    program = parser::parse(file, ctx, diags);
  }
  sema::ProbeSpec &add(ast::ProbeKind kind, const std::string &name) {
    sema::ProbeSpec spec;
    spec.probe = program->probes.front();
    spec.attach_point = spec.probe->attach_points.front();
    spec.kind = kind;
    spec.name = name;
    specs.push_back(spec);
    return specs.back();
  }
  sema::ProbeSpec &uprobe(const std::string &func, uint64_t offset, bool ret = false) {
    auto &s = add(ret ? ast::ProbeKind::Uretprobe : ast::ProbeKind::Uprobe,
                  std::string(ret ? "uretprobe" : "uprobe") + ":/bin/x:" + func);
    s.path = "/bin/x";
    s.func = func;
    s.offset = offset;
    s.is_return = ret;
    return s;
  }
  sema::ProbeSpec &tracepoint(const std::string &event, bool raw) {
    auto &s = add(ast::ProbeKind::Tracepoint, "tracepoint:sched:" + event);
    s.category = "sched";
    s.event = event;
    s.raw_attach = raw;
    return s;
  }
  bool compile(object::BpfObject &out, std::string &error, const codegen::Options &options = {}) {
    auto analysis = sema::resolveTypes(*program, ctx, specs, diags);
    EXPECT_TRUE(diags.ok());
    return codegen::compile(*program, specs, analysis, file, options, out, error);
  }
};

std::string sectionOf(const object::BpfObject &out, const std::string &function) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "scry");
  bpf_object *obj = bpf_object__open_mem(out.elf.data(), out.elf.size(), &opts);
  if (!obj)
    return "(does not open)";
  bpf_program *prog = bpf_object__find_program_by_name(obj, function.c_str());
  std::string section = prog ? bpf_program__section_name(prog) : "(no program)";
  bpf_object__close(obj);
  return section;
}

TEST(ProbeMulti, TracepointsWithoutArgsShareARawTracepointProgram) {
  Fixture f("tracepoint:sched:* { @[probe] = count(); }");
  f.tracepoint("sched_switch", true);
  f.tracepoint("sched_wakeup", true);
  f.tracepoint("sched_no_raw", false); // no raw tracepoint of its name: a perf tracepoint
  auto groups = codegen::groupProbes(f.specs);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].mode, GroupMode::RawCookie);
  EXPECT_EQ(groups[0].specs, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(groups[1].mode, GroupMode::Single);
  object::BpfObject out;
  std::string error;
  ASSERT_TRUE(f.compile(out, error)) << error;
  ASSERT_EQ(out.programs.size(), 3u);
  EXPECT_EQ(out.programs[0].type, object::ProbeType::RawTracepoint);
  EXPECT_EQ(out.programs[0].target, "sched_switch");
  EXPECT_TRUE(out.programs[1].has_cookie);
  EXPECT_EQ(out.programs[1].cookie, 1u);
  EXPECT_EQ(out.programs[1].probe_name, "tracepoint:sched:sched_wakeup");
  EXPECT_EQ(sectionOf(out, out.programs[0].function), "raw_tp");
  EXPECT_EQ(out.programs[2].type, object::ProbeType::Tracepoint);
}

TEST(ProbeMulti, UprobesOfOneProbeShareOneMultiLinkProgram) {
  Fixture f("uprobe:/bin/x:f* { @[func, probe] = count(); }");
  f.uprobe("fa", 0x100);
  f.uprobe("fb", 0x200);
  f.uprobe("fc", 0x300);
  auto groups = codegen::groupProbes(f.specs);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].mode, GroupMode::UprobeMulti);
  object::BpfObject out;
  std::string error;
  ASSERT_TRUE(f.compile(out, error)) << error;
  ASSERT_EQ(out.programs.size(), 1u);
  const auto &desc = out.programs[0];
  EXPECT_EQ(desc.type, object::ProbeType::UprobeMulti);
  EXPECT_EQ(desc.attach_points, 3u);
  ASSERT_EQ(desc.multi.size(), 3u);
  EXPECT_EQ(desc.multi[2].path, "/bin/x");
  EXPECT_EQ(desc.multi[2].offset, 0x300u);
  EXPECT_EQ(desc.multi[2].cookie, 2u);
  EXPECT_EQ(desc.probe_name, "uprobe:/bin/x:f*"); // as written, for errors
  EXPECT_EQ(sectionOf(out, desc.function), "uprobe");
}

TEST(ProbeMulti, OneUprobeStaysSingle) {
  Fixture f("uretprobe:/bin/x:fa { @ = count(); }");
  f.uprobe("fa", 0x100, true);
  object::BpfObject out;
  std::string error;
  ASSERT_TRUE(f.compile(out, error)) << error;
  ASSERT_EQ(out.programs.size(), 1u);
  EXPECT_EQ(out.programs[0].type, object::ProbeType::Uprobe);
  EXPECT_EQ(sectionOf(out, out.programs[0].function), "uretprobe");
}

TEST(ProbeMulti, KprobesWithoutOffsetsShareAKprobeMultiLink) {
  Fixture f("kprobe:vfs_* { @[func] = count(); }");
  for (const char *fn : {"vfs_read", "vfs_write"}) {
    auto &s = f.add(ast::ProbeKind::Kprobe, std::string("kprobe:") + fn);
    s.func = fn;
  }
  auto &off = f.add(ast::ProbeKind::Kprobe, "kprobe:vfs_open+4");
  off.func = "vfs_open";
  off.offset = 4; // kprobe_multi takes no offsets: a kprobe of its own
  auto groups = codegen::groupProbes(f.specs);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].mode, GroupMode::KprobeMulti);
  EXPECT_EQ(groups[1].mode, GroupMode::Single);
  object::BpfObject out;
  std::string error;
  ASSERT_TRUE(f.compile(out, error)) << error;
  ASSERT_EQ(out.programs.size(), 2u);
  EXPECT_EQ(out.programs[0].type, object::ProbeType::KprobeMulti);
  ASSERT_EQ(out.programs[0].multi.size(), 2u);
  EXPECT_EQ(out.programs[0].multi[1].func, "vfs_write");
  EXPECT_EQ(sectionOf(out, out.programs[0].function), "kprobe.multi");
}

TEST(ProbeMulti, IteratorAndWatchpointSections) {
  Fixture f("iter:task { @ = count(); }");
  auto &it = f.add(ast::ProbeKind::Iter, "iter:task");
  it.func = "task";
  it.path = "pinned";
  object::BpfObject out;
  std::string error;
  ASSERT_TRUE(f.compile(out, error)) << error;
  EXPECT_EQ(out.programs[0].type, object::ProbeType::Iter);
  EXPECT_EQ(out.programs[0].target, "task");
  EXPECT_EQ(out.programs[0].path, "pinned");
  EXPECT_EQ(sectionOf(out, out.programs[0].function), "iter/task");

  Fixture w("watchpoint:0x1000:8:w { @ = count(); }");
  auto &wp = w.add(ast::ProbeKind::Watchpoint, "watchpoint:0x1000:8:w");
  wp.offset = 0x1000;
  wp.perf_period = 8;
  object::BpfObject wout;
  ASSERT_TRUE(w.compile(wout, error)) << error;
  EXPECT_EQ(wout.programs[0].type, object::ProbeType::Watchpoint);
  EXPECT_EQ(wout.programs[0].offset, 0x1000u);
  EXPECT_EQ(sectionOf(wout, wout.programs[0].function), "perf_event");
}

// -p makes tracepoint programs compare the current tgid with the pid (bpftrace's
// PidFilterPass); uprobes are filtered at attach instead.
TEST(ProbeMulti, PidFilterOnlyInKernelProbes) {
  auto ir = [](ast::ProbeKind kind, const std::string &text, int pid) {
    Fixture f(text);
    auto &s = f.add(kind, "x");
    s.category = "sched";
    s.event = "sched_switch";
    s.path = "/bin/x";
    codegen::Options options;
    std::ostringstream dump;
    options.dump_ir = &dump;
    options.filter_pid = pid;
    object::BpfObject out;
    std::string error;
    EXPECT_TRUE(f.compile(out, error, options)) << error;
    return dump.str();
  };
  const char *filter = "1234";
  EXPECT_NE(ir(ast::ProbeKind::Tracepoint, "tracepoint:sched:sched_switch { @ = count(); }", 1234)
                .find(filter),
            std::string::npos);
  EXPECT_EQ(ir(ast::ProbeKind::Tracepoint, "tracepoint:sched:sched_switch { @ = count(); }", -1)
                .find(filter),
            std::string::npos);
  EXPECT_EQ(ir(ast::ProbeKind::Uprobe, "uprobe:/bin/x:f { @ = count(); }", 1234).find(filter),
            std::string::npos);
}

} // namespace
} // namespace scry
