// The entries of an ELF .eh_frame section (the LSB's "Exception Frames", a variant of
// DWARF 5 §6.4.1 .debug_frame): CIEs and FDEs, parsed far enough to run their call-frame
// instructions (cfi_program.h) for the unwind tables of dw_ustack (issue 5). x86_64
// only: absolute pointers are 8 bytes. Input is untrusted (scry runs as root on
// whatever binary a script names): every read is bounded by the section.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace scry::symbols {

// What an FDE needs from its CIE.
struct CieInfo {
  uint64_t code_align = 0; // advance_loc deltas are multiplied by this
  int64_t data_align = 0;  // factored offsets are multiplied by this
  uint64_t ra_register = 0;
  uint8_t fde_encoding = 0; // DW_EH_PE_* of the FDEs' pc_begin and pc_range ('R')
  bool has_z = false;       // 'z': FDEs carry augmentation data, skipped by length
  std::span<const uint8_t> initial_instructions;
};

struct FdeInfo {
  const CieInfo *cie = nullptr;
  uint64_t pc_begin = 0, pc_end = 0; // virtual addresses, pc_end exclusive
  std::span<const uint8_t> instructions;
};

struct EhFrameStats {
  size_t fdes = 0;        // FDEs handed to the callback
  size_t bad_fdes = 0;    // FDEs skipped: unknown CIE, unsupported encoding, truncated
  bool truncated = false; // an entry's length ran past the section: the walk stopped
};

// Calls `on_fde` for each FDE of `section` in section order, up to the zero terminator
// or the end. `vaddr` is the section's address (sh_addr), the base of pc-relative
// pointers. CIEs with an unsupported version (not 1 or 3) or augmentation (not 'z...',
// or with "eh") make their FDEs bad; so do pointer encodings other than absolute and
// pc-relative. The spans in FdeInfo point into `section` and the CieInfo lives until
// the walk returns.
EhFrameStats walkEhFrame(std::span<const uint8_t> section, uint64_t vaddr,
                         const std::function<void(const FdeInfo &)> &on_fde);

} // namespace scry::symbols
