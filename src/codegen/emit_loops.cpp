// Emission of variable declarations and loops: while, unroll, for over a range, and
// break/continue. Loops are real back edges: the verifier (kernel 5.3+) proves them
// bounded, as it does for bpftrace's.
#include "codegen/program_emitter.h"

namespace scry::codegen {

ProgramEmitter::Var *ProgramEmitter::findVar(const std::string &name) {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end())
      return &found->second;
  }
  return nullptr;
}

ProgramEmitter::Var &ProgramEmitter::declareVar(const std::string &name, const ast::Type &type) {
  // Scalars live in 8-byte slots whatever their nominal width.
  llvm::Value *storage = nullptr;
  if (!type.isNone())
    storage = allocBuffer(type.isScalar() ? 8 : type.size(), /*persistent=*/true);
  return scopes_.back()[name] = Var{storage, type};
}

void ProgramEmitter::emitVarDecl(ast::VarDecl *decl) {
  const ast::Type &type = typeOf(decl->var);
  Var &var = declareVar(decl->var->name, type);
  if (!var.storage)
    return; // typed by its first assignment
  if (decl->value && type.isScalar())
    b_.CreateStore(fitScalar(emitScalar(decl->value), type), var.storage);
  else if (decl->value)
    emitInto(decl->value, var.storage, type);
  else
    zero(var.storage, type.isScalar() ? 8 : (type.size() + 7) & ~7u);
}

void ProgramEmitter::emitWhile(ast::While *loop) {
  auto *cond_block = newBlock("while_cond");
  auto *body = newBlock("while_body");
  auto *done = newBlock("while_done");
  b_.CreateBr(cond_block);
  b_.SetInsertPoint(cond_block);
  b_.CreateCondBr(toBool(emitScalar(loop->cond)), body, done);
  b_.SetInsertPoint(body);
  loops_.push_back({cond_block, done});
  emitBlock(loop->body);
  loops_.pop_back();
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(cond_block);
  b_.SetInsertPoint(done);
}

void ProgramEmitter::emitUnroll(ast::Unroll *loop) {
  uint64_t count = ast::cast<ast::IntegerLit>(loop->count)->value;
  for (uint64_t i = 0; i < count; ++i)
    emitBlock(loop->body);
}

void ProgramEmitter::emitForRange(ast::ForRange *loop) {
  scopes_.emplace_back();
  Var &var = declareVar(loop->var->name, typeOf(loop->var));
  llvm::Value *end_slot = allocBuffer(8);
  b_.CreateStore(emitScalar(loop->start), var.storage);
  b_.CreateStore(emitScalar(loop->end), end_slot);
  auto *cond_block = newBlock("for_cond");
  auto *body = newBlock("for_body");
  auto *next = newBlock("for_next");
  auto *done = newBlock("for_done");
  b_.CreateBr(cond_block);
  b_.SetInsertPoint(cond_block);
  llvm::Value *i = b_.CreateLoad(mb_.i64(), var.storage);
  b_.CreateCondBr(b_.CreateICmpSLT(i, b_.CreateLoad(mb_.i64(), end_slot)), body, done);
  b_.SetInsertPoint(body);
  loops_.push_back({next, done});
  emitBlock(loop->body);
  loops_.pop_back();
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(next);
  b_.SetInsertPoint(next);
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(mb_.i64(), var.storage), mb_.constI64(1)),
                 var.storage);
  b_.CreateBr(cond_block);
  b_.SetInsertPoint(done);
  scopes_.pop_back();
}

void ProgramEmitter::emitJump(ast::Jump *jump) {
  if (loops_.empty())
    return; // sema reports it
  b_.CreateBr(jump->is_break ? loops_.back().done : loops_.back().next);
  continueAfterTerminator();
}

} // namespace scry::codegen
