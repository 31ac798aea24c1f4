// Emission of values that live in memory (strings), and the buffers that hold them:
// small ones on the stack, large ones in a per-CPU scratch map.
#include "codegen/program_emitter.h"
#include "sema/constant_strings.h"

namespace scry::codegen {

namespace {
// Larger buffers go to scratch: the BPF stack is 512 bytes per program.
constexpr uint32_t kStackLimit = 64;
// Stack slots one program (with the for-map callbacks it calls, whose frames share the
// 512 bytes) may make; past it buffers go to scratch too. The rest of the stack is left
// for LLVM's spills and the helpers' arguments.
constexpr uint32_t kStackBudget = 256;
// Copies and zeroing up to this size are inlined as loads/stores; larger copies use
// bpf_probe_read_kernel, which is one helper call.
constexpr uint32_t kInlineLimit = 64;
} // namespace

llvm::Value *ProgramEmitter::offsetPtr(llvm::Value *base, uint64_t offset) {
  if (offset == 0)
    return base;
  return b_.CreateGEP(b_.getInt8Ty(), base, mb_.constI64(offset));
}

llvm::Value *ProgramEmitter::scratchBase() {
  if (scratch_base_)
    return scratch_base_;
  llvm::GlobalVariable *&map = s_.scratch[region_];
  if (!map)
    map = mb_.declareMap(region_ == 0 ? "scry_scratch0" : "scry_scratch1", 4);
  llvm::IRBuilderBase::InsertPointGuard guard(b_);
  llvm::Instruction *branch = entry_->getTerminator();
  b_.SetInsertPoint(branch);
  llvm::Value *key = b_.CreateAlloca(b_.getInt32Ty());
  b_.CreateStore(b_.getInt32(0), key);
  scratch_base_ = mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {map, key});
  auto *missing = newBlock("no_scratch");
  b_.CreateCondBr(b_.CreateIsNull(scratch_base_), missing, body_);
  branch->eraseFromParent();
  b_.SetInsertPoint(missing);
  emitBail(); // never happens: a one-element array always has its element
  return scratch_base_;
}

uint32_t ProgramEmitter::stackBudget() const {
  return kStackBudget > outer_stack_bytes_ ? kStackBudget - outer_stack_bytes_ : 0;
}

llvm::Value *ProgramEmitter::allocBuffer(uint32_t size, bool persistent) {
  uint32_t rounded = std::max((size + 7) & ~7u, 8u);
  if (rounded <= kStackLimit) {
    // A statement's temporaries are free again once it is emitted (releaseTemps):
    // reuse a free slot of the same size before growing the 512-byte stack.
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (!slots_[i].busy && slots_[i].size == rounded) {
        slots_[i].busy = true;
        if (!persistent)
          temps_.push_back(i);
        return slots_[i].ptr;
      }
    }
  }
  if (rounded <= kStackLimit && stack_bytes_ + rounded <= stackBudget()) {
    stack_bytes_ += rounded;
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(entry_, entry_->getFirstInsertionPt());
    auto *slot = b_.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), rounded));
    slot->setAlignment(llvm::Align(8));
    slots_.push_back({slot, rounded, true});
    if (!persistent)
      temps_.push_back(slots_.size() - 1);
    return slot;
  }
  if (persistent)
    persistent_scratch_ = true;
  uint32_t offset = scratch_used_;
  scratch_used_ += rounded;
  s_.scratch_size[region_] = std::max(s_.scratch_size[region_], scratch_used_);
  return offsetPtr(scratchBase(), offset);
}

ProgramEmitter::TempMark ProgramEmitter::markTemps() {
  TempMark mark{temps_.size(), scratch_used_, persistent_scratch_};
  persistent_scratch_ = false;
  return mark;
}

void ProgramEmitter::releaseTemps(const TempMark &mark) {
  for (size_t i = mark.temps; i < temps_.size(); ++i)
    slots_[temps_[i]].busy = false;
  temps_.resize(mark.temps);
  // Scratch is a stack too, unless a variable that outlives the statement lives in it.
  if (!persistent_scratch_)
    scratch_used_ = mark.scratch;
  persistent_scratch_ = persistent_scratch_ || mark.persistent_scratch;
}

