// One program per distinct body (codegen/probe_groups.h): which attach points share a
// program, how syscall tracepoints become one raw_tp program, and that the objects open.
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include "codegen/codegen.h"
#include "codegen/probe_groups.h"
#include "parser/parse.h"

namespace scry {
namespace {

using codegen::GroupMode;

// A parsed one-probe program and specs for hand-picked tracepoints of it, each with a
// record holding __syscall_nr plus the named 8-byte fields (as tracefs lays them out).
struct Fixture {
  diag::SourceFile file;
  diag::Diagnostics diags{&file};
  ast::Context ctx;
  ast::Program *program = nullptr;
  std::vector<sema::ProbeSpec> specs;

  explicit Fixture(const std::string &text) : file("stdin", text) {
    program = parser::parse(file, ctx, diags);
  }
  void add(const std::string &category, const std::string &event,
           const std::vector<std::string> &fields = {"fd"}) {
    sema::ProbeSpec spec;
    spec.probe = program->probes.front();
    spec.attach_point = spec.probe->attach_points.front();
    spec.kind = ast::ProbeKind::Tracepoint;
    spec.category = category;
    spec.event = event;
    spec.name = "tracepoint:" + category + ":" + event;
    auto record = std::make_shared<ast::RecordType>();
    record->fields.push_back({"__syscall_nr", ast::Type::integer(32, true), 8, false});
    uint32_t offset = 16;
    for (const auto &f : fields) {
      record->fields.push_back({f, ast::Type::integer(64, false), offset, false});
      offset += 8;
    }
    record->size = offset;
    spec.args = record;
    specs.push_back(spec);
  }
  bool compile(object::BpfObject &out, std::string &error) {
    auto analysis = sema::resolveTypes(*program, ctx, specs, diags);
    EXPECT_TRUE(diags.ok());
    return codegen::compile(*program, specs, analysis, file, {}, out, error);
  }
};

const char *kCountProbe = "tracepoint:syscalls:sys_enter_* { @[probe] = count(); }";

TEST(ProbeGroups, SyscallNumbersComeFromTheHeadersAndTheKernelsNames) {
  EXPECT_EQ(codegen::syscallNumber("read"), 0);
  EXPECT_EQ(codegen::syscallNumber("openat"), 257);
  EXPECT_EQ(codegen::syscallNumber("newstat"), 4);   // the tracepoint's name for stat
  EXPECT_EQ(codegen::syscallNumber("newuname"), 63);
  EXPECT_EQ(codegen::syscallNumber("mseal"), 462);   // newer than Debian 12's headers
  EXPECT_EQ(codegen::syscallNumber("no_such_call"), -1);
}

TEST(ProbeGroups, ManySyscallTracepointsBecomeOneRawTracepointProgram) {
  Fixture f(kCountProbe);
  for (const char *e : {"sys_enter_read", "sys_enter_write", "sys_enter_close",
                        "sys_enter_openat", "sys_enter_newstat"})
    f.add("syscalls", e);
  auto groups = codegen::groupProbes(f.specs);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].mode, GroupMode::Syscalls);
  EXPECT_FALSE(groups[0].sys_exit);
  EXPECT_EQ(groups[0].nrs, (std::vector<uint32_t>{0, 1, 3, 257, 4}));
  EXPECT_FALSE(groups[0].uses_args);
}

TEST(ProbeGroups, FewSyscallsAndOtherTracepointsShareOneProgramByCookie) {
  Fixture f(kCountProbe);
  f.add("syscalls", "sys_enter_read");
  f.add("syscalls", "sys_exit_read");
  f.add("sched", "sched_switch");
  f.add("syscalls", "sys_enter_not_a_syscall");
  auto groups = codegen::groupProbes(f.specs);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].mode, GroupMode::Cookie);
  EXPECT_EQ(groups[0].specs.size(), 4u);
}

TEST(ProbeGroups, ArgsSplitsByRecordLayout) {
  Fixture f("tracepoint:syscalls:sys_enter_* { @[probe] = sum(args.fd); }");
  f.add("syscalls", "sys_enter_read", {"fd", "buf", "count"});
  f.add("syscalls", "sys_enter_write", {"fd", "buf", "count"});
  f.add("syscalls", "sys_enter_close", {"fd"});
  auto groups = codegen::groupProbes(f.specs);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].mode, GroupMode::Cookie);
  EXPECT_EQ(groups[0].specs, (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(groups[0].uses_args);
  EXPECT_EQ(groups[1].mode, GroupMode::Single);
}

TEST(ProbeGroups, RawSyscallObjectDescribesOneLinkForAllAttachPoints) {
  Fixture f("tracepoint:syscalls:sys_exit_* { @[probe, args.ret] = count(); }");
  for (const char *e : {"sys_exit_read", "sys_exit_write", "sys_exit_close", "sys_exit_dup"})
    f.add("syscalls", e, {"ret"});
  object::BpfObject out;
  std::string error;
  ASSERT_TRUE(f.compile(out, error)) << error;
  ASSERT_EQ(out.programs.size(), 1u);
  EXPECT_EQ(out.programs[0].type, object::ProbeType::RawTracepoint);
  EXPECT_EQ(out.programs[0].target, "sys_exit");
  EXPECT_EQ(out.programs[0].attach_points, 4u);
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "scry");
  bpf_object *obj = bpf_object__open_mem(out.elf.data(), out.elf.size(), &opts);
  ASSERT_NE(obj, nullptr);
  bpf_program *prog = bpf_object__find_program_by_name(obj, out.programs[0].function.c_str());
  ASSERT_NE(prog, nullptr);
  EXPECT_STREQ(bpf_program__section_name(prog), "raw_tp/sys_exit");
  bpf_object__close(obj);
}

TEST(ProbeGroups, CookieGroupNamesOneFunctionPerAttachPoint) {
  Fixture f(kCountProbe);
  f.add("sched", "sched_switch");
  f.add("sched", "sched_wakeup");
  object::BpfObject out;
  std::string error;
  ASSERT_TRUE(f.compile(out, error)) << error;
  ASSERT_EQ(out.programs.size(), 2u);
  EXPECT_EQ(out.programs[0].function, out.programs[1].function);
  EXPECT_TRUE(out.programs[0].has_cookie);
  EXPECT_EQ(out.programs[1].cookie, 1u);
  EXPECT_EQ(out.programs[1].target, "sched:sched_wakeup");
}

} // namespace
} // namespace scry
