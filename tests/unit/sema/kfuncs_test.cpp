// Sema of the functions built on kfuncs and typed ksyms (comm(pid), percpu_kaddr()):
// their types, the probe types whose programs may not call kfuncs, and every misuse as
// a located error.
#include <gtest/gtest.h>

#include "checked.h"
#include "sema/kfuncs.h"
#include "sema/sema.h"
#include "symbols/kallsyms.h"

namespace scry {
namespace {

using diag::DiagId;

// FakeTypes plus the bpf_task_from_pid kfunc and the per-CPU variable `runqueues`
// (`no_kfunc`: a kernel without the kfunc).
class KfuncTypes : public testing::FakeTypes {
public:
  bool no_kfunc = false;
  bool kernelFunction(const std::string &name, btf::FuncInfo &out, std::string &error) override {
    if (no_kfunc || name != "bpf_task_from_pid")
      return FakeTypes::kernelFunction(name, out, error);
    out.name = name;
    return true;
  }
  // The kernel's answer here: tracepoint and tracing programs may call it (kfunc_allowed).
  int asked = 0;
  bool kfuncAllowed(const std::string &name, btf::KfuncProgType type, bool &allowed,
                    std::string &error) override {
    (void)name;
    (void)error;
    ++asked;
    allowed = type == btf::KfuncProgType::Tracepoint || type == btf::KfuncProgType::Tracing;
    return true;
  }
  bool kernelVariable(const std::string &name, std::string &shape, std::string &error) override {
    if (name != "runqueues" && name != "hidden_var")
      return FakeTypes::kernelVariable(name, shape, error);
    shape = "s";
    return true;
  }
};

// kallsyms with `runqueues` (a CONFIG_KALLSYMS_ALL kernel) but not `hidden_var`.
const symbols::KernelSymbols &kallsyms() {
  static symbols::KernelSymbols table =
      symbols::KernelSymbols::parse("ffffffff81000000 T _stext\n"
                                    "ffffffff83000000 D runqueues\n");
  return table;
}

struct Kf : testing::Checked {
  explicit Kf(const std::string &text, bool no_kfunc = false)
      : Checked(text, kfuncTypes(no_kfunc), inputs()) {}
  static KfuncTypes &kfuncTypes(bool no_kfunc) {
    static KfuncTypes with, without;
    without.no_kfunc = true;
    return no_kfunc ? without : with;
  }
  static sema::Inputs inputs() {
    sema::Inputs in;
    in.kernel_symbols = &kallsyms();
    return in;
  }
  bool ok() const { return diags.errorCount() == 0; }
  std::string slice() const {
    return diags.all().empty() ? "" : std::string(file.slice(diags.all().front().range));
  }
};

TEST(Kfuncs, CommOfPidIsAString) {
  Kf c("interval:s:1 { @a = comm(1); @b = comm(pid); @c = comm(); @d = comm; }");
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c.map("@a").str(), "string[16]");
  EXPECT_EQ(c.map("@b").str(), "string[16]");
  EXPECT_EQ(c.map("@c").str(), "string[16]"); // comm() is the builtin
  EXPECT_TRUE(sema::probeCallsKfuncs(*c.program->probes[0]));
}

TEST(Kfuncs, CommOfInTracepointsKeepsThemOutOfRawTp) {
  Kf c("tracepoint:sched:sched_switch { @a = comm(1); }");
  ASSERT_TRUE(c.ok()) << c.message();
  ASSERT_EQ(c.probes.size(), 1u);
  EXPECT_FALSE(c.probes[0].raw_attach);
}

TEST(Kfuncs, CommOfRefusedWhereTheKernelRefusesTheKfunc) {
  for (const char *probe : {"BEGIN", "END", "rawtracepoint:sched_switch"}) {
    Kf c(std::string(probe) + " { @a = comm(1); }");
    EXPECT_TRUE(c.diags.has(DiagId::BuiltinNotAvailable)) << probe << ": " << c.message();
    if (c.diags.has(DiagId::BuiltinNotAvailable)) {
      EXPECT_EQ(c.slice(), "comm(1)") << probe;
      EXPECT_NE(c.message().find("comm(pid) can not be used with"), std::string::npos);
    }
  }
}

TEST(Kfuncs, CommOfMisuse) {
  Kf text("interval:s:1 { @a = comm(\"x\"); }");
  EXPECT_TRUE(text.diags.has(DiagId::ArgumentType));
  EXPECT_EQ(text.slice(), "\"x\"");
  EXPECT_EQ(text.message(), "comm() expects an integer pid (string[2] provided)");

  Kf two("interval:s:1 { @a = comm(1, 2); }");
  EXPECT_TRUE(two.diags.has(DiagId::ArgumentCount));
  EXPECT_EQ(two.slice(), "comm(1, 2)");

  Kf old("interval:s:1 { @a = comm(1); }", true);
  EXPECT_TRUE(old.diags.has(DiagId::BuiltinNotAvailable));
  EXPECT_NE(old.message().find("bpf_task_from_pid"), std::string::npos);
}

TEST(Kfuncs, PercpuKaddrIsAnAddress) {
  Kf c("interval:s:1 { @a = percpu_kaddr(\"runqueues\"); @b = percpu_kaddr(\"runqueues\", 1); }");
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c.map("@a").str(), "uint64");
  EXPECT_EQ(c.analysis.ksym_shapes.size(), 2u);
}

