// src/dwarf against tests/progs/dwarf_target: parameters typed from DWARF and placed in
// the x86-64 System V argument registers, bpftrace's -lv text, and the failures.
#include <gtest/gtest.h>

#include "btf/elf_file.h"
#include "dwarf/debug_info.h"

namespace scry::dwarf {
namespace {

using ast::AddrSpace;
using ast::Type;

class DwarfTarget : public ::testing::Test {
protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(btf::readElf(SCRY_DWARF_TARGET, elf_, error)) << error;
    info_ = DebugInfo::open(SCRY_DWARF_TARGET, error);
    ASSERT_TRUE(info_) << error;
  }

  Function function(const std::string &name) {
    const btf::ElfSymbol *sym = elf_.find(name);
    EXPECT_TRUE(sym) << name;
    Function f;
    std::string error;
    EXPECT_TRUE(sym && info_->functionAt(sym->addr, f, error)) << error;
    return f;
  }

  btf::ElfInfo elf_;
  std::shared_ptr<DebugInfo> info_;
};

TEST_F(DwarfTarget, IntegersOfEveryWidthTakeTheRegistersInOrder) {
  EXPECT_TRUE(info_->hasDwarf());
  Function f = function("ints");
  EXPECT_EQ(f.name, "ints");
  ASSERT_EQ(f.params.size(), 6u);
  const Type want[] = {Type::integer(8, true),  Type::integer(8, false),
                       Type::integer(16, true), Type::integer(16, false),
                       Type::integer(32, true), Type::integer(64, false)};
  const char *decls[] = {"int8_t a",  "uint8_t b", "int16_t c",
                         "uint16_t d", "int32_t e", "uint64_t f"};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(f.params[i].type, want[i]) << i;
    EXPECT_EQ(f.params[i].decl, decls[i]);
    EXPECT_EQ(f.params[i].first_reg, i);
    EXPECT_EQ(f.params[i].regs, 1u);
    EXPECT_EQ(f.params[i].unsupported, "");
  }
}

TEST_F(DwarfTarget, TypedefsAndCharTypes) {
  Function f = function("negatives");
  ASSERT_EQ(f.params.size(), 5u);
  EXPECT_EQ(f.params[0].decl, "long int a");
  EXPECT_EQ(f.params[3].type, Type::integer(8, true)); // signed char
  EXPECT_EQ(f.params[4].decl, "port_t p");
  EXPECT_EQ(f.params[4].type, Type::integer(16, false));
}

TEST_F(DwarfTarget, CharPointersPointIntoUserMemory) {
  Function f = function("text");
  ASSERT_EQ(f.params.size(), 3u);
  EXPECT_EQ(f.params[0].decl, "const char* s");
  EXPECT_EQ(f.params[0].type, Type::pointer(Type::integer(8, true), AddrSpace::User));
  EXPECT_EQ(f.params[0].type.addrSpace(), AddrSpace::User);
  EXPECT_EQ(f.params[1].decl, "char* buf");
}

TEST_F(DwarfTarget, EnumsAreIntegersOfTheirSize) {
  Function f = function("paint");
  ASSERT_EQ(f.params.size(), 2u);
  EXPECT_EQ(f.params[0].decl, "enum color c");
  EXPECT_TRUE(f.params[0].type.isInt());
  EXPECT_EQ(f.params[0].type.bits(), 32u);
}

