// Emission of find(), write_user() and socket_cookie() (issue 5). find(@m, k, $out) is
// a single bpf_map_lookup_elem; when the key is there,
// its value is copied into the variable and the call yields 1, else the variable keeps
// what it held (zero if find declared it) and the call yields 0.
#include "codegen/program_emitter.h"

namespace scry::codegen {

llvm::Value *ProgramEmitter::emitFind(ast::Call *call) {
  auto *map = ast::cast<ast::MapAccess>(call->args[0]);
  auto *out = ast::cast<ast::Variable>(call->args[2]);
  const ast::Type &type = typeOf(out);
  const sema::MapInfo &info = s_.analysis.maps.at(map->name);
  Var *var = findVar(out->name);
  if (!var) {
    var = &declareVar(out->name, type);
    zero(var->storage, type.isScalar() ? 8 : (type.size() + 7) & ~7u);
  }
  if (!var->storage) { // `let $x;`: find is its first assignment
    var->type = type;
    var->storage = allocBuffer(type.isScalar() ? 8 : type.size(), /*persistent=*/true);
    zero(var->storage, type.isScalar() ? 8 : (type.size() + 7) & ~7u);
  }
  llvm::Value *value = lookup(map, emitKeyOf(map, call->args[1]));
  llvm::BasicBlock *before = b_.GetInsertBlock();
  auto *found = newBlock("find_found");
  auto *done = newBlock("find_done");
  b_.CreateCondBr(b_.CreateIsNull(value), done, found);
  b_.SetInsertPoint(found);
  if (var->type.isScalar())
    b_.CreateStore(fitScalar(loadScalar(value, info.value), var->type), var->storage);
  else
    copy(var->storage, value, std::min(info.value.size(), var->type.size()));
  llvm::BasicBlock *found_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(mb_.i64(), 2);
  phi->addIncoming(mb_.constI64(0), before);
  phi->addIncoming(mb_.constI64(1), found_end);
  return phi;
}

} // namespace scry::codegen

namespace scry::codegen {

// The value is built on the stack (integers as 64-bit, as sema sized them), then the
// helper copies its first len bytes out; a fault or a read-only page is its error only.
void ProgramEmitter::emitWriteUser(ast::Call *call) {
  ast::Expr *src = call->args[1];
  const ast::Type &type = typeOf(src);
  uint32_t size = type.isInt() ? 8 : type.size();
  llvm::Value *buffer = allocBuffer(size);
  if (type.isInt())
    b_.CreateStore(emitScalar(src), buffer);
  else
    emitInto(src, buffer, type);
  uint64_t len = ast::cast<ast::IntegerLit>(call->args[2])->value;
  llvm::Value *dst = b_.CreateIntToPtr(emitScalar(call->args[0]), mb_.ptr());
  mb_.callHelper(Helper::ProbeWriteUser, mb_.i64(), {dst, buffer, b_.getInt32(len)});
}

} // namespace scry::codegen

namespace scry::codegen {

llvm::Value *ProgramEmitter::emitSocketCookie(ast::Call *call) {
  llvm::Value *sk = b_.CreateIntToPtr(emitScalar(call->args[0]), mb_.ptr());
  return mb_.callHelper(Helper::GetSocketCookie, mb_.i64(), {sk});
}

} // namespace scry::codegen
