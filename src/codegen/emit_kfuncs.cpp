// Emission of the functions built on kfuncs and typed ksyms (module_kfuncs.cpp):
// comm(pid) and percpu_kaddr(). Sema (checker_kfuncs.cpp) has refused the program
// types whose programs may not call the kfuncs.
#include <llvm/IR/IntrinsicsBPF.h>

#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

constexpr uint32_t kCommSize = 16; // TASK_COMM_LEN

} // namespace

// comm(pid): bpf_task_from_pid acquires a reference the verifier requires us to
// release on every path, so the read sits between the NULL check and the release, in
// one block with no exit: probe_read_kernel of task->comm (the offset sema found in
// BTF). No such process: "".
void ProgramEmitter::emitCommOfInto(ast::Call *call, llvm::Value *dst, uint32_t size) {
  uint64_t comm_offset = s_.analysis.constants.at(call->Node::id());
  llvm::Value *pid = b_.CreateTrunc(emitScalar(call->args[0]), b_.getInt32Ty());
  llvm::Value *task = b_.CreateCall(mb_.kfunc(Kfunc::TaskFromPid), {pid});
  auto *found = newBlock("comm_of_found");
  auto *none = newBlock("comm_of_none");
  auto *done = newBlock("comm_of_done");
  b_.CreateCondBr(b_.CreateICmpEQ(task, llvm::ConstantPointerNull::get(b_.getPtrTy())), none,
                  found);

  b_.SetInsertPoint(found);
  llvm::Value *buffer = size >= kCommSize ? dst : allocBuffer(kCommSize);
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {buffer, b_.getInt32(kCommSize), offsetPtr(task, comm_offset)});
  b_.CreateCall(mb_.kfunc(Kfunc::TaskRelease), {task});
  if (buffer != dst) {
    copy(dst, buffer, size);
    b_.CreateStore(b_.getInt8(0), offsetPtr(dst, size - 1));
  }
  b_.CreateBr(done);

  b_.SetInsertPoint(none);
  storeLiteral("", dst, size);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

// percpu_kaddr(name [, cpu]): bpf_this_cpu_ptr or bpf_per_cpu_ptr of the typed ksym.
// The latter may return NULL (no such CPU), which the verifier only lets us turn into
// an address after a NULL check; bpf.passthrough keeps LLVM from folding
// `p == NULL ? 0 : p` back into `p` and so dropping the check.
llvm::Value *ProgramEmitter::emitPercpuKaddr(ast::Call *call) {
  auto *name = ast::cast<ast::StringLit>(call->args[0]);
  llvm::Value *var = mb_.ksym(name->value, s_.analysis.ksym_shapes.at(call->Node::id()));
  if (call->args.size() == 1) {
    llvm::Value *p = mb_.callHelper(Helper::ThisCpuPtr, mb_.ptr(), {var});
    return b_.CreatePtrToInt(p, mb_.i64());
  }
  llvm::Value *cpu = b_.CreateTrunc(emitScalar(call->args[1]), b_.getInt32Ty());
  llvm::Value *p = mb_.callHelper(Helper::PerCpuPtr, mb_.ptr(), {var, cpu});
  llvm::Function *passthrough = llvm::Intrinsic::getDeclaration(
      &mb_.module(), llvm::Intrinsic::bpf_passthrough, {mb_.ptr(), mb_.ptr()});
  llvm::Value *checked = b_.CreateCall(passthrough, {b_.getInt32(0), p});
  llvm::Value *is_null = b_.CreateICmpEQ(p, llvm::ConstantPointerNull::get(b_.getPtrTy()));
  return b_.CreateSelect(is_null, mb_.constI64(0), b_.CreatePtrToInt(checked, mb_.i64()));
}

} // namespace scry::codegen
