// Unwind tables from hand-made .eh_frame sections: the rules each call-frame instruction
// leads to, how FDEs become rows by file offset (gaps, neighbours, overlaps, segments),
// and the CIE/FDE encodings .eh_frame allows.
#include <gtest/gtest.h>

#include "eh_frame_builder.h"
#include "symbols/unwind_table.h"

namespace scry::symbols {
namespace {

using test::cat;
using test::EhFrameBuilder;
using test::standardInitial;
namespace cfa = test::cfa;

// Code at 0x1000-0x11000, at file offset 0x400; the section itself elsewhere.
const std::vector<ElfSegment> kSegments = {
    {0x0, 0x0, 0x400, 0x400, false},
    {0x1000, 0x400, 0x10000, 0x10000, true},
};
constexpr uint64_t kSectionAddr = 0x20000;

struct Expect {
  uint64_t offset;
  UnwindCfa cfa;
  int32_t cfa_offset;
  UnwindRbp rbp = UnwindRbp::Same;
  int32_t rbp_offset = 0;
};

std::string show(const std::vector<UnwindRow> &rows) {
  std::string out;
  for (const UnwindRow &r : rows)
    out += std::to_string(r.offset) + ": cfa " + std::to_string(int(r.cfa)) + "+" +
           std::to_string(r.cfa_offset) + " rbp " + std::to_string(int(r.rbp)) + "+" +
           std::to_string(r.rbp_offset) + "\n";
  return out;
}

void expectRows(const std::vector<UnwindRow> &rows, const std::vector<Expect> &want) {
  ASSERT_EQ(rows.size(), want.size()) << show(rows);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].offset, want[i].offset) << "row " << i << "\n" << show(rows);
    EXPECT_EQ(rows[i].cfa, want[i].cfa) << "row " << i << "\n" << show(rows);
    EXPECT_EQ(rows[i].cfa_offset, want[i].cfa_offset) << "row " << i << "\n" << show(rows);
    EXPECT_EQ(rows[i].rbp, want[i].rbp) << "row " << i << "\n" << show(rows);
    EXPECT_EQ(rows[i].rbp_offset, want[i].rbp_offset) << "row " << i << "\n" << show(rows);
  }
}

std::vector<UnwindRow> build(const EhFrameBuilder &b, UnwindStats *stats = nullptr) {
  std::vector<UnwindRow> rows;
  buildUnwindRows(b.bytes(), b.vaddr(), kSegments, rows, stats);
  return rows;
}

constexpr auto kNone = UnwindCfa::None;
constexpr auto kRsp = UnwindCfa::Rsp;
constexpr auto kRbp = UnwindCfa::Rbp;
constexpr auto kAtCfa = UnwindRbp::AtCfa;

TEST(UnwindRows, FramePointerPrologueAndEpilogue) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  // push %rbp; mov %rsp,%rbp; ...; pop %rbp; ret
  b.addFde(cie, 0x1000, 0x20,
           cat({cfa::advance(1), cfa::defCfaOffset(16), cfa::offset(6, 2), cfa::advance(3),
                cfa::defCfaRegister(6), cfa::advance(0x10), cfa::defCfa(7, 8), cfa::restore(6)}));
  b.terminate();
  expectRows(build(b), {{0x400, kRsp, 8},
                        {0x401, kRsp, 16, kAtCfa, -16},
                        {0x404, kRbp, 16, kAtCfa, -16},
                        {0x414, kRsp, 8},
                        {0x420, kNone, 0}});
}

TEST(UnwindRows, GapsNeighboursAndSectionOrder) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  b.addFde(cie, 0x1100, 0x10, {}); // after a gap
  b.addFde(cie, 0x1000, 0x10, cat({cfa::advance(4), cfa::defCfaOffset(16)}));
  b.addFde(cie, 0x1010, 0x08, {}); // right after
  b.addFde(cie, 0x1110, 0x08, {}); // right after, same rules: merges
  b.terminate();
  UnwindStats stats;
  expectRows(build(b, &stats), {{0x400, kRsp, 8},
                                {0x404, kRsp, 16},
                                {0x410, kRsp, 8},
                                {0x418, kNone, 0},
                                {0x500, kRsp, 8},
                                {0x518, kNone, 0}});
  EXPECT_EQ(stats.eh_frame.fdes, 4u);
}

