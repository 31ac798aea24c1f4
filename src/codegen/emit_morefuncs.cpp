// Emission of bpftrace 0.25's remaining functions: strcap (a constant sema computed),
// memcmp (a bounded byte loop) and unwatch (a record the runtime acts on).
// signal_thread is emitSignal's (emit_sys.cpp) with bpf_send_signal_thread.
#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

// Where memcmp()'s bytes start in a value: a buf() keeps its u32 length first.
uint64_t dataOffset(const ast::Type &t) { return t.kind() == ast::TypeKind::Buffer ? 4 : 0; }

} // namespace

llvm::Value *ProgramEmitter::emitMoreFuncValue(ast::Call *call) {
  if (call->id == ast::FuncId::Strcap)
    return mb_.constI64(s_.analysis.constants.at(call->Node::id()));
  // memcmp(a, b, n): C's, on unsigned bytes. `n` is a literal no larger than either
  // value (checker_morefuncs.cpp), so the loop is bounded and reads nothing outside.
  uint64_t n = ast::cast<ast::IntegerLit>(call->args[2])->value;
  llvm::Value *a = offsetPtr(emitBuffer(call->args[0]), dataOffset(typeOf(call->args[0])));
  llvm::Value *b = offsetPtr(emitBuffer(call->args[1]), dataOffset(typeOf(call->args[1])));
  llvm::Value *result = allocBuffer(8);
  b_.CreateStore(mb_.constI64(0), result);
  CountedLoop loop = beginLoop(n, "memcmp");
  llvm::Value *ca = b_.CreateZExt(loadByte(a, loop.i), mb_.i64());
  llvm::Value *cb = b_.CreateZExt(loadByte(b, loop.i), mb_.i64());
  auto *differ = newBlock("memcmp_differ");
  b_.CreateCondBr(b_.CreateICmpNE(ca, cb), differ, loop.next);
  b_.SetInsertPoint(differ);
  b_.CreateStore(b_.CreateSub(ca, cb), result);
  b_.CreateBr(loop.done);
  endLoop(loop);
  return b_.CreateLoad(mb_.i64(), result);
}

void ProgramEmitter::emitUnwatch(ast::Call *call) {
  llvm::Value *addr = emitScalar(call->args[0]);
  llvm::Value *record = allocBuffer(16);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::Unwatch)), record);
  b_.CreateStore(b_.getInt32(0), offsetPtr(record, 4));
  b_.CreateStore(addr, offsetPtr(record, 8));
  countIfLost(mb_.callHelper(Helper::RingbufOutput, mb_.i64(),
                             {s_.events, record, mb_.constI64(16), mb_.constI64(0)}));
}

} // namespace scry::codegen
