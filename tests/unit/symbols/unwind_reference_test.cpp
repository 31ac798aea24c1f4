// dw_ustack's unwind tables checked by use: a reference unwinder that walks them the way
// the BPF program does, against glibc's backtrace() from the same point of a call chain
// built without frame pointers (unwind_chain.cpp); and table properties on the test
// binary and on libc.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <sstream>

#include "symbols/elf_symbols.h"
#include "symbols/proc_maps.h"
#include "symbols/unwind_table.h"
#include "unwind_chain.h"

namespace scry::symbols {
namespace {

// Tables and symbols by file, read on first use.
class Files {
public:
  const std::vector<UnwindRow> *table(const std::string &path) {
    auto [it, added] = tables_.try_emplace(path);
    std::string error;
    if (added && !buildUnwindTable(path, it->second, error))
      ADD_FAILURE() << error;
    return &it->second;
  }
  const ElfSymbols &symbols(const std::string &path) {
    auto [it, added] = symbols_.try_emplace(path);
    std::string error;
    if (added)
      ElfSymbols::load(path, it->second, error);
    return it->second;
  }

private:
  std::map<std::string, std::vector<UnwindRow>> tables_;
  std::map<std::string, ElfSymbols> symbols_;
};

// The row covering file offset `offset`: the last at or below it; null before the first.
const UnwindRow *lookup(const std::vector<UnwindRow> &rows, uint64_t offset) {
  auto it = std::upper_bound(rows.begin(), rows.end(), offset,
                             [](uint64_t o, const UnwindRow &r) { return o < r.offset; });
  return it == rows.begin() ? nullptr : &*(it - 1);
}

uint64_t fileOffset(const Mapping &m, uint64_t addr) { return addr - m.start + m.offset; }

struct Regs {
  uint64_t rip = 0, rsp = 0, rbp = 0;
  bool rbp_known = true;
};

// The return addresses above `regs`, found as the BPF unwinder will: the row for the pc
// (pc - 1 above the first frame, inside the call), CFA from rsp or rbp, the return
// address at CFA - 8, rbp reloaded when saved, rsp = CFA. Memory reads stay in [stack].
std::vector<uint64_t> referenceUnwind(Regs regs, const std::vector<Mapping> &maps, Files &files,
                                      std::vector<UnwindRow> &used) {
  std::vector<uint64_t> out;
  auto stack =
      std::find_if(maps.begin(), maps.end(), [](const Mapping &m) { return m.path == "[stack]"; });
  if (stack == maps.end())
    return out;
  auto readStack = [&](uint64_t addr, uint64_t &value) {
    if (addr < stack->start || addr + 8 > stack->end)
      return false;
    value = *reinterpret_cast<const uint64_t *>(addr);
    return true;
  };
  for (int frame = 0; frame < 64; ++frame) {
    uint64_t pc = frame == 0 ? regs.rip : regs.rip - 1;
    const Mapping *m = findMapping(maps, pc);
    if (!m || m->path.empty() || m->path[0] != '/')
      break;
    const UnwindRow *row = lookup(*files.table(m->path), fileOffset(*m, pc));
    if (!row)
      break;
    used.push_back(*row);
    uint64_t cfa = 0;
    switch (row->cfa) {
    case UnwindCfa::None: return out;
    case UnwindCfa::Rsp: cfa = regs.rsp + row->cfa_offset; break;
    case UnwindCfa::Rbp:
      if (!regs.rbp_known)
        return out;
      cfa = regs.rbp + row->cfa_offset;
      break;
    case UnwindCfa::Plt: cfa = regs.rsp + 8 + ((regs.rip & 15) >= 11 ? 8 : 0); break;
    }
    uint64_t ra = 0;
    if (!readStack(cfa - 8, ra)) {
      ADD_FAILURE() << "frame " << frame << ": CFA " << std::hex << cfa << " is off the stack";
      return out;
    }
    switch (row->rbp) {
    case UnwindRbp::Same: break;
    case UnwindRbp::AtCfa: regs.rbp_known = readStack(cfa + row->rbp_offset, regs.rbp); break;
    case UnwindRbp::Unknown: regs.rbp_known = false; break;
    }
    regs.rsp = cfa;
    regs.rip = ra;
    out.push_back(ra);
  }
  return out;
}

// "name+0xoff (file)" for messages, and the bare name for checks.
std::string symbolize(uint64_t addr, const std::vector<Mapping> &maps, Files &files,
                      bool name_only = false) {
  const Mapping *m = findMapping(maps, addr);
  if (!m)
    return "?";
  const ElfSymbols &syms = files.symbols(m->path);
  auto vaddr = syms.vaddrOf(fileOffset(*m, addr));
  auto hit = vaddr ? syms.resolve(*vaddr) : std::nullopt;
  std::string name = hit ? hit->symbol->name : "?";
  if (name_only)
    return name;
  std::ostringstream os;
  os << name << "+0x" << std::hex << (hit ? hit->offset : 0) << " (" << m->path << ")";
  return os.str();
}

TEST(UnwindReference, MatchesBacktraceThroughMainIntoLibc) {
  struct Result {
    std::vector<Mapping> maps;
    Files files;
    std::vector<uint64_t> ours;
    std::vector<UnwindRow> used; // the row of each frame
  } result;
  test::ChainCapture cap;
  cap.context = &result;
  // Runs inside the chain, where the frames to unwind are still live.
  cap.inspect = [](const test::ChainCapture &c, void *context) {
    auto &r = *static_cast<Result *>(context);
    r.maps = readProcMaps(getpid());
    r.ours = referenceUnwind({c.rip, c.rsp, c.rbp}, r.maps, r.files, r.used);
  };
  EXPECT_NE(test::unwindChainTop(cap, 1), 0);
  ASSERT_GT(cap.depth, 6);
  const auto &maps = result.maps;
  const auto &ours = result.ours;
  Files &files = result.files;
  // backtrace()'s first frame is its own return address in the deepest function (under
  // ASan, whose interceptor adds one more): ours begin at the next.
  ASSERT_FALSE(ours.empty());
  std::vector<uint64_t> theirs;
  for (int i = 0; i < cap.depth; ++i)
    theirs.push_back(reinterpret_cast<uint64_t>(cap.frames[i]));
  auto first = std::find(theirs.begin(), theirs.end(), ours[0]);
  ASSERT_LE(first - theirs.begin(), 2) << "backtrace() does not reach the chain's frames";
  theirs.erase(theirs.begin(), first);
  std::ostringstream both;
  for (size_t i = 0; i < std::max(ours.size(), theirs.size()); ++i)
    both << i << ": " << (i < ours.size() ? symbolize(ours[i], maps, files) : "-") << " | "
         << (i < theirs.size() ? symbolize(theirs[i], maps, files) : "-") << "\n";
  EXPECT_EQ(ours, theirs) << "ours | backtrace()\n" << both.str();

  bool saw_main = false, saw_libc = false;
  for (uint64_t ra : ours) {
    saw_main |= symbolize(ra, maps, files, true) == "main";
    const Mapping *m = findMapping(maps, ra);
    saw_libc |= m && m->path.find("/libc.so") != std::string::npos;
  }
  EXPECT_TRUE(saw_main) << both.str();
  EXPECT_TRUE(saw_libc) << both.str();
  // The chain exercised an rbp-based CFA and an rbp restored from the stack (withVla,
  // withPressure); the walk ended at a None row (_start's), not at a missing one.
  auto used = [&](auto pred) { return std::any_of(result.used.begin(), result.used.end(), pred); };
  EXPECT_TRUE(used([](const UnwindRow &r) { return r.cfa == UnwindCfa::Rbp; }));
  EXPECT_TRUE(used([](const UnwindRow &r) { return r.rbp == UnwindRbp::AtCfa; }));
  ASSERT_FALSE(result.used.empty());
  EXPECT_EQ(result.used.back().cfa, UnwindCfa::None);
}

// Sorted, no two neighbours alike, ending where the last FDE does.
void expectWellFormed(const std::vector<UnwindRow> &rows) {
  ASSERT_FALSE(rows.empty());
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_LT(rows[i - 1].offset, rows[i].offset) << "row " << i;
    const UnwindRow &a = rows[i - 1], &b = rows[i];
    ASSERT_FALSE(a.cfa == b.cfa && a.cfa_offset == b.cfa_offset && a.rbp == b.rbp &&
                 a.rbp_offset == b.rbp_offset)
        << "row " << i << " repeats its predecessor";
  }
  EXPECT_EQ(rows.back().cfa, UnwindCfa::None);
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end() - 1, [](const UnwindRow &r) {
    return r.cfa == UnwindCfa::None;
  })) << "no gap between FDEs";
}

