// Kernel symbol tables from kallsyms text: parsing, address -> name+offset, name ->
// address, and demangling (support/demangle.h).
#include <gtest/gtest.h>

#include "support/demangle.h"
#include "symbols/kallsyms.h"

namespace scry {
namespace {

using symbols::KernelSymbols;

const char *kFixture = "ffffffff81000000 T _stext\n"
                       "ffffffff81001000 T do_nanosleep\n"
                       "ffffffff81001000 t do_nanosleep_alias\n"
                       "ffffffff81001200 T hrtimer_nanosleep\n"
                       "0000000000000000 A fixed_percpu_data\n"
                       "ffffffff82000000 D avenrun\n"
                       "ffffffffc0001000 t mod_fn\t[some_module]\n"
                       "garbage line\n"
                       "ffffffff81001200 W do_nanosleep\n"; // a later duplicate name

TEST(Kallsyms, ResolvesToTheNearestSymbolBelow) {
  KernelSymbols table = KernelSymbols::parse(kFixture);
  EXPECT_EQ(table.size(), 7u); // the absolute symbol and the garbage line are dropped
  auto hit = table.resolve(0xffffffff81001010);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->symbol->name, "do_nanosleep"); // first in file order at one address
  EXPECT_EQ(hit->offset, 0x10u);
  hit = table.resolve(0xffffffff81001200);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->symbol->name, "hrtimer_nanosleep");
  EXPECT_EQ(hit->offset, 0u);
  hit = table.resolve(0xffffffffc0001004);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->symbol->name, "mod_fn"); // the module column is not part of the name
}

TEST(Kallsyms, NothingBelowTheFirstSymbol) {
  KernelSymbols table = KernelSymbols::parse(kFixture);
  EXPECT_FALSE(table.resolve(0x1000));
  EXPECT_FALSE(table.resolve(0xffffffff80ffffff));
  EXPECT_FALSE(KernelSymbols::parse("").resolve(0xffffffff81000000));
}

TEST(Kallsyms, AddressOfAName) {
  KernelSymbols table = KernelSymbols::parse(kFixture);
  EXPECT_EQ(table.address("avenrun"), 0xffffffff82000000u);
  EXPECT_EQ(table.address("do_nanosleep"), 0xffffffff81001000u); // the first one
  EXPECT_FALSE(table.address("fixed_percpu_data"));
  EXPECT_FALSE(table.address("no_such_symbol"));
}

TEST(Kallsyms, RestrictedKallsymsIsEmpty) {
  // kptr_restrict hides addresses as zeros: nothing can resolve then.
  KernelSymbols table = KernelSymbols::parse("0000000000000000 T _stext\n"
                                             "0000000000000000 T do_nanosleep\n");
  EXPECT_TRUE(table.empty());
  EXPECT_FALSE(table.address("do_nanosleep"));
}

TEST(Demangle, ItaniumNames) {
  EXPECT_EQ(support::demangle("_ZN4scry6widget4pokeEi"), "scry::widget::poke(int)");
  EXPECT_EQ(support::demangle("_Z3fooPKcm"), "foo(char const*, unsigned long)");
  EXPECT_EQ(support::demangle("main"), "main");
  EXPECT_EQ(support::demangle("i"), "i"); // not "int"
  EXPECT_EQ(support::demangle("_Znot_valid("), "_Znot_valid(");
  EXPECT_EQ(support::demangle(""), "");
}

} // namespace
} // namespace scry
