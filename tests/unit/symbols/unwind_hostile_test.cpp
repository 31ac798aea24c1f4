// Unwind tables from hostile input: scry builds them as root from whatever binary a
// script names, so truncated, mutated and garbage .eh_frame sections (and ELF files)
// must lose rows or fail, never read out of bounds or spin. Best run under
// -DSCRY_SANITIZE=ON.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include "eh_frame_builder.h"
#include "symbols/unwind_table.h"

namespace scry::symbols {
namespace {

using test::cat;
using test::EhFrameBuilder;
using test::standardInitial;
namespace cfa = test::cfa;

struct Section {
  std::vector<uint8_t> bytes;
  uint64_t addr = 0, file_offset = 0;
  std::vector<ElfSegment> segments;
};

// The test binary's own .eh_frame and segments, read with libelf.
bool readOwnEhFrame(Section &out) {
  int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  elf_version(EV_CURRENT);
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  size_t shstrndx = 0;
  bool found = false;
  if (elf && elf_getshdrstrndx(elf, &shstrndx) == 0) {
    for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn && !found; scn = elf_nextscn(elf, scn)) {
      GElf_Shdr shdr;
      const char *name =
          gelf_getshdr(scn, &shdr) ? elf_strptr(elf, shstrndx, shdr.sh_name) : nullptr;
      Elf_Data *data =
          name && std::strcmp(name, ".eh_frame") == 0 ? elf_rawdata(scn, nullptr) : nullptr;
      if (data && data->d_buf) {
        auto *p = static_cast<const uint8_t *>(data->d_buf);
        out.bytes.assign(p, p + data->d_size);
        out.addr = shdr.sh_addr;
        out.file_offset = shdr.sh_offset;
        found = true;
      }
    }
    size_t phnum = 0;
    elf_getphdrnum(elf, &phnum);
    for (size_t i = 0; i < phnum; ++i) {
      GElf_Phdr ph;
      if (gelf_getphdr(elf, static_cast<int>(i), &ph) && ph.p_type == PT_LOAD)
        out.segments.push_back(
            {ph.p_vaddr, ph.p_offset, ph.p_filesz, ph.p_memsz, (ph.p_flags & PF_X) != 0});
    }
  }
  if (elf)
    elf_end(elf);
  ::close(fd);
  return found;
}

void expectSorted(const std::vector<UnwindRow> &rows) {
  for (size_t i = 1; i < rows.size(); ++i)
    ASSERT_LT(rows[i - 1].offset, rows[i].offset) << "row " << i;
}

TEST(UnwindHostile, EveryTruncation) {
  EhFrameBuilder b(0x20000);
  size_t cie = b.addCie(standardInitial(), "zPLR", {0x9b, 1, 2, 3, 4, 0x1b, 0x1b});
  b.addFde(cie, 0x1000, 0x20,
           cat({cfa::advance(1), cfa::defCfaOffset(16), cfa::offset(6, 2), cfa::rememberState(),
                cfa::advance(2), cfa::pltExpression(), cfa::restoreState()}));
  size_t cie64 = b.addCie(standardInitial(), "zR", {0x1b}, true);
  b.addFde(cie64, 0x1100, 0x20, cat({cfa::advance(3), cfa::defCfa(6, 16)}), true);
  b.terminate();
  std::vector<ElfSegment> segs = {{0x1000, 0x1000, 0x1000, 0x1000, true}};
  std::vector<UnwindRow> full;
  buildUnwindRows(b.bytes(), b.vaddr(), segs, full);
  ASSERT_GE(full.size(), 4u);
  for (size_t n = 0; n < b.bytes().size(); ++n) {
    std::vector<uint8_t> cut(b.bytes().begin(), b.bytes().begin() + n);
    std::vector<UnwindRow> rows;
    UnwindStats stats;
    buildUnwindRows(cut, b.vaddr(), segs, rows, &stats);
    expectSorted(rows);
    EXPECT_LE(rows.size(), full.size()) << "cut at " << n;
  }
}

TEST(UnwindHostile, MutatedRealSection) {
  Section own;
  ASSERT_TRUE(readOwnEhFrame(own));
  std::vector<UnwindRow> clean;
  buildUnwindRows(own.bytes, own.addr, own.segments, clean);
  ASSERT_GT(clean.size(), 100u);
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    std::vector<uint8_t> bytes = own.bytes;
    int flips = 1 + static_cast<int>(rng() % 32);
    for (int i = 0; i < flips; ++i) {
      size_t at = rng() % bytes.size();
      // Mostly lengths and opcodes' worst cases: all ones, zero, or random.
      uint32_t kind = rng() % 3;
      bytes[at] = kind == 0 ? 0xff : kind == 1 ? 0x00 : static_cast<uint8_t>(rng());
    }
    size_t cut = rng() % 4 == 0 ? rng() % bytes.size() : bytes.size();
    bytes.resize(cut);
    std::vector<UnwindRow> rows;
    buildUnwindRows(bytes, own.addr, own.segments, rows);
    expectSorted(rows);
  }
}

