// Emission of stacks and symbols. A stack is stored whole, where it is used (a map key,
// a printf record, a variable): a u64 frame count, then `limit` u64 addresses that
// bpf_get_stack writes (zero-filling what the stack does not use, so equal stacks are
// equal keys), then for a user stack the pid its addresses belong to. We chose this over
// BPF_MAP_TYPE_STACK_TRACE + bpf_get_stackid, whose ids collide and, without
// BPF_F_REUSE_STACKID, drop stacks (as bpftrace 0.26 did, #4911). A pid seen in a user
// stack or usym() for the first time is announced to user space (EventKind::PidSeen),
// which captures its /proc/PID/maps while the process lives.
#include <algorithm>

#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

constexpr uint64_t kUserStackFlag = 1 << 8; // BPF_F_USER_STACK
constexpr uint64_t kNoExist = 1;            // BPF_NOEXIST
constexpr uint32_t kSeenPidsEntries = 8192; // LRU: a forgotten pid is announced again

bool holdsUserAddresses(const ast::Type &type) {
  if (type.isStack() || type.isSymbol())
    return type.stackParams().user;
  for (const ast::Type &element : type.isTuple() ? type.elements() : std::vector<ast::Type>{})
    if (holdsUserAddresses(element))
      return true;
  return false;
}

bool makesStack(ast::Expr *expr) {
  if (auto *b = ast::dyn_cast<ast::Builtin>(expr))
    return b->id == ast::BuiltinId::Kstack || b->id == ast::BuiltinId::Ustack ||
           b->id == ast::BuiltinId::DwUstack;
  if (auto *c = ast::dyn_cast<ast::Call>(expr))
    return c->id == ast::FuncId::Kstack || c->id == ast::FuncId::Ustack ||
           c->id == ast::FuncId::DwUstack;
  return false;
}

bool unwindsWithDwarf(ast::Expr *expr) {
  if (auto *b = ast::dyn_cast<ast::Builtin>(expr))
    return b->id == ast::BuiltinId::DwUstack;
  auto *c = ast::dyn_cast<ast::Call>(expr);
  return c && c->id == ast::FuncId::DwUstack;
}

} // namespace

void ProgramEmitter::emitStackInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type) {
  if (!makesStack(expr)) {
    copyValueInto(expr, dst, type, &ProgramEmitter::emitStackInto);
    return;
  }
  const ast::StackParams &params = type.stackParams();
  uint64_t bytes = 8ull * params.limit;
  if (unwindsWithDwarf(expr)) {
    emitDwUstackInto(dst, params.limit); // emit_dw_ustack.cpp
  } else {
    emitKernelUnwoundStack(dst, params);
  }
  if (!params.user)
    return;
  llvm::Value *pid = b_.CreateLShr(mb_.callHelper(Helper::GetCurrentPidTgid, mb_.i64(), {}), 32);
  b_.CreateStore(pid, offsetPtr(dst, 8 + bytes)); // the u32 pid, then a u32 0
  notePid(pid);
}

// bpf_get_stack: the kernel walks kernel frames, or user frames by frame pointers.
void ProgramEmitter::emitKernelUnwoundStack(llvm::Value *dst, const ast::StackParams &params) {
  uint64_t bytes = 8ull * params.limit;
  llvm::Value *written =
      mb_.callHelper(Helper::GetStack, mb_.i64(),
                     {ctx_, offsetPtr(dst, 8), mb_.constI64(bytes),
                      mb_.constI64(params.user ? kUserStackFlag : 0)});
  // Bytes written, or -errno (no user stack in a kernel thread, no kernel stack in
  // user mode): then the kernel zeroed the buffer, and the stack has no frames.
  llvm::Value *frames = b_.CreateSelect(b_.CreateICmpSGT(written, mb_.constI64(0)),
                                        b_.CreateLShr(written, 3), mb_.constI64(0));
  b_.CreateStore(frames, dst);
}

void ProgramEmitter::emitSymbolInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type) {
  auto *call = ast::dyn_cast<ast::Call>(expr);
  if (!call || (call->id != ast::FuncId::Ksym && call->id != ast::FuncId::Usym)) {
    copyValueInto(expr, dst, type, &ProgramEmitter::emitSymbolInto);
    return;
  }
  b_.CreateStore(emitScalar(call->args[0]), dst);
  if (!type.stackParams().user)
    return;
  llvm::Value *pid = b_.CreateLShr(mb_.callHelper(Helper::GetCurrentPidTgid, mb_.i64(), {}), 32);
  b_.CreateStore(pid, offsetPtr(dst, 8));
  notePid(pid);
}

