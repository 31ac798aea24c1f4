// Integer arrays as values (issue 3): copied into variables, maps, tuples and events;
// indexed wherever they live; compared bytewise; and cast to and from integers of the
// same size (`(uint8[8])12345`, `(uint32)pton("127.0.0.1")`), reinterpreting the
// little-endian bytes.
#include "codegen/program_emitter.h"

namespace scry::codegen {

void ProgramEmitter::emitArrayInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type) {
  if (auto *cast = ast::dyn_cast<ast::Cast>(expr)) { // an integer's bytes (same size: sema)
    llvm::Value *v = emitScalar(cast->operand);
    // dst may be a tuple's element at an odd offset: BPF has no unaligned stores.
    b_.CreateAlignedStore(b_.CreateTrunc(v, b_.getIntNTy(type.size() * 8)), dst,
                          llvm::MaybeAlign(1));
    return;
  }
  if (auto *index = ast::dyn_cast<ast::Index>(expr); index && typeOf(index->base).isArray()) {
    // y[1] of an array of arrays: a slice of the whole, at a literal index (sema).
    uint64_t i = ast::cast<ast::IntegerLit>(index->index)->value;
    copy(dst, offsetPtr(emitBuffer(index->base), i * type.size()), type.size());
    return;
  }
  auto *field = ast::dyn_cast<ast::FieldAccess>(expr);
  if ((field && !typeOf(field->base).isTuple()) || ast::isa<ast::Call>(expr)) {
    emitBytesOf(expr, dst, type.size()); // struct and tracepoint fields, pton()
    return;
  }
  copyValueInto(expr, dst, type, &ProgramEmitter::emitArrayInto); // emit_memory.cpp
}

// An array value in our memory, at an address aligned for its elements: an array in a
// tuple may sit at any offset (after a string), so it is copied out first.
llvm::Value *ProgramEmitter::alignedArray(ast::Expr *expr) {
  llvm::Value *buffer = emitBuffer(expr);
  auto *field = ast::dyn_cast<ast::FieldAccess>(expr);
  auto *index = ast::dyn_cast<ast::Index>(expr);
  bool in_tuple = ast::isa<ast::TupleIndex>(expr) ||
                  (field && typeOf(field->base).isTuple()) ||
                  (index && typeOf(index->base).isTuple());
  if (!in_tuple)
    return buffer;
  uint32_t size = typeOf(expr).size();
  llvm::Value *aligned = allocBuffer(size);
  copy(aligned, buffer, size);
  return aligned;
}

// `(uint64)$a`: the array's bytes read as one integer.
llvm::Value *ProgramEmitter::emitArrayToInt(ast::Cast *cast) {
  return loadScalar(alignedArray(cast->operand), typeOf(cast));
}

// `$a[i]` of an array in our memory; an index out of range reads as 0.
llvm::Value *ProgramEmitter::emitArrayElement(ast::Index *index) {
  const ast::Type &array = typeOf(index->base);
  const ast::Type &element = typeOf(index);
  llvm::Value *buffer = alignedArray(index->base);
  uint32_t size = element.size();
  if (auto *literal = ast::dyn_cast<ast::IntegerLit>(index->index))
    return loadScalar(offsetPtr(buffer, literal->value * size), element);
  llvm::Value *i = emitScalar(index->index);
  llvm::Value *in_range = b_.CreateICmpULT(i, mb_.constI64(array.count_of()));
  llvm::Value *safe = b_.CreateSelect(in_range, i, mb_.constI64(0));
  llvm::Value *at = b_.CreateGEP(b_.getInt8Ty(), buffer, b_.CreateMul(safe, mb_.constI64(size)));
  return b_.CreateSelect(in_range, loadScalar(at, element), mb_.constI64(0));
}

// `a == b` of two arrays of one type: no byte differs.
llvm::Value *ProgramEmitter::emitArrayEqual(ast::Expr *lhs, ast::Expr *rhs) {
  uint32_t size = typeOf(lhs).size();
  llvm::Value *a = alignedArray(lhs);
  llvm::Value *b = alignedArray(rhs);
  llvm::Value *diff = mb_.constI64(0);
  for (uint32_t offset = 0; offset < size;) {
    uint32_t width = size - offset >= 8 ? 8 : size - offset >= 4 ? 4 : size - offset >= 2 ? 2 : 1;
    llvm::Type *t = b_.getIntNTy(width * 8);
    llvm::Value *x = b_.CreateLoad(t, offsetPtr(a, offset));
    llvm::Value *y = b_.CreateLoad(t, offsetPtr(b, offset));
    diff = b_.CreateOr(diff, b_.CreateZExt(b_.CreateXor(x, y), mb_.i64()));
    offset += width;
  }
  return b_.CreateICmpEQ(diff, mb_.constI64(0));
}

} // namespace scry::codegen
