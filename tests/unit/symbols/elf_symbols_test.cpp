// User-space ELF symbol tables: resolution by address (nested and zero-sized symbols,
// gaps), lookup by name, file offset -> virtual address through segments, and reading
// a real file (this test binary).
#include <gtest/gtest.h>

#include "symbols/elf_symbols.h"

extern "C" __attribute__((noinline, used)) int scry_elf_test_marker(int x) { return x * 3 + 1; }
extern "C" long scry_elf_test_object;
__attribute__((used)) long scry_elf_test_object = 42;

namespace scry {
namespace {

using symbols::ElfSegment;
using symbols::ElfSym;
using symbols::ElfSymbols;

ElfSymbols fixture() {
  return ElfSymbols({{"outer", 0x1000, 0x100, true},
                     {"nested", 0x1040, 0x10, true},
                     {"outer", 0x1000, 0x100, true}, // .symtab and .dynsym both
                     {"marker", 0x2000, 0, true},
                     {"table", 0x4000, 0x20, false}},
                    {{0x0, 0x0, 0x3000, 0x3000}, {0x4000, 0x3000, 0x100, 0x200}}, true);
}

TEST(ElfSymbols, InnermostSymbolHoldingAnAddress) {
  ElfSymbols elf = fixture();
  auto hit = elf.resolve(0x1044);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->symbol->name, "nested");
  EXPECT_EQ(hit->offset, 4u);
  hit = elf.resolve(0x1060);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->symbol->name, "outer");
  EXPECT_EQ(hit->offset, 0x60u);
  hit = elf.resolve(0x4008);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->symbol->name, "table");
}

TEST(ElfSymbols, GapsAndZeroSizedSymbols) {
  ElfSymbols elf = fixture();
  EXPECT_FALSE(elf.resolve(0x1100)); // just past outer
  EXPECT_FALSE(elf.resolve(0x10));
  ASSERT_TRUE(elf.resolve(0x2000));
  EXPECT_EQ(elf.resolve(0x2000)->symbol->name, "marker");
  EXPECT_FALSE(elf.resolve(0x2001));
}

TEST(ElfSymbols, FindByName) {
  ElfSymbols elf = fixture();
  ASSERT_NE(elf.find("table"), nullptr);
  EXPECT_EQ(elf.find("table")->addr, 0x4000u);
  EXPECT_FALSE(elf.find("table")->is_func);
  EXPECT_EQ(elf.find("absent"), nullptr);
  EXPECT_TRUE(elf.pie());
}

TEST(ElfSymbols, FileOffsetsToVirtualAddresses) {
  ElfSymbols elf = fixture();
  EXPECT_EQ(elf.vaddrOf(0x1044), 0x1044u);
  EXPECT_EQ(elf.vaddrOf(0x3010), 0x4010u);
  EXPECT_FALSE(elf.vaddrOf(0x9000));
}

TEST(ElfSymbols, ReadsThisBinary) {
  ElfSymbols elf;
  std::string error;
  ASSERT_TRUE(ElfSymbols::load("/proc/self/exe", elf, error)) << error;
  const ElfSym *fn = elf.find("scry_elf_test_marker");
  ASSERT_NE(fn, nullptr);
  EXPECT_TRUE(fn->is_func);
  auto hit = elf.resolve(fn->addr + 1);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->symbol->name, "scry_elf_test_marker");
  const ElfSym *obj = elf.find("scry_elf_test_object");
  ASSERT_NE(obj, nullptr);
  EXPECT_FALSE(obj->is_func);
  EXPECT_EQ(obj->size, sizeof(long));
  EXPECT_EQ(scry_elf_test_marker(1), 4);
}

TEST(ElfSymbols, MissingOrNotElf) {
  ElfSymbols elf;
  std::string error;
  EXPECT_FALSE(ElfSymbols::load("/nonexistent/binary", elf, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos);
  EXPECT_FALSE(ElfSymbols::load("/proc/self/status", elf, error));
  EXPECT_NE(error.find("not an ELF file"), std::string::npos);
}

} // namespace
} // namespace scry