TEST(UnwindTable, TestBinary) {
  auto maps = readProcMaps(getpid());
  auto addr = reinterpret_cast<uint64_t>(test::unwindChainTopAddress());
  const Mapping *m = findMapping(maps, addr);
  ASSERT_NE(m, nullptr);
  std::vector<UnwindRow> rows;
  std::string error;
  ASSERT_TRUE(buildUnwindTable(m->path, rows, error)) << error;
  expectWellFormed(rows);
  // A function's entry: the return address was just pushed.
  const UnwindRow *entry = lookup(rows, fileOffset(*m, addr));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->cfa, UnwindCfa::Rsp);
  EXPECT_EQ(entry->cfa_offset, 8);
  EXPECT_EQ(entry->rbp, UnwindRbp::Same);
  // The chain's variable-length array gives an rbp-based CFA, with rbp saved at CFA-16.
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [](const UnwindRow &r) {
    return r.cfa == UnwindCfa::Rbp && r.cfa_offset == 16 && r.rbp == UnwindRbp::AtCfa &&
           r.rbp_offset == -16;
  }));
  // _start's CFI marks the return address undefined: the end of every stack.
  ElfSymbols syms;
  ASSERT_TRUE(ElfSymbols::load(m->path, syms, error)) << error;
  if (const ElfSym *start = syms.find("_start")) {
    for (const ElfSegment &seg : syms.segments())
      if (seg.exec && start->addr >= seg.vaddr && start->addr < seg.vaddr + seg.filesz) {
        const UnwindRow *row = lookup(rows, start->addr - seg.vaddr + seg.offset);
        EXPECT_TRUE(!row || row->cfa == UnwindCfa::None);
      }
  }
}

