// Emission of issue 3's expressions: `&` address-of, block expressions (and so macro
// expansions), and `c ?: b`.
#include "codegen/program_emitter.h"

namespace scry::codegen {

// `&$x` is the address of the variable's slot (on the stack, or in scratch space);
// `&p->f` the member's address, computed as for a read but never read; `&*p` is p.
llvm::Value *ProgramEmitter::emitAddrOf(ast::Unary *unary) {
  ast::Expr *operand = unary->operand;
  if (auto *deref = ast::dyn_cast<ast::Unary>(operand))
    return emitScalar(deref->operand);
  if (auto *var = ast::dyn_cast<ast::Variable>(operand)) {
    Var *found = findVar(var->name);
    if (!found || !found->storage)
      return mb_.constI64(0); // sema reports a variable read before it is assigned
    return b_.CreatePtrToInt(found->storage, mb_.i64());
  }
  ast::AddrSpace space = ast::AddrSpace::Kernel;
  return emitMemberAddress(ast::cast<ast::FieldAccess>(operand), space);
}

// The statements in a scope of their own, then the value.
llvm::Value *ProgramEmitter::emitBlockExprScalar(ast::BlockExpr *block) {
  scopes_.emplace_back();
  for (auto *stmt : block->stmts)
    emitStmt(stmt);
  llvm::Value *v = block->value ? emitScalar(block->value) : mb_.constI64(0);
  scopes_.pop_back();
  return v;
}

// A block expression as a statement: its value is evaluated for its effects only.
void ProgramEmitter::emitBlockExprStmt(ast::BlockExpr *block) {
  scopes_.emplace_back();
  for (auto *stmt : block->stmts)
    emitStmt(stmt);
  if (auto *call = ast::dyn_cast<ast::Call>(block->value))
    emitCallStmt(call);
  else if (auto *inner = ast::dyn_cast<ast::BlockExpr>(block->value))
    emitBlockExprStmt(inner);
  else if (block->value && typeOf(block->value).isScalar())
    emitScalar(block->value);
  scopes_.pop_back();
}

// `c ?: b`: c's value when it is true (non-zero), else b; c is evaluated once.
llvm::Value *ProgramEmitter::emitElvis(ast::Ternary *ternary) {
  llvm::Value *cond = emitScalar(ternary->cond);
  llvm::BasicBlock *cond_end = b_.GetInsertBlock();
  auto *else_block = newBlock("elvis_else");
  auto *done = newBlock("elvis_done");
  b_.CreateCondBr(toBool(cond), done, else_block);
  b_.SetInsertPoint(else_block);
  llvm::Value *other = emitScalar(ternary->else_expr);
  llvm::BasicBlock *else_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(mb_.i64(), 2);
  phi->addIncoming(cond, cond_end);
  phi->addIncoming(other, else_end);
  return phi;
}

} // namespace scry::codegen