TEST(UnwindRows, OverlapKeepsTheEarlierStart) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  b.addFde(cie, 0x1010, 0x20, cat({cfa::defCfaOffset(24)})); // starts inside the next one
  b.addFde(cie, 0x1000, 0x20, {});
  b.addFde(cie, 0x1000, 0x08, cat({cfa::defCfaOffset(32)})); // same start: first wins
  b.terminate();
  UnwindStats stats;
  expectRows(build(b, &stats), {{0x400, kRsp, 8}, {0x420, kNone, 0}});
  EXPECT_EQ(stats.overlapping, 2u);
}

TEST(UnwindRows, UndefinedReturnAddressEndsTheStack) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  b.addFde(cie, 0x1000, 0x10, {});
  b.addFde(cie, 0x1010, 0x10, cfa::undefined(16)); // _start
  b.terminate();
  expectRows(build(b), {{0x400, kRsp, 8}, {0x410, kNone, 0}});
}

TEST(UnwindRows, ReturnAddressElsewhereAndOtherRbpRules) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  b.addFde(cie, 0x1000, 0x10,
           cat({cfa::advance(1),
                {0x09, 6, 3}, // rbp in rbx
                cfa::advance(1),
                cfa::offset(16, 2), // return address at CFA - 16
                cfa::advance(1),
                cfa::offset(16, 1),
                {0x08, 6}, // back; rbp same value
                cfa::advance(1),
                cfa::defCfa(0, 8)})); // CFA from rax
  b.terminate();
  expectRows(build(b), {{0x400, kRsp, 8},
                        {0x401, kRsp, 8, UnwindRbp::Unknown},
                        {0x402, kNone, 0},
                        {0x403, kRsp, 8},
                        {0x404, kNone, 0}});
}

TEST(UnwindRows, PltExpression) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  b.addFde(cie, 0x1000, 0x40,
           cat({cfa::defCfaOffset(16), cfa::advance(6), cfa::defCfaOffset(24), cfa::advance(10),
                cfa::pltExpression()}));
  // Any other expression: DW_OP_breg7 160; DW_OP_deref (a signal frame's).
  b.addFde(cie, 0x1040, 0x10, cat({cfa::advance(2), {0x0f, 3, 0x77, 0xa0, 0x01}}));
  b.terminate();
  expectRows(build(b), {{0x400, kRsp, 16},
                        {0x406, kRsp, 24},
                        {0x410, UnwindCfa::Plt, 8},
                        {0x440, kRsp, 8},
                        {0x442, kNone, 0}});
}

TEST(UnwindRows, RememberAndRestoreState) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  b.addFde(cie, 0x1000, 0x10,
           cat({cfa::advance(1), cfa::defCfaOffset(16), cfa::offset(6, 2), cfa::advance(1),
                cfa::rememberState(), cfa::defCfaOffset(8), cfa::restore(6), cfa::advance(1),
                cfa::restoreState(), cfa::advance(1)}));
  b.addFde(cie, 0x1010, 0x10, cfa::restoreState()); // nothing remembered: dropped
  b.terminate();
  UnwindStats stats;
  expectRows(build(b, &stats), {{0x400, kRsp, 8},
                                {0x401, kRsp, 16, kAtCfa, -16},
                                {0x402, kRsp, 8},
                                {0x403, kRsp, 16, kAtCfa, -16},
                                {0x410, kNone, 0}});
  EXPECT_EQ(stats.bad_programs, 1u);
}

TEST(UnwindRows, OnlyCodeInExecutableSegments) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial());
  b.addFde(cie, 0x100, 0x10, {});   // a read-only segment
  b.addFde(cie, 0x0, 0x10, {});     // discarded code
  b.addFde(cie, 0x10ff8, 0x10, {}); // runs past the segment's end
  b.addFde(cie, 0x50000, 0x10, {}); // nowhere
  b.addFde(cie, 0x10ff0, 0x10, {}); // the segment's last bytes
  b.terminate();
  UnwindStats stats;
  expectRows(build(b, &stats), {{0x103f0, kRsp, 8}, {0x10400, kNone, 0}});
  EXPECT_EQ(stats.outside, 4u);
}

