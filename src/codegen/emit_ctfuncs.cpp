// Emission of bpftrace 0.24-0.26's compile-time functions (sema: checker_ctfuncs.cpp,
// checker_typeof.cpp): constants sema computed, pid/tid in a PID namespace,
// container_of's pointer arithmetic, config.KEY, and `if` on a constant condition,
// whose dead branch sema left unchecked and is not emitted.
#include <sys/stat.h>

#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

// The PID namespace scry runs in, as bpf_get_ns_current_pid_tgid wants it: the nsfs
// device and inode of /proc/self/ns/pid. Empty (ino 0) in the initial namespace, where
// bpf_get_current_pid_tgid gives the same numbers more cheaply, or when unreadable.
struct PidNamespace {
  uint64_t dev = 0, ino = 0;
};

const PidNamespace &scryPidNamespace() {
  static const PidNamespace ns = [] {
    constexpr uint64_t kInitPidNsIno = 0xEFFFFFFCULL; // PROC_PID_INIT_INO (linux/proc_ns.h)
    PidNamespace result;
    struct stat st {};
    if (stat("/proc/self/ns/pid", &st) == 0 && st.st_ino != kInitPidNsIno) {
      result.dev = st.st_dev; // stat's encoding equals the kernel's for nsfs (major 0)
      result.ino = st.st_ino;
    }
    return result;
  }();
  return ns;
}

} // namespace

llvm::Value *ProgramEmitter::emitPidTid(bool tid, bool init_ns) {
  const PidNamespace &ns = scryPidNamespace();
  if (init_ns || ns.ino == 0) {
    llvm::Value *both = mb_.callHelper(Helper::GetCurrentPidTgid, mb_.i64(), {});
    return tid ? b_.CreateAnd(both, 0xffffffffULL) : b_.CreateLShr(both, 32);
  }
  // struct bpf_pidns_info { u32 pid; u32 tgid; }: pid is the thread's id, tgid the
  // process's. A task outside scry's namespace (the helper fails) reads as 0, as in
  // bpftrace.
  llvm::Value *info = stackBuffer(8);
  b_.CreateStore(mb_.constI64(0), info);
  mb_.callHelper(Helper::GetNsCurrentPidTgid, mb_.i64(),
                 {mb_.constI64(ns.dev), mb_.constI64(ns.ino), info, b_.getInt32(8)});
  llvm::Value *value = b_.CreateLoad(b_.getInt32Ty(), offsetPtr(info, tid ? 0 : 4));
  return b_.CreateZExt(value, mb_.i64());
}

llvm::Value *ProgramEmitter::emitCompileTimeCall(ast::Call *call) {
  const auto &constants = s_.analysis.constants;
  if (call->id == ast::FuncId::Pid || call->id == ast::FuncId::Tid)
    return emitPidTid(call->id == ast::FuncId::Tid, constants.at(call->Node::id()) != 0);
  if (call->id == ast::FuncId::ContainerOf) {
    llvm::Value *ptr = emitScalar(call->args[0]);
    return b_.CreateSub(ptr, mb_.constI64(constants.at(call->args[1]->id())));
  }
  if (auto it = constants.find(call->Node::id()); it != constants.end())
    return mb_.constI64(it->second); // the type predicates, is_err of a constant
  // is_err(x) of a runtime value: x in the last 4095 values (the kernel's IS_ERR_VALUE).
  llvm::Value *value = emitScalar(call->args[0]);
  llvm::Value *is_err = b_.CreateICmpUGE(value, mb_.constI64(uint64_t{0} - 4095));
  return b_.CreateZExt(is_err, mb_.i64());
}

llvm::Value *ProgramEmitter::emitConfigField(ast::FieldAccess *access) {
  return mb_.constI64(s_.analysis.constants.at(access->id()));
}

bool ProgramEmitter::emitConstantIf(ast::If *node) {
  auto it = s_.analysis.constants.find(node->id());
  if (it == s_.analysis.constants.end())
    return false;
  if (it->second != 0)
    emitBlock(node->then_block);
  else if (node->else_stmt)
    emitStmt(node->else_stmt);
  return true;
}

} // namespace scry::codegen
