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

} // namespace
} // namespace scry
