// Running an FDE's call-frame instructions (DWARF 5 §6.4.2: the CIE's initial
// instructions, then the FDE's) and reducing each row of the resulting table to what
// the x86_64 BPF unwinder of dw_ustack can use (unwind_table.h, issue 5).
#pragma once

#include <vector>

#include "symbols/eh_frame.h"
#include "symbols/unwind_table.h"

namespace scry::symbols {

// Appends the FDE's rows to `rows`, each `offset` holding the virtual address where the
// row starts (the caller translates them to file offsets): the first at pc_begin, all
// below pc_end, consecutive rows with the same rules merged. Rows are reduced as
// unwind_table.h says: a CFA of rsp or rbp plus an offset, or binutils' PLT expression;
// the return address must be saved at CFA - 8, else (including "undefined", which marks
// the outermost frame) the row is None; rbp unchanged, at CFA + N, or Unknown.
// False, with `rows` as it was, when an instruction is malformed, truncated or
// unsupported (DW_CFA_set_loc, which .eh_frame does not use; an unknown opcode;
// restore_state without a remembered state; more than 64 nested remember_states), or the
// CIE's return-address register is not rip (16).
bool evaluateFde(const FdeInfo &fde, std::vector<UnwindRow> &rows);

// Whether two rows say the same thing (offsets aside): such neighbours merge.
bool sameRules(const UnwindRow &a, const UnwindRow &b);

} // namespace scry::symbols
