// The args record of a uprobe typed from DWARF (issue 4; sema: attach_uprobe_args.cpp):
// the six integer argument registers copied out of pt_regs, in argument order, so each
// parameter is a plain field at 8 * its first register and a struct passed in two
// registers reads as one (pt_regs keeps rdi after rsi, not before it).
#include "codegen/program_emitter.h"
#include "sema/probe_builtins.h"
#include "sema/probe_families.h"

namespace scry::codegen {

namespace {

constexpr uint32_t kSlots = 6;
constexpr uint32_t kSlotSize = 8;

} // namespace

bool ProgramEmitter::hasUprobeArgsRecord() const {
  return spec_.kind == ast::ProbeKind::Uprobe && spec_.args && sema::probeReadsArgs(*spec_.probe);
}

llvm::Value *ProgramEmitter::emitUprobeArgsRecord() {
  llvm::Value *record = allocBuffer(kSlots * kSlotSize, /*persistent=*/true);
  const ast::Type u64 = ast::Type::integer(64, false);
  for (uint32_t k = 0; k < kSlots; ++k)
    b_.CreateStore(loadContext(sema::kArgRegOffsets[k], u64), offsetPtr(record, k * kSlotSize));
  return record;
}

} // namespace scry::codegen
