// Sema of stacks and symbols: the types of kstack/ustack (modes, limits, the stack_mode
// config), ksym/usym, kaddr (against a fixture kallsyms), and every misuse as a
// located error.
#include <gtest/gtest.h>

#include "checked.h"
#include "fake_types.h"
#include "parser/parse.h"
#include "sema/sema.h"
#include "symbols/kallsyms.h"

namespace scry {
namespace {

using diag::DiagId;
using testing::Checked;

std::string wrap(const std::string &body) { return "BEGIN { " + body + " }"; }

// Like Checked, with a kallsyms fixture for kaddr().
struct WithKallsyms {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  sema::Analysis analysis;
  ast::Program *program = nullptr;
  explicit WithKallsyms(const std::string &text) : file("stdin", text) {
    static const symbols::KernelSymbols table = symbols::KernelSymbols::parse(
        "ffffffff81001000 T do_nanosleep\nffffffff82000000 D avenrun\n");
    testing::FakeTypes types;
    program = parser::parse(file, ctx, diags);
    auto probes = sema::expandAttachPoints(*program, types, diags);
    sema::Inputs inputs{&types, {}, {}};
    inputs.kernel_symbols = &table;
    if (diags.ok())
      analysis = sema::resolveTypes(*program, ctx, probes, inputs, diags);
  }
};

TEST(StacksSema, BuiltinsAndCalls) {
  Checked c(wrap("@a = kstack; @b = ustack; @c = kstack(); @d = kstack(5); @e = kstack(perf); "
                 "@f = ustack(raw, 3); @g = ustack(bpftrace, 1024);"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@a").str(), "kstack_bpftrace_127");
  EXPECT_EQ(c.map("@b").str(), "ustack_bpftrace_127");
  EXPECT_EQ(c.map("@c").str(), "kstack_bpftrace_127");
  EXPECT_EQ(c.map("@d").str(), "kstack_bpftrace_5");
  EXPECT_EQ(c.map("@e").str(), "kstack_perf_127");
  EXPECT_EQ(c.map("@f").str(), "ustack_raw_3");
  EXPECT_EQ(c.map("@g").str(), "ustack_bpftrace_1024");
  // Sizes: a count, the addresses, and a user stack's pid.
  EXPECT_EQ(c.map("@d").size(), 8u + 5 * 8);
  EXPECT_EQ(c.map("@f").size(), 8u + 3 * 8 + 8);
}

TEST(StacksSema, AsKeysPrintfAndPrint) {
  Checked c(wrap("@[kstack] = count(); @u[ustack, comm] = count(); printf(\"%s\\n\", kstack(2)); "
                 "print(ustack(perf)); $s = kstack(3); @v[$s] = sum(1);"));
  EXPECT_TRUE(c.diags.ok()) << c.message();
}

TEST(StacksSema, StackModeConfig) {
  Checked c("config = { stack_mode = perf } " + wrap("@a = kstack; @b = ustack(raw);"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@a").str(), "kstack_perf_127");
  EXPECT_EQ(c.map("@b").str(), "ustack_raw_127");
  Checked env(wrap("@a = kstack;"), {}, {{"BPFTRACE_STACK_MODE", "raw"}});
  ASSERT_TRUE(env.diags.ok()) << env.message();
  EXPECT_EQ(env.map("@a").str(), "kstack_raw_127");
  Checked bad("config = { stack_mode = fancy } " + wrap("@a = kstack;"));
  EXPECT_TRUE(bad.has(DiagId::ConfigKey));
  EXPECT_EQ(bad.slice(0), "fancy");
}

TEST(StacksSema, BadModesAndLimits) {
  Checked mode(wrap("@a = kstack(fancy);"));
  EXPECT_TRUE(mode.has(DiagId::StackArgument));
  EXPECT_EQ(mode.slice(0), "fancy");
  EXPECT_EQ(mode.message(), "kstack(): unknown stack mode 'fancy'");
  Checked big(wrap("@a = ustack(perf, 2000);"));
  EXPECT_TRUE(big.has(DiagId::StackArgument));
  EXPECT_EQ(big.message(), "ustack(): limit shouldn't exceed 1024, 2000 given");
  EXPECT_EQ(big.slice(0), "2000");
  Checked zero(wrap("@a = kstack(0);"));
  EXPECT_TRUE(zero.has(DiagId::StackArgument));
  Checked order(wrap("@a = kstack(3, perf);"));
  EXPECT_TRUE(order.has(DiagId::ArgumentType));
  EXPECT_EQ(order.slice(0), "3");
  Checked expr(wrap("@a = kstack(1 + 2);"));
  EXPECT_TRUE(expr.has(DiagId::ArgumentType));
  Checked many(wrap("@a = kstack(perf, 3, 4);"));
  EXPECT_TRUE(many.has(DiagId::ArgumentCount));
  Checked build_id(wrap("@a = ustack(build_id);"));
  EXPECT_TRUE(build_id.has(DiagId::StackArgument));
}

TEST(StacksSema, TypesDoNotMix) {
  Checked c(wrap("@a = kstack(1); @a = kstack(2);"));
  EXPECT_TRUE(c.has(DiagId::MapValueMismatch));
  Checked k(wrap("@a = kstack; @a = ustack;"));
  EXPECT_TRUE(k.has(DiagId::MapValueMismatch));
}

TEST(StacksSema, Symbols) {
  Checked c(wrap("@k = ksym(0xffffffff81000000); @u = usym(curtask); @p[ksym(1)] = count();"));
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@k").str(), "ksym_t");
  EXPECT_EQ(c.map("@u").str(), "usym_t");
  EXPECT_EQ(c.map("@u").size(), 16u);
  Checked bad(wrap("@k = ksym(\"x\");"));
  EXPECT_TRUE(bad.has(DiagId::ArgumentType));
  EXPECT_EQ(bad.slice(0), "\"x\"");
}

TEST(StacksSema, Kaddr) {
  WithKallsyms c(wrap("@a = kaddr(\"avenrun\"); @k = ksym(kaddr(\"do_nanosleep\"));"));
  ASSERT_TRUE(c.diags.ok());
  EXPECT_EQ(c.analysis.maps.at("@a").value.str(), "uint64");
  bool found = false;
  for (const auto &[id, value] : c.analysis.constants)
    found = found || value == 0xffffffff82000000u;
  EXPECT_TRUE(found);
  WithKallsyms missing(wrap("@a = kaddr(\"no_such_symbol\");"));
  ASSERT_TRUE(missing.diags.has(DiagId::SymbolNotFound));
  EXPECT_EQ(std::string(missing.file.slice(missing.diags.all().front().range)),
            "\"no_such_symbol\"");
  WithKallsyms nonliteral(wrap("$n = \"avenrun\"; @a = kaddr($n);"));
  EXPECT_TRUE(nonliteral.diags.has(DiagId::ArgumentType));
}

TEST(StacksSema, UaddrOnlyInUserProbes) {
  Checked c("tracepoint:syscalls:sys_enter_openat { @a = uaddr(\"main\"); }");
  EXPECT_TRUE(c.has(DiagId::BuiltinNotAvailable));
  EXPECT_EQ(c.slice(0), "uaddr(\"main\")");
  EXPECT_NE(c.message().find("uprobe"), std::string::npos);
  Checked begin(wrap("@a = uaddr(\"main\");"));
  EXPECT_TRUE(begin.has(DiagId::BuiltinNotAvailable));
}

// dw_ustack (bpftrace 0.26, unstable): a user stack of the same type as ustack's, with
// the same arguments; the kernel fields its unwinder reads come from BTF.
TEST(StacksSema, DwUstackIsAUserStack) {
  Checked c("config = { unstable_dw_ustack = enable } "
            "tracepoint:syscalls:sys_enter_openat { @a = dw_ustack; @b = dw_ustack(perf, 5); "
            "@c[dw_ustack(3)] = count(); @u = ustack(perf, 5); @u = dw_ustack(perf, 5); }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_TRUE(c.diags.all().empty()) << c.message(); // enabled: no warning
  EXPECT_EQ(c.map("@a").str(), "ustack_bpftrace_127");
  EXPECT_EQ(c.map("@b").str(), "ustack_perf_5");
  const sema::DwUnwindOffsets &o = c.analysis.dw_unwind;
  EXPECT_TRUE(o.used);
  EXPECT_EQ(o.vm_pgoff, 136u);
  EXPECT_EQ(o.vm_file, 144u);
  EXPECT_EQ(o.f_inode, 32u);
  EXPECT_EQ(o.i_ino, 64u);
  EXPECT_EQ(o.i_sb, 40u);
  EXPECT_EQ(o.s_dev, 16u);
  EXPECT_FALSE(Checked(wrap("@a = ustack;")).analysis.dw_unwind.used);
}

TEST(StacksSema, DwUstackIsUnstable) {
  // Warned once by default, as bpftrace 0.26 does.
  Checked warned(wrap("@a = dw_ustack; @b = dw_ustack(4);"));
  ASSERT_TRUE(warned.diags.ok()) << warned.message();
  ASSERT_EQ(warned.diags.all().size(), 1u);
  EXPECT_EQ(warned.message(), "Script is using an unstable feature: dw_ustack. To prevent this "
                              "warning you must explicitly enable it in the config e.g. "
                              "unstable_dw_ustack=enable");
  Checked refused("config = { unstable_dw_ustack = error } BEGIN { @a = dw_ustack(2); }");
  ASSERT_TRUE(refused.has(DiagId::UnstableFeature));
  EXPECT_EQ(refused.slice(0), "dw_ustack(2)");
  EXPECT_EQ(refused.message(), "dw_ustack feature is not enabled by default. To enable this "
                               "unstable feature, set the config flag to enable. "
                               "unstable_dw_ustack=enable");
  Checked from_env(wrap("@a = dw_ustack;"), {}, {{"BPFTRACE_UNSTABLE_DW_USTACK", "error"}});
  EXPECT_TRUE(from_env.has(DiagId::UnstableFeature));
  Checked bad("config = { unstable_dw_ustack = sometimes } BEGIN { }");
  EXPECT_EQ(bad.message(),
            "Invalid value for config key unstable_dw_ustack: expected enable, warn or error");
  Checked limit("config = { unstable_dw_ustack = enable } BEGIN { @a = dw_ustack(2000); }");
  EXPECT_TRUE(limit.has(DiagId::StackArgument));
}

} // namespace
} // namespace scry
