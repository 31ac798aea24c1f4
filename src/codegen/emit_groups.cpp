// The prologue of a program shared by several attach points (probe_groups.h): which
// attach point fired (for `probe`) and, for a raw_tp syscall group, the filter by
// syscall number and the tracepoint record rebuilt from the syscall's registers.
//
// Kernel facts (x86-64): raw_tp sys_enter and sys_exit get {struct pt_regs *regs, long
// id_or_ret} (sys_enter's id is the syscall number); regs->orig_ax (offset 120) holds
// the syscall number, regs->cs (136) is
// __USER_CS (0x33) for 64-bit syscalls and __USER32_CS for ia32 ones, which the syscall
// tracepoints ignore; the arguments are di, si, dx, r10, r8, r9. A syscalls:sys_enter_X
// record holds int __syscall_nr at 8 and the arguments as 8-byte fields from 16;
// sys_exit_X holds __syscall_nr and long ret at 16.
#include "codegen/program_emitter.h"

#include <algorithm>

namespace scry::codegen {

namespace {

constexpr uint32_t kOrigAxOffset = 120;     // struct pt_regs, x86-64
constexpr uint32_t kCsOffset = 136;
constexpr uint64_t kUserCs = 0x33;          // __USER_CS
constexpr uint32_t kArgRegsOffset = 56;     // r10, r9, r8, ax, cx, dx, si, di: 56..119
constexpr uint32_t kArgRegsSize = 64;
// Offsets of di, si, dx, r10, r8, r9 from kArgRegsOffset.
constexpr uint32_t kSyscallArgRegs[6] = {56, 48, 40, 0, 16, 8};
constexpr uint32_t kRecordSize = 64;        // 16 + 6 arguments
constexpr uint32_t kRecordNrOffset = 8;
constexpr uint32_t kRecordArgsOffset = 16;

} // namespace

llvm::GlobalVariable *ProgramEmitter::rodataTable(const std::string &name, llvm::Constant *init) {
  auto *gv = new llvm::GlobalVariable(mb_.module(), init->getType(), /*isConstant=*/true,
                                      llvm::GlobalValue::InternalLinkage, init, name);
  gv->setSection(".rodata");
  gv->setAlignment(llvm::Align(8));
  return gv;
}

void ProgramEmitter::emitGroupPrologue() {
  args_base_ = hasUprobeArgsRecord() ? emitUprobeArgsRecord() : ctx_;
  if (!group_ || group_->mode == GroupMode::Single)
    return;
  switch (group_->mode) {
  case GroupMode::Single:
    return;
  case GroupMode::Cookie:
  case GroupMode::RawCookie:
  case GroupMode::UprobeMulti:
  case GroupMode::KprobeMulti:
    // Each attach point carries its index as the BPF cookie (kernel 5.15+; multi-links
    // take one cookie per function).
    probe_index_ = mb_.callHelper(Helper::GetAttachCookie, mb_.i64(), {ctx_});
    return;
  case GroupMode::Syscalls:
    emitSyscallPrologue();
    return;
  }
}

void ProgramEmitter::emitSyscallPrologue() {
  llvm::Type *i64 = mb_.i64();
  const std::string suffix = std::to_string(group_->specs.front());
  // nr -> 1 + index of the group's attach point, 0 for syscalls not traced.
  std::vector<uint16_t> filter(kMaxSyscallNr, 0);
  for (size_t k = 0; k < group_->nrs.size(); ++k)
    filter[group_->nrs[k]] = static_cast<uint16_t>(k + 1);
  auto *table = rodataTable("scry_syscalls_" + suffix,
                            llvm::ConstantDataArray::get(mb_.ctx(), filter));

  // The filter runs on every syscall of the system, so it reads as little as it can:
  // sys_enter's number is its context's `id`, and only a traced syscall pays the
  // helper call that checks its task is 64-bit.
  llvm::Value *regs = b_.CreateIntToPtr(b_.CreateLoad(i64, ctx_), mb_.ptr());
  llvm::Value *nr = nullptr;
  if (group_->sys_exit) {
    llvm::Value *slot = allocBuffer(8);
    mb_.callHelper(Helper::ProbeReadKernel, i64,
                   {slot, b_.getInt32(8), offsetPtr(regs, kOrigAxOffset)});
    nr = b_.CreateLoad(i64, slot);
  } else {
    nr = b_.CreateLoad(i64, offsetPtr(ctx_, 8));
  }
  auto *known = newBlock("syscall_known");
  auto *listed = newBlock("syscall_listed");
  auto *traced = newBlock("syscall_traced");
  auto *skip = newBlock("syscall_skip");
  b_.CreateCondBr(b_.CreateICmpULT(nr, mb_.constI64(kMaxSyscallNr)), known, skip);
  b_.SetInsertPoint(skip);
  b_.CreateRet(b_.getInt32(0));

  b_.SetInsertPoint(known);
  llvm::Value *slot_ptr = b_.CreateGEP(table->getValueType(), table, {b_.getInt64(0), nr});
  llvm::Value *slot = b_.CreateZExt(b_.CreateLoad(b_.getInt16Ty(), slot_ptr), i64);
  b_.CreateCondBr(b_.CreateICmpEQ(slot, mb_.constI64(0)), skip, listed);

  b_.SetInsertPoint(listed);
  llvm::Value *cs_slot = allocBuffer(8);
  mb_.callHelper(Helper::ProbeReadKernel, i64,
                 {cs_slot, b_.getInt32(8), offsetPtr(regs, kCsOffset)});
  b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateLoad(i64, cs_slot), mb_.constI64(kUserCs)), traced,
                  skip);

  b_.SetInsertPoint(traced);
  probe_index_ = b_.CreateSub(slot, mb_.constI64(1));
  if (!group_->uses_args)
    return;
  llvm::Value *record = allocBuffer(kRecordSize);
  zero(record, kRecordSize);
  b_.CreateStore(b_.CreateTrunc(nr, b_.getInt32Ty()), offsetPtr(record, kRecordNrOffset));
  if (group_->sys_exit) {
    b_.CreateStore(b_.CreateLoad(i64, offsetPtr(ctx_, 8)), offsetPtr(record, kRecordArgsOffset));
  } else {
    llvm::Value *saved = allocBuffer(kArgRegsSize);
    mb_.callHelper(Helper::ProbeReadKernel, i64,
                   {saved, b_.getInt32(kArgRegsSize), offsetPtr(regs, kArgRegsOffset)});
    for (uint32_t k = 0; k < 6; ++k)
      b_.CreateStore(b_.CreateLoad(i64, offsetPtr(saved, kSyscallArgRegs[k])),
                     offsetPtr(record, kRecordArgsOffset + 8 * k));
  }
  args_base_ = record;
}

