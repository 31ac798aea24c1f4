// Emission of map keys, map reads, assignments' lookups and count().
#include "codegen/program_emitter.h"

namespace scry::codegen {

llvm::Value *ProgramEmitter::emitKey(ast::MapAccess *map, uint32_t extra) {
  const sema::MapInfo &info = s_.analysis.maps.at(map->name);
  if (info.key.isNone()) {
    llvm::Value *key = allocBuffer(8 + extra);
    zero(key, 8 + extra);
    return key;
  }
  // Zeroed first: strings shorter than their slot must hash alike.
  uint32_t size = info.key.size();
  llvm::Value *key = allocBuffer(((size + 7) & ~7u) + extra);
  zero(key, ((size + 7) & ~7u) + extra);
  if (!info.key.isTuple()) {
    emitInto(map->keys[0], key, info.key);
    return key;
  }
  auto offsets = info.key.tupleOffsets();
  for (size_t i = 0; i < map->keys.size(); ++i)
    emitInto(map->keys[i], offsetPtr(key, offsets[i]), info.key.elements()[i]);
  return key;
}

llvm::Value *ProgramEmitter::lookup(ast::MapAccess *map, llvm::Value *key) {
  return mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.maps.at(map->name), key});
}

llvm::Value *ProgramEmitter::emitMapReadScalar(ast::MapAccess *map) {
  const sema::MapInfo &info = s_.analysis.maps.at(map->name);
  if (info.value.isAggregation() || info.value.kind() == ast::TypeKind::Count)
    return emitAggregationRead(map); // every CPU's copy
  llvm::Value *value = lookup(map, emitKey(map));
  llvm::BasicBlock *before = b_.GetInsertBlock();
  auto *found = newBlock("map_found");
  auto *done = newBlock("map_done");
  b_.CreateCondBr(b_.CreateIsNull(value), done, found);
  b_.SetInsertPoint(found);
  llvm::Value *loaded = info.value.kind() == ast::TypeKind::Count
                            ? b_.CreateLoad(mb_.i64(), value)
                            : loadScalar(value, info.value);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(mb_.i64(), 2);
  phi->addIncoming(mb_.constI64(0), before);
  phi->addIncoming(loaded, found);
  return phi;
}

void ProgramEmitter::emitMapReadInto(ast::MapAccess *map, llvm::Value *dst, uint32_t size) {
  const sema::MapInfo &info = s_.analysis.maps.at(map->name);
  llvm::Value *value = lookup(map, emitKey(map));
  auto *found = newBlock("map_found");
  auto *missing = newBlock("map_missing");
  auto *done = newBlock("map_done");
  b_.CreateCondBr(b_.CreateIsNull(value), missing, found);
  b_.SetInsertPoint(found);
  uint32_t n = std::min(size, info.value.size());
  copy(dst, value, n);
  // A string is cut and terminated; a tuple or array is copied whole, its last byte
  // being data (a tuple's -1 read back as 0x00ffffffffffffff before).
  bool text = info.value.isString();
  if (text)
    b_.CreateStore(b_.getInt8(0), offsetPtr(dst, n < size ? n : size - 1));
  else if (n < size)
    zero(offsetPtr(dst, n), size - n, alignmentAt(n));
  b_.CreateBr(done);
  b_.SetInsertPoint(missing); // no element: "" or zeroes
  if (text)
    b_.CreateStore(b_.getInt8(0), dst);
  else
    zero(dst, size);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void ProgramEmitter::emitCount(ast::MapAccess *map) {
  // A per-CPU map: no atomics needed; user space sums the CPUs.
  llvm::Value *key = emitKey(map);
  llvm::Value *value = lookup(map, key);
  auto *found = newBlock("count_found");
  auto *missing = newBlock("count_new");
  auto *done = newBlock("count_done");
  b_.CreateCondBr(b_.CreateIsNull(value), missing, found);
  b_.SetInsertPoint(found);
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(mb_.i64(), value), mb_.constI64(1)), value);
  b_.CreateBr(done);
  b_.SetInsertPoint(missing);
  llvm::Value *one = allocBuffer(8);
  b_.CreateStore(mb_.constI64(1), one);
  updateMap(map, key, one, 0); // a full map's refusal is counted
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

} // namespace scry::codegen
