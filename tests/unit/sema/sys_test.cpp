// Sema of the time, process and system builtins and functions, and of --unsafe: the
// types they give, where each may be used, and every misuse as a located error.
#include <gtest/gtest.h>

#include "checked.h"
#include "support/cgroup.h"
#include "support/signal_names.h"

namespace scry {
namespace {

using diag::DiagId;

// FakeTypes plus the kernel function `long do_sys_openat2(int dfd)`, for kprobes.
class KprobeTypes : public testing::FakeTypes {
public:
  bool kernelFunction(const std::string &name, btf::FuncInfo &out, std::string &error) override {
    if (name != "do_sys_openat2")
      return FakeTypes::kernelFunction(name, out, error);
    out.name = name;
    out.params = {{"dfd", ast::Type::integer(32, true), "int dfd"}};
    out.ret = ast::Type::integer(64, true);
    out.ret_decl = "long retval";
    return true;
  }
  std::vector<std::string> kernelFunctions(std::string_view glob) override {
    return support::globMatch(glob, "do_sys_openat2") ? std::vector<std::string>{"do_sys_openat2"}
                                                      : std::vector<std::string>{};
  }
};

// The sema fixture (checked.h), with --unsafe given or not, and a kprobe-able function.
struct Sys {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  ast::Program *program = nullptr;
  std::vector<sema::ProbeSpec> probes;
  sema::Analysis analysis;

