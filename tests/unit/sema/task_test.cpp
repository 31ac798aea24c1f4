// Sema of the child, probe type, task and number-to-name builtins (issue 5, helper
// "procfuncs"): their types, the cpid warning, and every misuse as a located error.
// Also the name tables behind signal_name() and syscall_name().
#include <gtest/gtest.h>

#include "checked.h"
#include "fake_types.h"
#include "support/signal_names.h"

namespace scry {
namespace {

using diag::DiagId;

// FakeTypes plus `vfs_read`, for kfunc_exist.
class TaskTypes : public testing::FakeTypes {
public:
  bool kernelFunction(const std::string &name, btf::FuncInfo &out, std::string &error) override {
    if (name != "vfs_read")
      return FakeTypes::kernelFunction(name, out, error);
    out.name = name;
    return true;
  }
};

// Parses and checks `text`, with -c given or not.
struct Task {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  ast::Program *program = nullptr;
  std::vector<sema::ProbeSpec> probes;
  sema::Analysis analysis;

  explicit Task(const std::string &text, bool has_cpid = false) : file("stdin", text) {
    TaskTypes types;
    program = parser::parse(file, ctx, diags);
    EXPECT_TRUE(diags.ok()) << "parse failed: " << text;
    probes = sema::expandAttachPoints(*program, types, diags);
    sema::Inputs inputs{&types, {}, {}, false};
    inputs.has_cpid = has_cpid;
    if (diags.ok())
      analysis = sema::resolveTypes(*program, ctx, probes, inputs, diags);
  }
  bool ok() const { return diags.errorCount() == 0; }
  std::string message() const { return diags.all().empty() ? "" : diags.all().front().message; }
  std::string slice() const {
    return diags.all().empty() ? "" : std::string(file.slice(diags.all().front().range));
  }
  const ast::Type &map(const std::string &name) const { return analysis.maps.at(name).value; }
};

std::string begin(const std::string &body) { return "BEGIN { " + body + " }"; }

TEST(TaskBuiltins, Types) {
  Task c(begin("@c = cpid; @h = has_cpid; @t = probetype; @p = pcomm; "
               "@s = syscall_name(1); @g = signal_name(9); @k = kfunc_exist(\"vfs_read\");"),
         true);
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_TRUE(c.diags.all().empty()) << c.message(); // no cpid warning with -c
  EXPECT_EQ(c.map("@c").str(), "uint64"); // integers widen in maps
  EXPECT_EQ(c.map("@h").str(), "bool");
  EXPECT_EQ(c.map("@t").str(), "string[8]"); // "special"
  EXPECT_EQ(c.map("@p").str(), "string[16]");
  EXPECT_EQ(c.map("@s").str(), "string[32]");
  EXPECT_EQ(c.map("@g").str(), "string[16]");
  EXPECT_EQ(c.map("@k").str(), "bool");
}

TEST(TaskBuiltins, CpidWithoutChildWarns) {
  Task c(begin("@ = cpid;"));
  EXPECT_TRUE(c.ok());
  ASSERT_EQ(c.diags.all().size(), 1u);
  EXPECT_EQ(c.message(), "cpid is 0: no child command was given with -c");
  EXPECT_EQ(c.slice(), "cpid");
  EXPECT_TRUE(Task(begin("@ = has_cpid;")).diags.all().empty());
}

TEST(TaskBuiltins, ProbetypeNames) {
  EXPECT_STREQ(sema::probeTypeName(ast::ProbeKind::Begin), "special");
  EXPECT_STREQ(sema::probeTypeName(ast::ProbeKind::End), "special");
  EXPECT_STREQ(sema::probeTypeName(ast::ProbeKind::Tracepoint), "tracepoint");
  EXPECT_STREQ(sema::probeTypeName(ast::ProbeKind::RawTracepoint), "rawtracepoint");
  EXPECT_STREQ(sema::probeTypeName(ast::ProbeKind::Kfunc), "fentry");
  EXPECT_STREQ(sema::probeTypeName(ast::ProbeKind::Kretfunc), "fexit");
  EXPECT_STREQ(sema::probeTypeName(ast::ProbeKind::Uretprobe), "uretprobe");
}

TEST(TaskBuiltins, LeaderNeedsGroupLeaderFromBtf) {
  // The fake task_struct has real_parent, pid and comm, but no group_leader.
  EXPECT_TRUE(Task(begin("@ = pcomm;")).ok());
  Task c(begin("@ = leader_tid;"));
  EXPECT_TRUE(c.diags.has(DiagId::BuiltinNotAvailable));
  EXPECT_EQ(c.message(),
            "leader_tid needs struct task_struct's group_leader and pid from the kernel's BTF");
  EXPECT_EQ(c.slice(), "leader_tid");
  Task comm(begin("@ = leader_comm;"));
  EXPECT_EQ(comm.message(),
            "leader_comm needs struct task_struct's group_leader and comm from the kernel's BTF");
}

TEST(TaskFunctions, Misuse) {
  Task str(begin("@ = syscall_name(\"read\");"));
  EXPECT_TRUE(str.diags.has(DiagId::ArgumentType));
  EXPECT_EQ(str.message(), "syscall_name() expects an integer (string[5] provided)");
  EXPECT_EQ(str.slice(), "\"read\"");
  EXPECT_TRUE(Task(begin("@ = signal_name();")).diags.has(DiagId::ArgumentCount));
  EXPECT_TRUE(Task(begin("@ = signal_name(1, 2);")).diags.has(DiagId::ArgumentCount));
  Task var(begin("$f = \"vfs_read\"; @ = kfunc_exist($f);"));
  EXPECT_TRUE(var.diags.has(DiagId::ArgumentType));
  EXPECT_EQ(var.message(), "kfunc_exist() expects a string literal naming a kernel function");
  EXPECT_EQ(var.slice(), "$f");
}

TEST(TaskFunctions, KfuncExistIsAConstant) {
  Task c(begin("@a = kfunc_exist(\"vfs_read\"); @b = kfunc_exist(\"nope\");"));
  ASSERT_TRUE(c.ok()) << c.message();
  std::vector<uint64_t> values;
  for (const auto &[id, value] : c.analysis.constants)
    values.push_back(value);
  EXPECT_NE(std::find(values.begin(), values.end(), 1u), values.end());
  EXPECT_NE(std::find(values.begin(), values.end(), 0u), values.end());
}

TEST(SignalNames, ByNumber) {
  EXPECT_EQ(support::signalName(9), "SIGKILL");
  EXPECT_EQ(support::signalName(6), "SIGABRT"); // not SIGIOT
  EXPECT_EQ(support::signalName(29), "SIGIO");  // not SIGPOLL
  EXPECT_EQ(support::signalName(32), "SIGRTMIN");
  EXPECT_EQ(support::signalName(33), "SIGRTMIN+1");
  EXPECT_EQ(support::signalName(63), "SIGRTMAX-1");
  EXPECT_EQ(support::signalName(64), "SIGRTMAX");
  EXPECT_EQ(support::signalName(0), "");
  EXPECT_EQ(support::signalName(65), "");
  for (int n = 1; n <= support::kMaxSignal; ++n) // names and numbers agree both ways
    EXPECT_EQ(support::signalNumber(support::signalName(n)), n) << n;
}

} // namespace
} // namespace scry
