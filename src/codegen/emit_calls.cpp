// Emission of calls: printf and exit send records through the ring buffer; str reads
// a string from kernel or user memory.
#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

void ProgramEmitter::emitCallStmt(ast::Call *call) {
  switch (call->id) {
  case ast::FuncId::Printf:
    emitPrintf(call);
    return;
  case ast::FuncId::Exit:
    emitExit(call);
    return;
  case ast::FuncId::Print:
    if (auto *map = ast::dyn_cast<ast::MapAccess>(call->args[0]); map && map->keys.empty())
      emitMapEvent(call, object::EventKind::PrintMap);
    else
      emitPrintValue(call);
    return;
  case ast::FuncId::Clear:
    emitMapEvent(call, object::EventKind::ClearMap);
    return;
  case ast::FuncId::Zero:
    emitMapEvent(call, object::EventKind::ZeroMap);
    return;
  case ast::FuncId::Delete:
  case ast::FuncId::HasKey:
  case ast::FuncId::Len:
    emitMapFuncScalar(call);
    return;
  case ast::FuncId::Str:
  case ast::FuncId::Count:
  case ast::FuncId::Sum:
  case ast::FuncId::Avg:
  case ast::FuncId::Min:
  case ast::FuncId::Max:
  case ast::FuncId::Stats:
  case ast::FuncId::Hist:
  case ast::FuncId::Lhist:
  case ast::FuncId::Unknown:
    return; // no side effects
  }
}

void ProgramEmitter::emitPrintf(ast::Call *call) {
  // Record: header, then each argument at an 8-aligned offset. Arguments are written
  // straight into the reserved ring-buffer space: no copy through the stack.
  object::PrintfDesc desc;
  desc.format = ast::cast<ast::StringLit>(call->args[0])->value;
  uint32_t size = object::kEventHeaderSize;
  std::vector<ast::Type> slots;
  for (size_t i = 1; i < call->args.size(); ++i) {
    const ast::Type &t = typeOf(call->args[i]);
    ast::Type slot = t.isString() ? t : ast::Type::integer(64, t.isInt() && t.isSigned());
    desc.offsets.push_back(size);
    desc.args.push_back(toValueType(slot));
    slots.push_back(slot);
    size += (slot.size() + 7) & ~7u;
  }
  uint32_t id = static_cast<uint32_t>(s_.out.printfs.size());
  s_.out.printfs.push_back(desc);

  llvm::Value *record = mb_.callHelper(Helper::RingbufReserve, mb_.ptr(),
                                       {s_.events, mb_.constI64(size), mb_.constI64(0)});
  auto *fill = newBlock("printf_fill");
  auto *done = newBlock("printf_done");
  b_.CreateCondBr(b_.CreateIsNull(record), done, fill);
  b_.SetInsertPoint(fill);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::Printf)), record);
  b_.CreateStore(b_.getInt32(id), offsetPtr(record, 4));
  for (size_t i = 1; i < call->args.size(); ++i)
    emitInto(call->args[i], offsetPtr(record, desc.offsets[i - 1]), slots[i - 1]);
  mb_.callHelper(Helper::RingbufSubmit, b_.getVoidTy(), {record, mb_.constI64(0)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void ProgramEmitter::emitExit(ast::Call *call) {
  llvm::Value *code = call->args.empty() ? mb_.constI64(0) : emitScalar(call->args[0]);
  llvm::Value *record = allocBuffer(16);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::Exit)), record);
  b_.CreateStore(b_.getInt32(0), offsetPtr(record, 4));
  b_.CreateStore(code, offsetPtr(record, 8));
  mb_.callHelper(Helper::RingbufOutput, mb_.i64(),
                 {s_.events, record, mb_.constI64(16), mb_.constI64(0)});
  b_.CreateRet(b_.getInt32(0));
  continueAfterTerminator();
}

void ProgramEmitter::emitStrInto(ast::Call *call, llvm::Value *dst, uint32_t size) {
  ast::Expr *arg = call->args[0];
  const ast::Type &arg_type = typeOf(arg);
  size = std::min(size, typeOf(call).size());
  if (arg_type.isString()) {
    emitStringInto(arg, dst, size);
    return;
  }
  Helper helper = Helper::ProbeReadStr;
  if (arg_type.isPointer())
    helper = arg_type.addrSpace() == ast::AddrSpace::User ? Helper::ProbeReadUserStr
                                                          : Helper::ProbeReadKernelStr;
  llvm::Value *src = b_.CreateIntToPtr(emitScalar(arg), mb_.ptr());
  mb_.callHelper(helper, mb_.i64(), {dst, b_.getInt32(size), src});
}

} // namespace scry::codegen