TEST(UnwindRows, SixtyFourBitLengths) {
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addCie(standardInitial(), "zR", {0x1b}, true);
  b.addFde(cie, 0x1000, 0x10, cat({cfa::advance(1), cfa::defCfaOffset(16)}), true);
  b.terminate();
  expectRows(build(b), {{0x400, kRsp, 8}, {0x401, kRsp, 16}, {0x410, kNone, 0}});
}

TEST(UnwindRows, AugmentationsAndPointerEncodings) {
  EhFrameBuilder b(kSectionAddr);
  // "zPLR": personality pc-relative indirect sdata4, LSDA and FDEs pc-relative sdata4;
  // its FDEs carry a 4-byte LSDA pointer.
  size_t plr = b.addCie(standardInitial(), "zPLR", {0x9b, 1, 2, 3, 4, 0x1b, 0x1b});
  std::vector<uint8_t> body;
  EhFrameBuilder::put(body, 0x1000 - (b.nextPcField()), 4);
  EhFrameBuilder::put(body, 0x10, 4);
  body.insert(body.end(), {4, 0xaa, 0xbb, 0xcc, 0xdd});
  b.fdeRaw(plr, body);
  // "zRS" (a signal frame) with absolute udata8 pointers.
  size_t abs8 = b.addCie(standardInitial(), "zRS", {0x04});
  body.clear();
  EhFrameBuilder::put(body, 0x1010, 8);
  EhFrameBuilder::put(body, 0x10, 8);
  body.push_back(0);
  b.fdeRaw(abs8, body);
  // No augmentation at all: absolute 8-byte pointers, no augmentation data.
  size_t plain = b.addCie(standardInitial(), "", {});
  body.clear();
  EhFrameBuilder::put(body, 0x1020, 8);
  EhFrameBuilder::put(body, 0x10, 8);
  body.insert(body.end(), {0x41, 0x0e, 0x10}); // advance 1; def_cfa_offset 16
  b.fdeRaw(plain, body);
  // Absolute udata4.
  size_t abs4 = b.addCie(standardInitial(), "zR", {0x03});
  body.clear();
  EhFrameBuilder::put(body, 0x1030, 4);
  EhFrameBuilder::put(body, 0x10, 4);
  body.push_back(0);
  body.insert(body.end(), {0x42, 0x0e, 0x18}); // advance 2; def_cfa_offset 24
  b.fdeRaw(abs4, body);
  // Data-relative pointers need a base .eh_frame does not give: the FDE is skipped.
  size_t datarel = b.addCie(standardInitial(), "zR", {0x3b});
  b.addFde(datarel, 0x1040, 0x10, {});
  // An unknown CIE version: its FDEs are skipped.
  size_t bad_cie = b.addRaw(0, {2, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b});
  b.addFde(bad_cie, 0x1050, 0x10, {});
  b.terminate();
  UnwindStats stats;
  expectRows(build(b, &stats), {{0x400, kRsp, 8},
                                {0x421, kRsp, 16},
                                {0x430, kRsp, 8},
                                {0x432, kRsp, 24},
                                {0x440, kNone, 0}});
  EXPECT_EQ(stats.eh_frame.fdes, 4u);
  EXPECT_EQ(stats.eh_frame.bad_fdes, 2u);
}

TEST(UnwindRows, VersionThreeCie) {
  // Version 3 writes the return-address register as a ULEB128.
  std::vector<uint8_t> body = {3, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b};
  auto initial = standardInitial();
  body.insert(body.end(), initial.begin(), initial.end());
  EhFrameBuilder b(kSectionAddr);
  size_t cie = b.addRaw(0, body);
  b.addFde(cie, 0x1000, 0x10, {});
  expectRows(build(b), {{0x400, kRsp, 8}, {0x410, kNone, 0}});
}

TEST(UnwindRows, EmptySection) {
  EhFrameBuilder b(kSectionAddr);
  EXPECT_TRUE(build(b).empty());
  b.terminate();
  EXPECT_TRUE(build(b).empty());
}

} // namespace
} // namespace scry::symbols