  explicit Sys(const std::string &text, bool unsafe = false) : file("stdin", text) {
    KprobeTypes types;
    program = parser::parse(file, ctx, diags);
    EXPECT_TRUE(diags.ok()) << "parse failed: " << text;
    probes = sema::expandAttachPoints(*program, types, diags);
    if (diags.ok())
      analysis = sema::resolveTypes(*program, ctx, probes,
                                    sema::Inputs{&types, {}, {}, unsafe}, diags);
  }
  bool has(DiagId id) const { return diags.has(id); }
  bool ok() const { return diags.errorCount() == 0; }
  std::string message() const { return diags.all().empty() ? "" : diags.all().front().message; }
  std::string slice() const {
    return diags.all().empty() ? "" : std::string(file.slice(diags.all().front().range));
  }
  std::string hints() const {
    std::string all;
    for (const auto &d : diags.all())
      for (const auto &h : d.hints)
        all += h + "\n";
    return all;
  }
  const ast::Type &map(const std::string &name) const { return analysis.maps.at(name).value; }
};

std::string begin(const std::string &body) { return "BEGIN { " + body + " }"; }
const char *kTracepoint = "tracepoint:syscalls:sys_enter_openat";
std::string tp(const std::string &body) { return std::string(kTracepoint) + " { " + body + " }"; }

TEST(SysBuiltins, Types) {
  Sys c(begin("@e = elapsed; @u = username; @t = strftime(\"%H\", nsecs); "
              "@c = cgroup_path(cgroup); @k[username] = 1; $x = (username, 1); @x = $x;"));
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c.map("@e").str(), "uint64");
  EXPECT_EQ(c.map("@u").str(), "username");
  EXPECT_EQ(c.map("@t").str(), "timestamp(\"%H\")");
  EXPECT_EQ(c.map("@c").str(), "cgroup_path_t");
  EXPECT_EQ(c.analysis.maps.at("@k").key.str(), "username");
  EXPECT_EQ(c.map("@x").str(), "(username, int64)");
}

TEST(SysBuiltins, UsermodeNeedsRegisters) {
  Sys ok("kprobe:do_sys_openat2 { @ = usermode; } profile:hz:99 { @p = usermode; }");
  ASSERT_TRUE(ok.ok()) << ok.message();
  EXPECT_EQ(ok.map("@").str(), "uint64"); // widened when stored
  Sys bad(tp("@ = usermode;"));
  EXPECT_TRUE(bad.has(DiagId::BuiltinNotAvailable));
  EXPECT_EQ(bad.message(), "usermode can not be used with \"tracepoint\" probes");
  EXPECT_EQ(bad.slice(), "usermode");
  EXPECT_TRUE(Sys(begin("@ = usermode;")).has(DiagId::BuiltinNotAvailable));
}

TEST(SysBuiltins, SargOnlyInKprobesAndUprobes) {
  EXPECT_TRUE(Sys("kprobe:do_sys_openat2 { @ = sarg0 + sarg3; }").ok());
  EXPECT_TRUE(Sys("uprobe:/proc/self/exe:main { @ = sarg1; }").ok());
  Sys bad(tp("@ = sarg2;"));
  EXPECT_TRUE(bad.has(DiagId::BuiltinNotAvailable));
  EXPECT_EQ(bad.message(), "The sarg2 builtin can only be used with 'kprobes' and 'uprobes' probes");
}

TEST(SysBuiltins, PpidNeedsTaskStructFromBtf) {
  // The fake task_struct has real_parent but no tgid.
  Sys c(begin("@ = ppid;"));
  EXPECT_TRUE(c.has(DiagId::BuiltinNotAvailable));
  EXPECT_EQ(c.message(), "ppid needs struct task_struct's real_parent and tgid from the kernel's BTF");
  EXPECT_EQ(c.slice(), "ppid");
}

TEST(SysNsecs, Clocks) {
  EXPECT_TRUE(Sys(begin("@a = nsecs(boot); @b = nsecs(monotonic); @c = nsecs(tai); "
                        "@d = nsecs(sw_tai); @e = nsecs();"))
                  .ok());
  Sys bad(begin("@ = nsecs(wall);"));
  EXPECT_TRUE(bad.has(DiagId::ArgumentType));
  EXPECT_EQ(bad.message(), "Invalid timestamp mode: wall");
  EXPECT_EQ(bad.slice(), "wall");
  EXPECT_TRUE(Sys(begin("@ = nsecs(1 + 2);")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Sys(begin("@ = nsecs(boot, tai);")).has(DiagId::ArgumentCount));
}

TEST(SysTime, Strftime) {
  Sys tai(begin("@ = strftime(\"%f\", nsecs(tai));"));
  ASSERT_TRUE(tai.ok()) << tai.message();
  EXPECT_EQ(tai.map("@").resolveSpec().clock, ast::Clock::Tai);
  EXPECT_EQ(Sys(begin("@ = strftime(\"%f\", 5);")).map("@").resolveSpec().clock, ast::Clock::Boot);
  Sys mono(begin("@ = strftime(\"%H\", nsecs(monotonic));"));
  EXPECT_EQ(mono.message(), "strftime() can not take a monotonic timestamp");
  EXPECT_EQ(mono.slice(), "nsecs(monotonic)");
  EXPECT_TRUE(Sys(begin("$f = \"%H\"; @ = strftime($f, nsecs);")).has(DiagId::ArgumentType));
  Sys str(begin("@ = strftime(\"%H\", \"now\");"));
  EXPECT_TRUE(str.has(DiagId::ArgumentType));
  EXPECT_EQ(str.slice(), "\"now\"");
  EXPECT_TRUE(Sys(begin("@ = strftime(\"%H\");")).has(DiagId::ArgumentCount));
  // Only for printing: no arithmetic, no comparison with a string, no %d.
  EXPECT_FALSE(Sys(begin("@ = strftime(\"%H\", 1) + 1;")).ok());
  EXPECT_FALSE(Sys(begin("if (username == \"root\") { exit(); }")).ok());
  Sys d(begin("printf(\"%d\\n\", username);"));
  EXPECT_TRUE(d.has(DiagId::PrintfFormat));
  EXPECT_TRUE(Sys(begin("printf(\"%s %s %s\\n\", username, strftime(\"%H\", nsecs), "
                        "cgroup_path(1));"))
                  .ok());
  // Two formats cannot share a map.
  EXPECT_TRUE(Sys(begin("@ = strftime(\"%H\", 1); @ = strftime(\"%M\", 1);"))
                  .has(DiagId::MapValueMismatch));
}

TEST(SysTime, Time) {
  EXPECT_TRUE(Sys(begin("time(); time(\"%H:%M\\n\");")).ok());
  Sys lit(begin("time(1);"));
  EXPECT_TRUE(lit.has(DiagId::ArgumentType));
  EXPECT_EQ(lit.slice(), "1");
  EXPECT_TRUE(Sys(begin("time(\"a\", \"b\");")).has(DiagId::ArgumentCount));
  Sys value(begin("$x = time();"));
  EXPECT_EQ(value.message(), "time() returns no value");
}

TEST(SysCgroup, CgroupidAndPath) {
  Sys missing(begin("@ = cgroupid(\"/no/such/cgroup\");"));
  EXPECT_TRUE(missing.has(DiagId::ArgumentType));
  EXPECT_NE(missing.message().find("Failed to get cgroupid for path \"/no/such/cgroup\""),
            std::string::npos);
  EXPECT_EQ(missing.slice(), "\"/no/such/cgroup\"");
  EXPECT_TRUE(Sys(begin("$p = \"/sys/fs/cgroup\"; @ = cgroupid($p);")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Sys(begin("@ = cgroup_path(cgroup, \"unified\");")).ok());
  EXPECT_TRUE(Sys(begin("@ = cgroup_path(\"x\");")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Sys(begin("$f = \"*\"; @ = cgroup_path(1, $f);")).has(DiagId::ArgumentType));
}

TEST(SysOutput, CatErrorfWarnfArePrintfLike) {
  EXPECT_TRUE(Sys(begin("cat(\"/proc/%d/status\", pid); errorf(\"x %s\", comm); warnf(\"y\");")).ok());
  Sys cat(begin("cat(\"%d\", comm);"));
  EXPECT_TRUE(cat.has(DiagId::PrintfFormat));
  EXPECT_EQ(cat.message(), "cat: %d specifier expects a value of type integer (string[16] supplied)");
  Sys errorf(begin("errorf(\"%d %d\", 1);"));
  EXPECT_EQ(errorf.message(),
            "errorf: Not enough arguments for format string (1 supplied, 2 expected)");
  EXPECT_TRUE(Sys(begin("$f = \"x\"; warnf($f);")).has(DiagId::PrintfFormat));
  EXPECT_EQ(Sys(begin("$x = cat(\"/etc/hostname\");")).message(), "cat() returns no value");
}

TEST(SysOutput, Join) {
  EXPECT_TRUE(Sys(tp("join(args.filename); join(args.filename, \",\");")).ok());
  Sys str(begin("join(\"abc\");"));
  EXPECT_EQ(str.message(), "join() only supports int or pointer arguments (string[4] provided)");
  EXPECT_TRUE(Sys(tp("join(args.filename, 1);")).has(DiagId::ArgumentType));
  EXPECT_TRUE(Sys(tp("join();")).has(DiagId::ArgumentCount));
}

TEST(SysUnsafe, RefusedWithoutTheFlag) {
  for (const char *call : {"system(\"ls\")", "signal(\"KILL\")", "override(1)"}) {
    std::string script = std::string("kprobe:do_sys_openat2 { ") + call + "; }";
    Sys safe(script);
    EXPECT_TRUE(safe.has(DiagId::UnsafeFunction)) << call;
    EXPECT_NE(safe.message().find("is an unsafe function being used in safe mode"),
              std::string::npos);
    EXPECT_NE(safe.message().find("--unsafe"), std::string::npos) << safe.message();
    EXPECT_EQ(safe.slice(), call);
    EXPECT_TRUE(Sys(script, true).ok()) << call << ": " << Sys(script, true).message();
  }
  EXPECT_TRUE(Sys(begin("system(\"echo %s %d\", comm, pid);"), true).ok());
  EXPECT_TRUE(Sys(begin("system(\"echo %d\");"), true).has(DiagId::PrintfFormat));
}

TEST(SysUnsafe, Signal) {
  Sys named(tp("signal(\"SIGUSR1\");"), true);
  ASSERT_TRUE(named.ok()) << named.message();
  EXPECT_TRUE(Sys(tp("signal(9); signal(pid % 2 + 1); signal(\"RTMIN+3\");"), true).ok());
  EXPECT_EQ(Sys(tp("signal(\"FOO\");"), true).message(), "FOO is not a valid signal");
  EXPECT_EQ(Sys(tp("signal(99);"), true).message(), "99 is not a valid signal, allowed range: [1,64]");
  EXPECT_EQ(Sys(tp("signal(0);"), true).message(), "0 is not a valid signal, allowed range: [1,64]");
  EXPECT_EQ(Sys(tp("signal(comm);"), true).message(), "signal only accepts string literals or integers");
  for (const char *probe : {"BEGIN", "END", "interval:s:1", "software:faults", "self:signal:SIGUSR1"}) {
    Sys where(std::string(probe) + " { signal(\"KILL\"); }", true);
    EXPECT_TRUE(where.has(DiagId::BuiltinNotAvailable)) << probe;
    EXPECT_NE(where.message().find("signal can not be used with"), std::string::npos) << probe;
  }
}

TEST(SysUnsafe, SignalNames) {
  EXPECT_EQ(support::signalNumber("KILL"), 9);
  EXPECT_EQ(support::signalNumber("SIGKILL"), 9);
  EXPECT_EQ(support::signalNumber("USR1"), 10);
  EXPECT_EQ(support::signalNumber("SIGSYS"), 31);
  EXPECT_EQ(support::signalNumber("RTMIN"), 32);
  EXPECT_EQ(support::signalNumber("SIGRTMIN+2"), 34);
  EXPECT_EQ(support::signalNumber("RTMAX-1"), 63);
  EXPECT_EQ(support::signalNumber("RTMAX"), 64);
  EXPECT_EQ(support::signalNumber("RTMIN+40"), 0);
  EXPECT_EQ(support::signalNumber("kill"), 0); // case-sensitive, as kill(1)
  EXPECT_EQ(support::signalNumber("SIG"), 0);
  EXPECT_EQ(support::signalNumber(""), 0);
}

TEST(SysCgroup, CgroupidNeedsACgroup2Directory) {
  uint64_t id = 0;
  std::string error;
  EXPECT_FALSE(support::cgroupId("/no/such/dir", id, error));
  EXPECT_EQ(error, "No such file or directory");
  EXPECT_FALSE(support::cgroupId("/", id, error)); // not a cgroup2 filesystem
  EXPECT_EQ(error, "not a directory of a cgroup v2 (cgroup2) filesystem");
}

TEST(SysUnsafe, OverrideOnlyInKprobes) {
  Sys tracepoint(tp("override(0);"), true);
  EXPECT_TRUE(tracepoint.has(DiagId::BuiltinNotAvailable));
  EXPECT_EQ(tracepoint.message(), "override can only be used with kprobes.");
  EXPECT_TRUE(Sys("kretprobe:do_sys_openat2 { override(0); }", true).has(DiagId::BuiltinNotAvailable));
  EXPECT_TRUE(Sys("kprobe:do_sys_openat2 { override(\"x\"); }", true).has(DiagId::ArgumentType));
}

TEST(SysDebugf, WarnsAndLimitsArguments) {
  Sys ok(begin("debugf(\"%d %s\\n\", pid, comm);"));
  EXPECT_TRUE(ok.ok()) << ok.message();
  EXPECT_TRUE(ok.has(DiagId::DebugfUse));
  Sys many(begin("debugf(\"%d %d %d %d\", 1, 2, 3, 4);"));
  EXPECT_TRUE(many.has(DiagId::ArgumentCount));
  EXPECT_EQ(many.message(), "cannot use more than 3 conversion specifiers");
  EXPECT_TRUE(Sys(begin("debugf(\"%d\");")).has(DiagId::PrintfFormat));
}

} // namespace
} // namespace scry
