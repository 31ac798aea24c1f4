// Emission of casts, pointer dereferences, struct members read through kernel or user
// pointers (bpf_probe_read_kernel/user into a stack slot), and tuples.
#include "codegen/program_emitter.h"

namespace scry::codegen {

bool ProgramEmitter::isArgsField(ast::FieldAccess *access) const {
  auto *builtin = ast::dyn_cast<ast::Builtin>(access->base);
  return builtin && builtin->id == ast::BuiltinId::Args;
}

llvm::Value *ProgramEmitter::emitCast(ast::Cast *cast) {
  if (typeOf(cast->operand).isArray())
    return emitArrayToInt(cast); // emit_arrays.cpp
  return fitScalar(emitScalar(cast->operand), typeOf(cast));
}

llvm::Value *ProgramEmitter::fitScalar(llvm::Value *v, const ast::Type &to) {
  if (to.isBool())
    return b_.CreateZExt(toBool(v), mb_.i64());
  if (to.isInt() && to.bits() < 64) {
    llvm::Value *narrow = b_.CreateTrunc(v, b_.getIntNTy(to.bits()));
    return to.isSigned() ? b_.CreateSExt(narrow, mb_.i64()) : b_.CreateZExt(narrow, mb_.i64());
  }
  return v;
}

llvm::Value *ProgramEmitter::readMemory(llvm::Value *addr, ast::AddrSpace space, uint32_t size) {
  llvm::Value *slot = allocBuffer(size);
  Helper helper = space == ast::AddrSpace::User ? Helper::ProbeReadUser : Helper::ProbeReadKernel;
  mb_.callHelper(helper, mb_.i64(), {slot, b_.getInt32(size), b_.CreateIntToPtr(addr, mb_.ptr())});
  return slot;
}

llvm::Value *ProgramEmitter::emitDeref(ast::Unary *unary) {
  const ast::Type &pointer = typeOf(unary->operand);
  const ast::Type &value = typeOf(unary);
  llvm::Value *slot = readMemory(emitScalar(unary->operand), pointer.addrSpace(), value.size());
  return loadScalar(slot, value);
}

llvm::Value *ProgramEmitter::emitMemberAddress(ast::FieldAccess *access, ast::AddrSpace &space) {
  uint64_t offset = s_.analysis.constants.at(access->id());
  const ast::Type &base = typeOf(access->base);
  llvm::Value *start = nullptr;
  if (base.isPointer()) {
    start = emitScalar(access->base);
    space = base.addrSpace();
  } else if (auto *field = ast::cast<ast::FieldAccess>(access->base); isArgsField(field)) {
    // A struct in args itself (a uprobe's struct passed by value, issue 4): its bytes
    // are in the args record.
    start = b_.CreatePtrToInt(offsetPtr(args_base_, spec_.args->find(field->field)->offset),
                              mb_.i64());
    space = ast::AddrSpace::Kernel;
  } else {
    // An embedded struct: its address is its own member address.
    start = emitMemberAddress(ast::cast<ast::FieldAccess>(access->base), space);
  }
  return b_.CreateAdd(start, mb_.constI64(offset));
}

llvm::Value *ProgramEmitter::emitMemberScalar(ast::FieldAccess *access) {
  if (uint64_t offset = 0; ctxFieldOffset(access, offset)) // emit_context.cpp
    return loadContext(static_cast<uint32_t>(offset), typeOf(access));
  ast::AddrSpace space = ast::AddrSpace::Kernel;
  llvm::Value *addr = emitMemberAddress(access, space);
  const ast::Type &type = typeOf(access);
  uint32_t size = type.isScalar() ? (type.isPointer() ? 8 : type.size()) : 8;
  return loadScalar(readMemory(addr, space, size), type);
}

void ProgramEmitter::emitMemberStringInto(ast::FieldAccess *access, llvm::Value *dst,
                                          uint32_t size) {
  ast::AddrSpace space = ast::AddrSpace::Kernel;
  llvm::Value *addr = b_.CreateIntToPtr(emitMemberAddress(access, space), mb_.ptr());
  uint32_t n = std::min(size, typeOf(access).size());
  Helper helper = space == ast::AddrSpace::User ? Helper::ProbeReadUser : Helper::ProbeReadKernel;
  mb_.callHelper(helper, mb_.i64(), {dst, b_.getInt32(n), addr});
  // A char array that fills the string needs no NUL (strings are NUL-terminated
  // unless full): `char b[5]` holding "hello" reads as hello.
  if (n < size)
    b_.CreateStore(b_.getInt8(0), offsetPtr(dst, n));
}

llvm::Value *ProgramEmitter::emitIndex(ast::Index *index) {
  const ast::Type &base = typeOf(index->base);
  const ast::Type &element = typeOf(index);
  if (base.isTuple()) // `$t[1]`, as `$t.1`
    return loadScalar(emitBuffer(index), element);
  auto *base_field = ast::dyn_cast<ast::FieldAccess>(index->base);
  if (base.isArray() && (!base_field || typeOf(base_field->base).isTuple()))
    return emitArrayElement(index); // an array in our memory (emit_arrays.cpp)
  uint32_t size = element.isPointer() ? 8 : element.size();
  auto *literal = ast::dyn_cast<ast::IntegerLit>(index->index);
  llvm::Value *i = emitScalar(index->index);
  llvm::Value *scaled = b_.CreateMul(i, mb_.constI64(size));
  if (base.isString()) {
    // A byte of a string in our own memory; out of range reads as 0.
    llvm::Value *buffer = emitBuffer(index->base);
    llvm::Value *in_range = b_.CreateICmpULT(i, mb_.constI64(base.size()));
    llvm::Value *safe = b_.CreateSelect(in_range, i, mb_.constI64(0));
    llvm::Value *byte = loadScalar(b_.CreateGEP(b_.getInt8Ty(), buffer, safe), element);
    return b_.CreateSelect(in_range, byte, mb_.constI64(0));
  }
  if (base.isPointer()) {
    llvm::Value *addr = b_.CreateAdd(emitScalar(index->base), scaled);
    return loadScalar(readMemory(addr, base.addrSpace(), size), element);
  }
  auto *field = ast::cast<ast::FieldAccess>(index->base);
  if (isArgsField(field)) {
    const ast::Field *f = spec_.args->find(field->field);
    if (literal) // a constant offset: tracepoint context allows a direct load
      return loadScalar(offsetPtr(args_base_, f->offset + literal->value * size), element);
    llvm::Value *in_range = b_.CreateICmpULT(i, mb_.constI64(base.count_of()));
    llvm::Value *offset =
        b_.CreateAdd(mb_.constI64(f->offset), b_.CreateSelect(in_range, scaled, mb_.constI64(0)));
    llvm::Value *addr =
        b_.CreatePtrToInt(b_.CreateGEP(b_.getInt8Ty(), args_base_, offset), mb_.i64());
    llvm::Value *v = loadScalar(readMemory(addr, ast::AddrSpace::Kernel, size), element);
    return b_.CreateSelect(in_range, v, mb_.constI64(0));
  }
  ast::AddrSpace space = ast::AddrSpace::Kernel;
  llvm::Value *addr = b_.CreateAdd(emitMemberAddress(field, space), scaled);
  return loadScalar(readMemory(addr, space, size), element);
}

void ProgramEmitter::emitTupleInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type) {
  if (auto *tuple = ast::dyn_cast<ast::Tuple>(expr)) {
    auto offsets = type.tupleOffsets();
    zero(dst, type.size()); // padding must not leak stack bytes into maps or events
    for (size_t i = 0; i < tuple->elements.size(); ++i)
      emitInto(tuple->elements[i], offsetPtr(dst, offsets[i]), type.elements()[i]);
    return;
  }
  if (auto *call = ast::dyn_cast<ast::Call>(expr); call && call->id == ast::FuncId::Typeinfo) {
    emitTypeinfoInto(call, dst, type); // emit_typeinfo.cpp
    return;
  }
  copyValueInto(expr, dst, type, &ProgramEmitter::emitTupleInto); // emit_memory.cpp
}

} // namespace scry::codegen