void ProgramEmitter::emitProbeNameInto(llvm::Value *dst, uint32_t size) {
  if (!probe_index_) {
    storeLiteral(spec_.name, dst, size);
    return;
  }
  std::vector<std::string> names;
  for (size_t i : group_->specs)
    names.push_back((*group_probes_)[i].name);
  emitNameTableInto("scry_probe_names_" + std::to_string(group_->specs.front()), names, dst,
                    size);
}

void ProgramEmitter::emitFuncNameInto(llvm::Value *dst, uint32_t size) {
  if (!probe_index_) {
    storeLiteral(spec_.func, dst, size);
    return;
  }
  std::vector<std::string> names;
  for (size_t i : group_->specs)
    names.push_back((*group_probes_)[i].func);
  emitNameTableInto("scry_func_names_" + std::to_string(group_->specs.front()), names, dst,
                    size);
}

void ProgramEmitter::emitNameTableInto(const std::string &table_name,
                                       const std::vector<std::string> &names, llvm::Value *dst,
                                       uint32_t size) {
  // The names NUL-padded to one width, in .rodata.
  uint32_t width = 1;
  for (const auto &name : names)
    width = std::max<uint32_t>(width, static_cast<uint32_t>(name.size() + 1));
  // A power-of-two count of rows, so that masking bounds the index for the verifier
  // (pointer arithmetic on a map value needs a bounded offset).
  uint64_t rows = 1;
  while (rows < names.size())
    rows <<= 1;
  std::string bytes;
  for (std::string name : names) {
    name.resize(width, '\0');
    bytes += name;
  }
  bytes.resize(rows * width, '\0');
  auto *table = mb_.module().getNamedGlobal(table_name);
  if (!table)
    table = rodataTable(table_name, llvm::ConstantDataArray::getString(mb_.ctx(), bytes, false));
  llvm::Value *index = b_.CreateAnd(probe_index_, mb_.constI64(rows - 1));
  llvm::Value *src = b_.CreateGEP(b_.getInt8Ty(), table, b_.CreateMul(index, mb_.constI64(width)));
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {dst, b_.getInt32(std::min(size, width)), src});
}

void ProgramEmitter::setLiteralSlots(const std::vector<const ast::IntegerLit *> &slots,
                                     const std::vector<std::vector<uint64_t>> &rows) {
  // A group of one attach point emits its own probe's literals as constants.
  if (slots.empty() || group_->mode == GroupMode::Single)
    return;
  for (uint32_t k = 0; k < slots.size(); ++k)
    literal_slots_[slots[k]] = k;
  // A power-of-two count of rows, so that masking bounds the index for the verifier.
  literal_rows_ = 1;
  while (literal_rows_ < rows.size())
    literal_rows_ <<= 1;
  std::vector<uint64_t> values(literal_rows_ * slots.size(), 0);
  for (size_t r = 0; r < rows.size(); ++r)
    std::copy(rows[r].begin(), rows[r].end(), values.begin() + r * slots.size());
  literal_table_ = rodataTable("scry_literals_" + std::to_string(group_->specs.front()),
                               llvm::ConstantDataArray::get(mb_.ctx(), values));
}

llvm::Value *ProgramEmitter::emitLiteralSlot(const ast::IntegerLit *literal) {
  auto it = literal_slots_.find(literal);
  if (it == literal_slots_.end() || !probe_index_)
    return nullptr;
  llvm::Value *row = b_.CreateAnd(probe_index_, mb_.constI64(literal_rows_ - 1));
  llvm::Value *at = b_.CreateAdd(b_.CreateMul(row, mb_.constI64(literal_slots_.size())),
                                 mb_.constI64(it->second));
  return b_.CreateLoad(mb_.i64(), b_.CreateGEP(mb_.i64(), literal_table_, at));
}

} // namespace scry::codegen