void ProgramEmitter::copy(llvm::Value *dst, llvm::Value *src, uint32_t size) {
  if (size == 0)
    return;
  if (size <= kInlineLimit) {
    b_.CreateMemCpy(dst, llvm::MaybeAlign(1), src, llvm::MaybeAlign(1), size);
    return;
  }
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(), {dst, b_.getInt32(size), src});
}

void ProgramEmitter::zero(llvm::Value *dst, uint32_t size, uint32_t align) {
  // The BPF backend inlines a memset of at most 128 stores of `align` bytes and cannot
  // call one, so larger sizes are zeroed in chunks of 64 stores.
  const uint32_t chunk = 64 * align;
  for (uint32_t offset = 0; offset < size; offset += chunk) {
    uint32_t n = std::min(chunk, size - offset);
    // Volatile, so the optimiser does not merge the chunks back into one.
    b_.CreateMemSet(offsetPtr(dst, offset), b_.getInt8(0), n, llvm::MaybeAlign(align),
                    /*isVolatile=*/size > chunk);
  }
}

uint32_t ProgramEmitter::alignmentAt(uint32_t offset) {
  return offset % 8 == 0 ? 8 : offset % 4 == 0 ? 4 : offset % 2 == 0 ? 2 : 1;
}

void ProgramEmitter::storeScalar(llvm::Value *v, llvm::Value *dst, const ast::Type &type) {
  if (type.isBool())
    b_.CreateStore(b_.CreateTrunc(v, b_.getInt8Ty()), dst);
  else if (type.isInt() && type.bits() < 64)
    b_.CreateStore(b_.CreateTrunc(v, b_.getIntNTy(type.bits())), dst);
  else
    b_.CreateStore(v, dst);
}

llvm::Value *ProgramEmitter::loadScalar(llvm::Value *src, const ast::Type &type) {
  if (type.isBool())
    return b_.CreateZExt(b_.CreateLoad(b_.getInt8Ty(), src), mb_.i64());
  if (type.isInt() && type.bits() < 64) {
    llvm::Value *v = b_.CreateLoad(b_.getIntNTy(type.bits()), src);
    return type.isSigned() ? b_.CreateSExt(v, mb_.i64()) : b_.CreateZExt(v, mb_.i64());
  }
  return b_.CreateLoad(mb_.i64(), src);
}

void ProgramEmitter::storeLiteral(const std::string &bytes, llvm::Value *dst, uint32_t size) {
  if (size == 0)
    return;
  size_t n = std::min<size_t>(bytes.size(), size - 1);
  for (size_t i = 0; i < n; ++i)
    b_.CreateStore(b_.getInt8(static_cast<uint8_t>(bytes[i])), offsetPtr(dst, i));
  b_.CreateStore(b_.getInt8(0), offsetPtr(dst, n));
}

void ProgramEmitter::emitInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &dst_type) {
  if (dst_type.isScalar() || dst_type.isResolved()) // Resolved: a u64 (emit_sys.cpp)
    storeScalar(emitScalar(expr), dst, dst_type);
  else if (dst_type.isString())
    emitStringInto(expr, dst, dst_type.size());
  else if (dst_type.isTuple())
    emitTupleInto(expr, dst, dst_type);
  else if (dst_type.isBytes())
    emitBytesInto(expr, dst, dst_type); // buffers and addresses (emit_net.cpp)
  else if (dst_type.isStack())
    emitStackInto(expr, dst, dst_type); // emit_stacks.cpp
  else if (dst_type.isSymbol())
    emitSymbolInto(expr, dst, dst_type);
  else if (dst_type.isArray())
    emitArrayInto(expr, dst, dst_type); // emit_arrays.cpp
}

