// Emission of the map functions. print(@m), clear(@m) and zero(@m) are asynchronous:
// a ring-buffer record asks the runtime to act, in order with printf output; so is
// print(value), whose value travels in the record. delete, has_key and len act in the
// kernel.
#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

namespace {

uint32_t mapIndex(const object::BpfObject &out, const std::string &name) {
  for (size_t i = 0; i < out.maps.size(); ++i)
    if (out.maps[i].name == name)
      return static_cast<uint32_t>(i);
  return 0; // sema checked that the map exists
}

} // namespace

// Record: header {kind, map index}, u64 top, u64 div (print only; 0 when absent).
void ProgramEmitter::emitMapEvent(ast::Call *call, object::EventKind kind) {
  auto *map = ast::cast<ast::MapAccess>(call->args[0]);
  llvm::Value *top = call->args.size() > 1 ? emitScalar(call->args[1]) : mb_.constI64(0);
  llvm::Value *div = call->args.size() > 2 ? emitScalar(call->args[2]) : mb_.constI64(0);
  llvm::Value *record = allocBuffer(24);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(kind)), record);
  b_.CreateStore(b_.getInt32(mapIndex(s_.out, map->name)), offsetPtr(record, 4));
  b_.CreateStore(top, offsetPtr(record, 8));
  b_.CreateStore(div, offsetPtr(record, 16));
  llvm::Value *err = mb_.callHelper(Helper::RingbufOutput, mb_.i64(),
                 {s_.events, record, mb_.constI64(24), mb_.constI64(0)});
  countIfLost(err);
}

// Record: header {PrintValue, index into print_values}, then the value at offset 8,
// integers widened to 64 bits as for printf.
void ProgramEmitter::emitPrintValue(ast::Call *call) {
  ast::Expr *arg = call->args[0];
  const ast::Type &t = typeOf(arg);
  if (t.isRecord())
    return emitPrintRecord(call); // print(args) (issue 4)
  ast::Type slot = t.isPointer() || t.isAddress() ? ast::Type::address() // printed in hex
                   : t.isInt()                    ? ast::Type::integer(64, t.isSigned())
                                                  : t;
  uint32_t id = static_cast<uint32_t>(s_.out.print_values.size());
  s_.out.print_values.push_back(toValueType(slot));
  uint32_t size = object::kEventHeaderSize + ((slot.size() + 7) & ~7u);
  notePidBeforeRecord(std::span(call->args).first(1));
  llvm::Value *record = mb_.callHelper(Helper::RingbufReserve, mb_.ptr(),
                                       {s_.events, mb_.constI64(size), mb_.constI64(0)});
  auto *fill = newBlock("print_fill");
  auto *done = newBlock("print_done");
  branchOnReserve(record, fill, done); // no room: counted as lost
  b_.SetInsertPoint(fill);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::PrintValue)), record);
  b_.CreateStore(b_.getInt32(id), offsetPtr(record, 4));
  if (slot.isScalar())
    storeScalar(emitScalar(arg), offsetPtr(record, 8), slot);
  else
    emitInto(arg, offsetPtr(record, 8), slot);
  mb_.callHelper(Helper::RingbufSubmit, b_.getVoidTy(), {record, mb_.constI64(0)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

// The key bytes for `key` (an expression, or a tuple literal for a multi-key map).
llvm::Value *ProgramEmitter::emitKeyOf(ast::MapAccess *map, ast::Expr *key) {
  const sema::MapInfo &info = s_.analysis.maps.at(map->name);
  uint32_t size = info.key.size();
  llvm::Value *buffer = allocBuffer(size);
  zero(buffer, (size + 7) & ~7u);
  auto *tuple = ast::dyn_cast<ast::Tuple>(key);
  if (info.key.isTuple() && tuple) {
    auto offsets = info.key.tupleOffsets();
    for (size_t i = 0; i < tuple->elements.size(); ++i)
      emitInto(tuple->elements[i], offsetPtr(buffer, offsets[i]), info.key.elements()[i]);
  } else {
    emitInto(key, buffer, info.key);
  }
  return buffer;
}

// bpf_for_each_map_elem returns how many elements it visited; the callback visits all.
llvm::Value *ProgramEmitter::emitLen(ast::MapAccess *map) {
  if (!s_.len_callback)
    s_.len_callback = mb_.makeVisitAllCallback("scry_visit_all");
  return mb_.callHelper(Helper::ForEachMapElem, mb_.i64(),
                        {s_.maps.at(map->name), s_.len_callback,
                         llvm::ConstantPointerNull::get(b_.getPtrTy()), mb_.constI64(0)});
}

llvm::Value *ProgramEmitter::emitMapFuncScalar(ast::Call *call) {
  auto *map = ast::cast<ast::MapAccess>(call->args[0]);
  if (call->id == ast::FuncId::Len)
    return emitLen(map);
  llvm::Value *key = call->args.size() == 2 ? emitKeyOf(map, call->args[1]) : emitKey(map);
  if (call->id == ast::FuncId::HasKey)
    return b_.CreateZExt(b_.CreateIsNotNull(lookup(map, key)), mb_.i64());
  llvm::Value *err =
      mb_.callHelper(Helper::MapDeleteElem, mb_.i64(), {s_.maps.at(map->name), key});
  return b_.CreateZExt(b_.CreateICmpEQ(err, mb_.constI64(0)), mb_.i64());
}

} // namespace scry::codegen
