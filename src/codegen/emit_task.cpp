// Emission of the child, probe type and task builtins (issue 5). cpid, has_cpid and
// probetype are constants of the compiled program: the driver forks -c's child before
// compiling, so its pid is known. pcomm, leader_comm and leader_tid read
// curtask->real_parent or curtask->group_leader, then a field of that task, with the
// offsets sema found in the kernel's BTF (checker_task.cpp).
#include "codegen/program_emitter.h"
#include "codegen/probe_groups.h"
#include "support/signal_names.h"

namespace scry::codegen {

llvm::Value *ProgramEmitter::emitTaskBuiltin(ast::Builtin *builtin) {
  if (builtin->id == ast::BuiltinId::Cpid)
    return mb_.constI64(s_.child_pid);
  if (builtin->id == ast::BuiltinId::HasCpid)
    return mb_.constI64(s_.analysis.constants.at(builtin->Node::id()));
  // leader_tid: curtask->group_leader->pid.
  uint64_t offsets = s_.analysis.constants.at(builtin->Node::id());
  llvm::Value *slot = allocBuffer(8);
  b_.CreateStore(mb_.constI64(0), slot);
  llvm::Value *task = mb_.callHelper(Helper::GetCurrentTask, mb_.i64(), {});
  llvm::Value *leader_addr = b_.CreateAdd(task, mb_.constI64(offsets >> 32));
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {slot, b_.getInt32(8), b_.CreateIntToPtr(leader_addr, mb_.ptr())});
  llvm::Value *leader = b_.CreateLoad(mb_.i64(), slot);
  b_.CreateStore(mb_.constI64(0), slot);
  llvm::Value *pid_addr = b_.CreateAdd(leader, mb_.constI64(offsets & 0xffffffffULL));
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {slot, b_.getInt32(4), b_.CreateIntToPtr(pid_addr, mb_.ptr())});
  return b_.CreateZExt(b_.CreateLoad(b_.getInt32Ty(), slot), mb_.i64());
}

void ProgramEmitter::emitTaskStringInto(ast::Builtin *builtin, llvm::Value *dst, uint32_t size) {
  if (builtin->id == ast::BuiltinId::Probetype) {
    storeLiteral(sema::probeTypeName(spec_.kind), dst, size);
    return;
  }
  // pcomm, leader_comm: the 16-byte comm of curtask->real_parent or ->group_leader.
  uint64_t offsets = s_.analysis.constants.at(builtin->Node::id());
  llvm::Value *slot = allocBuffer(8);
  b_.CreateStore(mb_.constI64(0), slot);
  llvm::Value *task = mb_.callHelper(Helper::GetCurrentTask, mb_.i64(), {});
  llvm::Value *other_addr = b_.CreateAdd(task, mb_.constI64(offsets >> 32));
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {slot, b_.getInt32(8), b_.CreateIntToPtr(other_addr, mb_.ptr())});
  llvm::Value *other = b_.CreateLoad(mb_.i64(), slot);
  llvm::Value *comm_addr = b_.CreateAdd(other, mb_.constI64(offsets & 0xffffffffULL));
  // The kernel keeps comm NUL-padded (__set_task_comm), so a plain read gives the same
  // bytes as bpf_get_current_comm; a failed read zeroes them.
  uint32_t n = std::min<uint32_t>(size, 16);
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {dst, b_.getInt32(n), b_.CreateIntToPtr(comm_addr, mb_.ptr())});
  b_.CreateStore(b_.getInt8(0), offsetPtr(dst, n - 1));
}

// syscall_name(n), signal_name(n): row n of a .rodata table of NUL-padded names, one
// row per number up to a power of two; numbers past the table read its last row, which
// holds "unknown", as do numbers with no name.
void ProgramEmitter::emitNameInto(ast::Call *call, llvm::Value *dst, uint32_t size) {
  bool syscalls = call->id == ast::FuncId::SyscallName;
  const uint32_t width = typeOf(call).size();
  const uint32_t rows = syscalls ? kMaxSyscallNr : 128; // powers of two: masks bound rows
  const char *table_name = syscalls ? "scry_syscall_names" : "scry_signal_names";
  auto *table = mb_.module().getNamedGlobal(table_name);
  if (!table) {
    std::string bytes;
    for (uint32_t i = 0; i < rows; ++i) {
      std::string name = syscalls ? syscallName(i) : support::signalName(static_cast<int>(i));
      if (name.empty() || i == rows - 1)
        name = "unknown";
      name.resize(width, '\0');
      bytes += name;
    }
    table = rodataTable(table_name, llvm::ConstantDataArray::getString(mb_.ctx(), bytes, false));
  }
  llvm::Value *n = emitScalar(call->args[0]);
  llvm::Value *last = mb_.constI64(rows - 1);
  llvm::Value *row = b_.CreateSelect(b_.CreateICmpULT(n, last), n, last); // negatives too
  row = b_.CreateAnd(row, last); // bounds the offset for the verifier
  llvm::Value *src = b_.CreateGEP(b_.getInt8Ty(), table, b_.CreateMul(row, mb_.constI64(width)));
  uint32_t n_bytes = std::min(size, width);
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(), {dst, b_.getInt32(n_bytes), src});
  b_.CreateStore(b_.getInt8(0), offsetPtr(dst, n_bytes - 1));
}

} // namespace scry::codegen