TEST(UnwindTable, Libc) {
  auto maps = readProcMaps(getpid());
  auto libc = std::find_if(maps.begin(), maps.end(), [](const Mapping &m) {
    return m.executable && m.path.ends_with("/libc.so.6");
  });
  ASSERT_NE(libc, maps.end());
  const Mapping *m = &*libc;
  std::vector<UnwindRow> rows;
  std::string error;
  UnwindStats stats;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(buildUnwindTable(m->path, rows, error, &stats)) << error;
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
  std::cout << m->path << ": " << rows.size() << " rows from " << stats.eh_frame.fdes << " FDEs in "
            << ms.count() << " ms\n";
  expectWellFormed(rows);
  EXPECT_GT(rows.size(), 1000u);
  EXPECT_EQ(stats.eh_frame.bad_fdes + stats.bad_programs + stats.outside + stats.overlapping, 0u);
  EXPECT_FALSE(stats.eh_frame.truncated);
  // A function's entry (found by symbol: sanitizers intercept &qsort).
  ElfSymbols syms;
  ASSERT_TRUE(ElfSymbols::load(m->path, syms, error)) << error;
  const ElfSym *qsort = syms.find("qsort");
  ASSERT_NE(qsort, nullptr);
  const UnwindRow *entry = nullptr;
  for (const ElfSegment &seg : syms.segments())
    if (seg.exec && qsort->addr >= seg.vaddr && qsort->addr < seg.vaddr + seg.filesz)
      entry = lookup(rows, qsort->addr - seg.vaddr + seg.offset);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->cfa, UnwindCfa::Rsp);
  EXPECT_EQ(entry->cfa_offset, 8);
  // libc's .plt has binutils' CFA expression.
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end(),
                          [](const UnwindRow &r) { return r.cfa == UnwindCfa::Plt; }));
}

TEST(UnwindTable, Errors) {
  std::vector<UnwindRow> rows;
  std::string error;
  EXPECT_FALSE(buildUnwindTable("/nonexistent/binary", rows, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
  EXPECT_FALSE(buildUnwindTable("/proc/self/status", rows, error));
  EXPECT_NE(error.find("not an ELF file"), std::string::npos) << error;
}

} // namespace
} // namespace scry::symbols