void ProgramEmitter::copyValueInto(
    ast::Expr *expr, llvm::Value *dst, const ast::Type &type,
    void (ProgramEmitter::*self)(ast::Expr *, llvm::Value *, const ast::Type &)) {
  if (auto *ternary = ast::dyn_cast<ast::Ternary>(expr); ternary && ternary->then_expr) {
    auto *then_block = newBlock("copy_then");
    auto *else_block = newBlock("copy_else");
    auto *done = newBlock("copy_done");
    b_.CreateCondBr(toBool(emitScalar(ternary->cond)), then_block, else_block);
    b_.SetInsertPoint(then_block);
    (this->*self)(ternary->then_expr, dst, type);
    b_.CreateBr(done);
    b_.SetInsertPoint(else_block);
    (this->*self)(ternary->else_expr, dst, type);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    return;
  }
  if (auto *block = ast::dyn_cast<ast::BlockExpr>(expr)) { // a macro's value
    scopes_.emplace_back();
    for (auto *stmt : block->stmts)
      emitStmt(stmt);
    (this->*self)(block->value, dst, type);
    scopes_.pop_back();
    return;
  }
  if (auto *map = ast::dyn_cast<ast::MapAccess>(expr)) {
    emitMapReadInto(map, dst, type.size());
    return;
  }
  copy(dst, emitBuffer(expr), type.size()); // a variable or a tuple element
}

llvm::Value *ProgramEmitter::emitBuffer(ast::Expr *expr) {
  if (auto *var = ast::dyn_cast<ast::Variable>(expr)) {
    if (Var *found = findVar(var->name); found && found->storage)
      return found->storage;
  }
  if (auto *index = ast::dyn_cast<ast::TupleIndex>(expr)) {
    const ast::Type &tuple = typeOf(index->base);
    return offsetPtr(emitBuffer(index->base), tuple.tupleOffsets()[index->index]);
  }
  if (auto *field = ast::dyn_cast<ast::FieldAccess>(expr); field && typeOf(field->base).isTuple()) {
    const ast::Type &record = typeOf(field->base); // `r.name`: sema kept the element's index
    uint64_t i = s_.analysis.constants.at(field->id());
    return offsetPtr(emitBuffer(field->base), record.tupleOffsets()[i]);
  }
  if (auto *index = ast::dyn_cast<ast::Index>(expr); index && typeOf(index->base).isTuple()) {
    const ast::Type &tuple = typeOf(index->base); // `$t[1]`: sema made sure of the literal
    uint64_t i = ast::cast<ast::IntegerLit>(index->index)->value;
    return offsetPtr(emitBuffer(index->base), tuple.tupleOffsets()[i]);
  }
  const ast::Type &type = typeOf(expr);
  llvm::Value *buffer = allocBuffer(type.size());
  emitInto(expr, buffer, type);
  return buffer;
}