TEST(Kfuncs, PercpuKaddrMisuse) {
  Kf unknown("BEGIN { @a = percpu_kaddr(\"no_such_var\"); }");
  EXPECT_TRUE(unknown.diags.has(DiagId::SymbolNotFound));
  EXPECT_EQ(unknown.slice(), "\"no_such_var\"");

  Kf hidden("BEGIN { @a = percpu_kaddr(\"hidden_var\"); }");
  EXPECT_TRUE(hidden.diags.has(DiagId::SymbolNotFound));
  EXPECT_NE(hidden.message().find("cannot resolve"), std::string::npos);

  Kf name("BEGIN { $n = \"runqueues\"; @a = percpu_kaddr($n); }");
  EXPECT_TRUE(name.diags.has(DiagId::ArgumentType));
  EXPECT_EQ(name.slice(), "$n");

  Kf cpu("BEGIN { @a = percpu_kaddr(\"runqueues\", \"0\"); }");
  EXPECT_TRUE(cpu.diags.has(DiagId::ArgumentType));
  EXPECT_EQ(cpu.slice(), "\"0\"");

  Kf arity("BEGIN { @a = percpu_kaddr(); }");
  EXPECT_TRUE(arity.diags.has(DiagId::ArgumentCount));
}

// kfunc_allowed(): a constant from the kernel's answer per program type, asked once
// per type; every attach point of the probe must allow the call.
TEST(Kfuncs, KfuncAllowedAsksOncePerProgramType) {
  auto constantOf = [](const Kf &k, size_t stmt) {
    auto *assign = ast::cast<ast::AssignVar>(k.program->probes[0]->body->stmts.at(stmt));
    return k.analysis.constants.at(assign->value->id());
  };
  Kf tp("tracepoint:sched:sched_switch { $a = kfunc_allowed(\"bpf_task_from_pid\"); "
        "$b = kfunc_allowed(\"bpf_task_from_pid\"); $c = kfunc_allowed(\"nope\"); }");
  ASSERT_TRUE(tp.ok()) << tp.message();
  EXPECT_EQ(constantOf(tp, 0), 1u);
  EXPECT_EQ(constantOf(tp, 2), 0u); // no such kfunc
  Kf begin("BEGIN { $a = kfunc_allowed(\"bpf_task_from_pid\"); }");
  EXPECT_EQ(constantOf(begin, 0), 0u);
  Kf missing("tracepoint:sched:sched_switch { $a = kfunc_allowed(\"bpf_task_from_pid\"); }", true);
  EXPECT_EQ(constantOf(missing, 0), 0u);
  Kf literal("BEGIN { $n = \"x\"; $a = kfunc_allowed($n); }");
  EXPECT_EQ(literal.message(), "kfunc_allowed() expects a string literal naming a kernel function");
}

} // namespace
} // namespace scry