TEST(UnwindHostile, Garbage) {
  std::mt19937 rng(777);
  std::vector<ElfSegment> segs = {{0, 0, ~uint64_t{0} >> 1, ~uint64_t{0} >> 1, true}};
  for (int round = 0; round < 300; ++round) {
    std::vector<uint8_t> bytes(rng() % 512);
    for (auto &byte : bytes)
      byte = static_cast<uint8_t>(rng());
    std::vector<UnwindRow> rows;
    buildUnwindRows(bytes, rng(), segs, rows);
    expectSorted(rows);
  }
}

TEST(UnwindHostile, InstructionsThatWouldRunAway) {
  EhFrameBuilder b(0x20000);
  size_t cie = b.addCie(standardInitial());
  // A ULEB128 that never ends; remember_state far past any real nesting; an advance
  // that wraps the address space; an opcode DWARF does not define.
  b.addFde(cie, 0x1000, 0x10, cat({{0x0e}, std::vector<uint8_t>(64, 0x80)}));
  b.addFde(cie, 0x1010, 0x10, std::vector<uint8_t>(1000, 0x0a));
  b.addFde(cie, 0x1020, 0x10, {0x04, 0xff, 0xff, 0xff, 0xff, 0x0e, 0x10});
  b.addFde(cie, 0x1030, 0x10, {0x3f});
  // A length running far past the section ends the walk.
  std::vector<uint8_t> bytes = b.bytes();
  EhFrameBuilder::put(bytes, 0x7ffffff0, 4);
  std::vector<ElfSegment> segs = {{0x1000, 0x1000, 0x1000, 0x1000, true}};
  std::vector<UnwindRow> rows;
  UnwindStats stats;
  buildUnwindRows(bytes, b.vaddr(), segs, rows, &stats);
  EXPECT_EQ(stats.bad_programs, 3u);
  EXPECT_TRUE(stats.eh_frame.truncated);
  ASSERT_EQ(rows.size(), 2u); // the wrapping advance stops at the FDE's end
  EXPECT_EQ(rows[0].offset, 0x1020u);
  EXPECT_EQ(rows[0].cfa_offset, 8);
  EXPECT_EQ(rows[1].offset, 0x1030u);
  EXPECT_EQ(rows[1].cfa, UnwindCfa::None);
}

// A copy of the test binary with its .eh_frame damaged, and one cut short inside it.
TEST(UnwindHostile, DamagedFiles) {
  Section own;
  ASSERT_TRUE(readOwnEhFrame(own));
  std::ifstream in("/proc/self/exe", std::ios::binary);
  std::vector<char> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(file.size(), own.file_offset + own.bytes.size());
  char path[] = "/tmp/scry-unwind-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  auto write = [&](const std::vector<char> &data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  };
  std::vector<UnwindRow> clean, rows;
  std::string error;
  write(file);
  ASSERT_TRUE(buildUnwindTable(path, clean, error)) << error;

  // Ones over the middle third of the section: lengths there run past the end.
  std::vector<char> damaged = file;
  size_t third = own.bytes.size() / 3;
  std::memset(damaged.data() + own.file_offset + third, 0xff, third);
  write(damaged);
  UnwindStats stats;
  ASSERT_TRUE(buildUnwindTable(path, rows, error, &stats)) << error;
  expectSorted(rows);
  EXPECT_LT(rows.size(), clean.size());
  EXPECT_TRUE(stats.eh_frame.truncated);

  // The file ends halfway through .eh_frame: libelf refuses the section.
  std::vector<char> cut(file.begin(), file.begin() + own.file_offset + own.bytes.size() / 2);
  write(cut);
  bool ok = buildUnwindTable(path, rows, error);
  if (ok)
    expectSorted(rows);
  ::unlink(path);
}

} // namespace
} // namespace scry::symbols
