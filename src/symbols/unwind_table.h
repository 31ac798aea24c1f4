// Unwind tables for dw_ustack (issue 5): a binary's .eh_frame call-frame information,
// evaluated ahead of time into one row per range of code, in the form the BPF unwinder
// reads (codegen/emit_dw_ustack.cpp). x86_64 only: the rows say how to find the
// canonical frame address (CFA) from rsp or rbp, and where the caller's rbp was saved;
// the return address is always at CFA - 8.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "symbols/eh_frame.h"
#include "symbols/elf_symbols.h"

namespace scry::symbols {

// How a row finds the CFA.
enum class UnwindCfa : uint8_t {
  None = 0, // no call-frame information covers this code (or the CFA comes from
            // another register or an expression scry cannot evaluate, or the return
            // address is not at CFA - 8 or is undefined, as in _start): stop here
  Rsp = 1,  // CFA = rsp + cfa_offset
  Rbp = 2,  // CFA = rbp + cfa_offset
  Plt = 3,  // a PLT entry (binutils' expression): CFA = rsp + 8, plus 8 when
            // (rip & 15) >= 11; cfa_offset holds the 8
};

// Where the caller's rbp is.
enum class UnwindRbp : uint8_t {
  Same = 0,    // unchanged (not saved yet, or never touched)
  AtCfa = 1,   // saved at CFA + rbp_offset
  Unknown = 2, // some other rule: the unwinder forgets rbp (a CFA from it stops)
};

// One row: from file offset `offset` up to the next row's, these rules hold. 24 bytes,
// laid out as the BPF program reads them (the array map's value).
struct UnwindRow {
  uint64_t offset = 0;
  int32_t cfa_offset = 0;
  int32_t rbp_offset = 0;
  UnwindCfa cfa = UnwindCfa::None;
  UnwindRbp rbp = UnwindRbp::Same;
  uint8_t pad[6] = {};
};
static_assert(sizeof(UnwindRow) == 24);

// What building a table left out; malformed input never fails the build, it only
// loses rows (the code they would cover reads as None).
struct UnwindStats {
  EhFrameStats eh_frame;   // entries walked, FDEs that did not parse, truncation
  size_t bad_programs = 0; // FDEs whose instructions were malformed or unsupported
  size_t outside = 0;      // FDEs not inside one executable segment, empty, or at
                           // address 0 (what a linker leaves for discarded code)
  size_t overlapping = 0;  // FDEs starting inside an earlier-starting one: dropped, the
                           // earlier one kept (on equal starts, the first in the section)
};

// The rows of the ELF file at `path`, sorted by offset, starting at the first FDE's code;
// where an FDE's range ends and no other begins, a None row. Offsets are file offsets
// (the unwinder knows the faulting address's offset from its mapping), translated from
// the FDEs' virtual addresses through the executable PT_LOAD segments. Consecutive rows
// with the same rules are merged. False with `error` set when the file cannot be read
// or has no .eh_frame, or is not an x86_64 ELF file.
bool buildUnwindTable(const std::string &path, std::vector<UnwindRow> &rows, std::string &error,
                      UnwindStats *stats = nullptr);

// The same from a .eh_frame already in memory: `eh_frame` the section's bytes, `vaddr`
// its address (sh_addr), `segments` the file's PT_LOAD segments (only executable ones
// hold code). Replaces `rows`.
void buildUnwindRows(std::span<const uint8_t> eh_frame, uint64_t vaddr,
                     const std::vector<ElfSegment> &segments, std::vector<UnwindRow> &rows,
                     UnwindStats *stats = nullptr);

} // namespace scry::symbols