void ProgramEmitter::emitStringInto(ast::Expr *expr, llvm::Value *dst, uint32_t size) {
  const ast::Type &type = typeOf(expr);
  // A value already in memory (emitBuffer finds it): copy what fits and terminate.
  auto copyFromBuffer = [&] {
    llvm::Value *src = emitBuffer(expr);
    uint32_t n = std::min(size, type.size());
    copy(dst, src, n);
    if (n < size)
      b_.CreateStore(b_.getInt8(0), offsetPtr(dst, n));
    else
      b_.CreateStore(b_.getInt8(0), offsetPtr(dst, size - 1));
  };
  switch (expr->kind()) {
  case ast::NodeKind::StringLit:
    storeLiteral(ast::cast<ast::StringLit>(expr)->value, dst, size);
    return;
  case ast::NodeKind::Binary: { // "a" + "b", folded (sema/constant_strings.h)
    std::string folded;
    sema::constantString(expr, folded);
    storeLiteral(folded, dst, size);
    return;
  }
  case ast::NodeKind::Builtin: {
    auto *builtin = ast::cast<ast::Builtin>(expr);
    if (builtin->id == ast::BuiltinId::Probe || builtin->id == ast::BuiltinId::Func) {
      if (builtin->id == ast::BuiltinId::Probe)
        emitProbeNameInto(dst, size); // emit_groups.cpp
      else
        emitFuncNameInto(dst, size); // emit_groups.cpp
      return;
    }
    if (builtin->id == ast::BuiltinId::Probetype || builtin->id == ast::BuiltinId::Pcomm ||
        builtin->id == ast::BuiltinId::LeaderComm) {
      emitTaskStringInto(builtin, dst, size); // emit_task.cpp
      return;
    }
    if (builtin->id == ast::BuiltinId::Comm) {
      if (size >= 16) {
        mb_.callHelper(Helper::GetCurrentComm, mb_.i64(), {dst, b_.getInt32(16)});
        return;
      }
      llvm::Value *tmp = allocBuffer(16);
      mb_.callHelper(Helper::GetCurrentComm, mb_.i64(), {tmp, b_.getInt32(16)});
      copy(dst, tmp, size);
      b_.CreateStore(b_.getInt8(0), offsetPtr(dst, size - 1));
    }
    return;
  }
  case ast::NodeKind::MapAccess:
    emitMapReadInto(ast::cast<ast::MapAccess>(expr), dst, size);
    return;
  case ast::NodeKind::Call:
    emitStrInto(ast::cast<ast::Call>(expr), dst, size);
    return;
  case ast::NodeKind::FieldAccess: {
    auto *access = ast::cast<ast::FieldAccess>(expr);
    if (typeOf(access->base).isTuple())
      copyFromBuffer(); // a record's field
    else if (isArgsField(access))
      emitFieldStringInto(access, dst, size);
    else
      emitMemberStringInto(access, dst, size);
    return;
  }
  case ast::NodeKind::PositionalParam: {
    auto *param = ast::cast<ast::PositionalParam>(expr);
    const auto &params = s_.analysis.params;
    storeLiteral(param->index && param->index <= params.size() ? params[param->index - 1] : "",
                 dst, size);
    return;
  }
  case ast::NodeKind::Ternary: {
    auto *ternary = ast::cast<ast::Ternary>(expr);
    llvm::Value *cond = toBool(emitScalar(ternary->cond));
    auto *then_block = newBlock("tern_then");
    auto *else_block = newBlock("tern_else");
    auto *done = newBlock("tern_done");
    b_.CreateCondBr(cond, then_block, else_block);
    b_.SetInsertPoint(then_block);
    emitStringInto(ternary->then_expr, dst, size);
    b_.CreateBr(done);
    b_.SetInsertPoint(else_block);
    emitStringInto(ternary->else_expr, dst, size);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    return;
  }
  case ast::NodeKind::BlockExpr: {
    auto *block = ast::cast<ast::BlockExpr>(expr);
    scopes_.emplace_back();
    for (auto *stmt : block->stmts)
      emitStmt(stmt);
    emitStringInto(block->value, dst, size);
    scopes_.pop_back();
    return;
  }
  case ast::NodeKind::Index: // of a tuple (`$t[1]`); other indexing gives integers
    if (!typeOf(ast::cast<ast::Index>(expr)->base).isTuple())
      return;
    [[fallthrough]];
  case ast::NodeKind::Variable:
  case ast::NodeKind::TupleIndex:
    copyFromBuffer();
    return;
  case ast::NodeKind::Cast: // `(string[N])s`: s, in the larger buffer (checker_casts.cpp)
    emitStringInto(ast::cast<ast::Cast>(expr)->operand, dst, size);
    return;
  // Never strings (sema): integers, pointers, tuples and statements.
  case ast::NodeKind::IntegerLit:
  case ast::NodeKind::Unary:
  case ast::NodeKind::Sizeof:
  case ast::NodeKind::Offsetof:
  case ast::NodeKind::Tuple:
  case ast::NodeKind::ExprStmt:
  case ast::NodeKind::AssignVar:
  case ast::NodeKind::AssignMap:
  case ast::NodeKind::If:
  case ast::NodeKind::Return:
  case ast::NodeKind::VarDecl:
  case ast::NodeKind::While:
  case ast::NodeKind::Unroll:
  case ast::NodeKind::ForRange:
  case ast::NodeKind::Jump:
  case ast::NodeKind::ForMap:
  case ast::NodeKind::Block:
  case ast::NodeKind::AttachPoint:
  case ast::NodeKind::Probe:
  case ast::NodeKind::ConfigItem:
  case ast::NodeKind::Program:
  case ast::NodeKind::StructDef:
  case ast::NodeKind::MacroDef:
  case ast::NodeKind::MapDecl:
    return;
  }
}