TEST_F(DwarfTarget, StructPointersHaveEveryFieldAndSelfReferencesShareOneRecord) {
  Function f = function("walk");
  ASSERT_EQ(f.params.size(), 2u);
  EXPECT_EQ(f.params[0].decl, "struct node* head");
  const Type &head = f.params[0].type;
  ASSERT_TRUE(head.isPointer());
  ASSERT_TRUE(head.pointee().isRecord());
  const ast::RecordType &node = head.pointee().recordType();
  EXPECT_EQ(node.name, "struct node");
  EXPECT_EQ(node.size, 40u);
  ASSERT_EQ(node.fields.size(), 5u);
  EXPECT_EQ(node.fields[0].name, "value");
  EXPECT_EQ(node.fields[1].type, Type::pointer(Type::integer(8, true), AddrSpace::User));
  const Type &next = node.fields[2].type;
  ASSERT_TRUE(next.isPointer() && next.pointee().isRecord());
  EXPECT_EQ(&next.pointee().recordType(), &node); // the list's cycle: one RecordType
  EXPECT_EQ(node.fields[3].name, "pos");
  EXPECT_EQ(node.fields[3].offset, 24u);
  EXPECT_EQ(node.fields[3].type.recordType().fields.size(), 2u);
  EXPECT_EQ(node.fields[4].type, Type::string(8)); // char tag[8]
  EXPECT_EQ(node.fields[4].offset, 32u);
}

TEST_F(DwarfTarget, SmallStructsByValueTakeOneOrTwoRegisters) {
  Function one = function("by_value");
  ASSERT_EQ(one.params.size(), 2u);
  EXPECT_EQ(one.params[0].decl, "struct point p");
  EXPECT_TRUE(one.params[0].type.isRecord());
  EXPECT_EQ(one.params[0].first_reg, 0);
  EXPECT_EQ(one.params[0].regs, 1u);
  EXPECT_EQ(one.params[1].first_reg, 1);

  Function two = function("two_regs");
  ASSERT_EQ(two.params.size(), 4u);
  EXPECT_EQ(two.params[2].first_reg, 2); // rdx and rcx
  EXPECT_EQ(two.params[2].regs, 2u);
  EXPECT_EQ(two.params[3].first_reg, 4); // r8
}

TEST_F(DwarfTarget, StackAndSseParametersAreUnreadableAndTakeNoRegister) {
  Function f = function("elsewhere");
  ASSERT_EQ(f.params.size(), 9u);
  EXPECT_EQ(f.params[0].first_reg, -1);
  EXPECT_EQ(f.params[0].unsupported, "a struct of 32 bytes, passed by value on the stack");
  EXPECT_EQ(f.params[1].first_reg, -1);
  EXPECT_EQ(f.params[1].unsupported, "passed in an SSE register (floating point)");
  EXPECT_EQ(f.params[1].decl, "double scale");
  for (int i = 2; i < 8; ++i) // n, a2 .. a6: rdi .. r9
    EXPECT_EQ(f.params[i].first_reg, i - 2) << i;
  EXPECT_EQ(f.params[8].first_reg, -1);
  EXPECT_EQ(f.params[8].unsupported, "passed on the stack (after the 6 argument registers)");
}

TEST_F(DwarfTarget, OnlyAFunctionsEntryHasItsParameters) {
  const btf::ElfSymbol *sym = elf_.find("ints");
  ASSERT_TRUE(sym);
  Function f;
  std::string error;
  EXPECT_FALSE(info_->functionAt(sym->addr + 1, f, error));
  EXPECT_NE(error.find("no DWARF function starts at 0x"), std::string::npos) << error;
}

TEST_F(DwarfTarget, OpeningTwiceGivesTheSameObject) {
  std::string error;
  EXPECT_EQ(DebugInfo::open(SCRY_DWARF_TARGET, error), info_);
}

TEST(DwarfNoDebug, AFileWithoutDwarfOpensWithoutCompileUnits) {
  std::string error;
  auto info = DebugInfo::open(SCRY_NODEBUG_TARGET, error);
  ASSERT_TRUE(info) << error;
  EXPECT_FALSE(info->hasDwarf());
}

TEST(DwarfNoDebug, AMissingFileIsAnError) {
  std::string error;
  EXPECT_FALSE(DebugInfo::open("/nonexistent/scry-dwarf", error));
  EXPECT_NE(error.find("cannot read /nonexistent/scry-dwarf"), std::string::npos) << error;
}

} // namespace
} // namespace scry::dwarf