// A record reserved in the ring buffer is consumed before anything sent after its
// reservation, so the PidSeen record for a user stack or usym() in a printf or print
// record must go out before that record is reserved.
void ProgramEmitter::notePidBeforeRecord(std::span<ast::Expr *const> args) {
  for (ast::Expr *arg : args) {
    if (holdsUserAddresses(typeOf(arg))) {
      notePid(b_.CreateLShr(mb_.callHelper(Helper::GetCurrentPidTgid, mb_.i64(), {}), 32));
      return;
    }
  }
}

// Sends a PidSeen record the first time `pid` (an i64) appears: the update of the LRU
// "seen" map only succeeds (BPF_NOEXIST) for a pid it does not hold. A uprobe also
// says where its binary is mapped (the address it fired at minus the probed
// instruction's file offset), for when the process exits before user space reads its
// maps: short-lived programs often do.
void ProgramEmitter::notePid(llvm::Value *pid) {
  llvm::Module &module = mb_.module();
  llvm::GlobalVariable *seen = module.getNamedGlobal("scry_seen_pids");
  if (!seen) {
    seen = mb_.declareMap("scry_seen_pids", 4);
    mb_.finishMap(seen, {MapType::LruHash, 4, 1, kSeenPidsEntries});
  }
  llvm::Value *slot = allocBuffer(8);
  b_.CreateStore(b_.CreateTrunc(pid, b_.getInt32Ty()), slot);
  b_.CreateStore(b_.getInt8(0), offsetPtr(slot, 4));
  llvm::Value *added = mb_.callHelper(Helper::MapUpdateElem, mb_.i64(),
                                      {seen, slot, offsetPtr(slot, 4), mb_.constI64(kNoExist)});
  auto *announce = newBlock("pid_new");
  auto *done = newBlock("pid_known");
  b_.CreateCondBr(b_.CreateICmpEQ(added, mb_.constI64(0)), announce, done);
  b_.SetInsertPoint(announce);
  llvm::Value *record = allocBuffer(24);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::PidSeen)), record);
  b_.CreateStore(b_.CreateTrunc(pid, b_.getInt32Ty()), offsetPtr(record, 4));
  llvm::Value *file_base = mb_.constI64(0);
  uint64_t binary = 0;
  if (spec_.kind == ast::ProbeKind::Uprobe || spec_.kind == ast::ProbeKind::Uretprobe) {
    llvm::Value *ip = mb_.callHelper(Helper::GetFuncIp, mb_.i64(), {ctx_});
    file_base = b_.CreateSub(ip, mb_.constI64(spec_.offset));
    auto &binaries = s_.out.stack_binaries;
    auto it = std::find(binaries.begin(), binaries.end(), spec_.path);
    binary = static_cast<uint64_t>(it - binaries.begin()) + 1;
    if (it == binaries.end())
      binaries.push_back(spec_.path);
  }
  b_.CreateStore(file_base, offsetPtr(record, 8));
  b_.CreateStore(mb_.constI64(binary), offsetPtr(record, 16));
  mb_.callHelper(Helper::RingbufOutput, mb_.i64(),
                 {s_.events, record, mb_.constI64(24), mb_.constI64(0)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

// kaddr() and uaddr() outside PIE binaries are constants sema resolved; uaddr() in a
// PIE binary is the address this probe fired at plus the symbol's distance from it.
llvm::Value *ProgramEmitter::emitAddressScalar(ast::Call *call) {
  const auto &constants = s_.analysis.constants;
  if (auto it = constants.find(call->Node::id()); it != constants.end())
    return mb_.constI64(it->second);
  const auto &pie = s_.analysis.pie_offsets;
  auto it = pie.find(call->Node::id());
  if (it == pie.end() || !it->second.count(spec_.name))
    return mb_.constI64(0); // sema reported why
  llvm::Value *ip = mb_.callHelper(Helper::GetFuncIp, mb_.i64(), {ctx_});
  return b_.CreateAdd(ip, mb_.constI64(static_cast<uint64_t>(it->second.at(spec_.name))));
}

} // namespace scry::codegen