void ProgramEmitter::emitFieldStringInto(ast::FieldAccess *access, llvm::Value *dst,
                                         uint32_t size) {
  const ast::Field *field = spec_.args->find(access->field);
  if (!field)
    return;
  if (field->data_loc) {
    // __data_loc: a u32 of (length << 16 | offset) locating the bytes in the record.
    llvm::Value *loc = b_.CreateLoad(b_.getInt32Ty(), offsetPtr(args_base_, field->offset));
    llvm::Value *offset = b_.CreateZExt(b_.CreateAnd(loc, 0xffff), mb_.i64());
    llvm::Value *src = b_.CreateGEP(b_.getInt8Ty(), args_base_, offset);
    mb_.callHelper(Helper::ProbeReadKernelStr, mb_.i64(), {dst, b_.getInt32(size), src});
    return;
  }
  uint32_t n = std::min(size, field->type.size());
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {dst, b_.getInt32(n), offsetPtr(args_base_, field->offset)});
  b_.CreateStore(b_.getInt8(0), offsetPtr(dst, n < size ? n : size - 1));
}

llvm::Value *ProgramEmitter::emitStringCompare(ast::Expr *lhs, ast::Expr *rhs) {
  // Byte by byte up to the first NUL or the shorter buffer, unrolled.
  auto *lit = ast::dyn_cast<ast::StringLit>(rhs);
  if (!lit && (lit = ast::dyn_cast<ast::StringLit>(lhs)))
    std::swap(lhs, rhs);
  llvm::Value *a = emitBuffer(lhs);
  uint32_t a_size = typeOf(lhs).size();
  llvm::Value *bbuf = lit ? nullptr : emitBuffer(rhs);
  uint32_t n = lit ? static_cast<uint32_t>(lit->value.size() + 1) : typeOf(rhs).size();
  n = std::min(n, a_size);
  auto *equal = newBlock("str_eq");
  auto *differ = newBlock("str_ne");
  for (uint32_t i = 0; i < n; ++i) {
    llvm::Value *ca = b_.CreateLoad(b_.getInt8Ty(), offsetPtr(a, i));
    llvm::Value *cb = nullptr;
    if (lit)
      cb = b_.getInt8(i < lit->value.size() ? static_cast<uint8_t>(lit->value[i]) : 0);
    else
      cb = b_.CreateLoad(b_.getInt8Ty(), offsetPtr(bbuf, i));
    auto *next = newBlock("str_next");
    b_.CreateCondBr(b_.CreateICmpNE(ca, cb), differ, next);
    b_.SetInsertPoint(next);
    if (lit && i < lit->value.size())
      continue; // equal to a non-NUL literal byte: keep going
    auto *more = newBlock("str_more");
    b_.CreateCondBr(b_.CreateICmpEQ(ca, b_.getInt8(0)), equal, more);
    b_.SetInsertPoint(more);
  }
  // Ran out of bytes with no NUL: equal only if the literal did not need more.
  bool literal_longer = lit && lit->value.size() + 1 > a_size;
  b_.CreateBr(literal_longer ? differ : equal);
  auto *done = newBlock("str_done");
  b_.SetInsertPoint(equal);
  b_.CreateBr(done);
  b_.SetInsertPoint(differ);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(b_.getInt1Ty(), 2);
  phi->addIncoming(b_.getInt1(true), equal);
  phi->addIncoming(b_.getInt1(false), differ);
  return phi;
}

} // namespace scry::codegen
