// Emission of a program's frame (entry, predicate, body) and of statements.
#include "codegen/program_emitter.h"

namespace scry::codegen {

llvm::BasicBlock *ProgramEmitter::newBlock(const char *name) {
  return llvm::BasicBlock::Create(mb_.ctx(), name, fn_);
}

void ProgramEmitter::continueAfterTerminator() { b_.SetInsertPoint(newBlock("dead")); }

void ProgramEmitter::emit(const std::string &function, const std::string &section) {
  ast::Probe *probe = spec_.probe;
  fn_ = mb_.beginProgram(function, section, probe->range);
  ctx_ = fn_->getArg(0);
  if (spec_.kind == ast::ProbeKind::Usdt)
    usdtSpecsMap(); // libbpf's USDT attach needs its maps even when no argN is read
  // `entry` holds allocas and, when needed, the scratch lookup; `body` the code.
  entry_ = b_.GetInsertBlock();
  body_ = newBlock("body");
  b_.CreateBr(body_);
  b_.SetInsertPoint(body_);
  scopes_.assign(1, {});
  emitGroupPrologue(); // emit_groups.cpp: sets args_base_ and probe_index_
  emitProbeFilters();  // emit_probe_filters.cpp: -p on kernel probes, iterators' last call
  if (probe->predicate) {
    mb_.setLocation(probe->predicate->range);
    llvm::Value *cond = toBool(emitScalar(probe->predicate));
    auto *pass = newBlock("pred_true");
    auto *fail = newBlock("pred_false");
    b_.CreateCondBr(cond, pass, fail);
    b_.SetInsertPoint(fail);
    b_.CreateRet(b_.getInt32(0));
    b_.SetInsertPoint(pass);
  }
  emitBlock(probe->body);
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateRet(b_.getInt32(0));
}

void ProgramEmitter::emitBlock(ast::Block *block) {
  scopes_.emplace_back();
  for (auto *stmt : block->stmts)
    emitStmt(stmt);
  scopes_.pop_back();
}

void ProgramEmitter::emitStmt(ast::Stmt *stmt) {
  TempMark mark = markTemps();
  emitStmtKind(stmt);
  releaseTemps(mark);
}

void ProgramEmitter::emitStmtKind(ast::Stmt *stmt) {
  mb_.setLocation(stmt->range);
  switch (stmt->kind()) {
  case ast::NodeKind::ExprStmt: {
    ast::Expr *expr = ast::cast<ast::ExprStmt>(stmt)->expr;
    if (auto *call = ast::dyn_cast<ast::Call>(expr))
      emitCallStmt(call);
    else if (auto *block = ast::dyn_cast<ast::BlockExpr>(expr))
      emitBlockExprStmt(block); // emit_lang.cpp
    else if (typeOf(expr).isScalar())
      emitScalar(expr); // evaluated for its side effects, if any
    return;
  }
  case ast::NodeKind::AssignVar:
    emitAssignVar(ast::cast<ast::AssignVar>(stmt));
    return;
  case ast::NodeKind::AssignMap:
    emitAssignMap(ast::cast<ast::AssignMap>(stmt));
    return;
  case ast::NodeKind::If:
    emitIf(ast::cast<ast::If>(stmt));
    return;
  case ast::NodeKind::Return:
    emitReturn();
    return;
  case ast::NodeKind::Block:
    emitBlock(ast::cast<ast::Block>(stmt));
    return;
  case ast::NodeKind::VarDecl:
    emitVarDecl(ast::cast<ast::VarDecl>(stmt));
    return;
  case ast::NodeKind::While:
    emitWhile(ast::cast<ast::While>(stmt));
    return;
  case ast::NodeKind::Unroll:
    emitUnroll(ast::cast<ast::Unroll>(stmt));
    return;
  case ast::NodeKind::ForRange:
    emitForRange(ast::cast<ast::ForRange>(stmt));
    return;
  case ast::NodeKind::Jump:
    emitJump(ast::cast<ast::Jump>(stmt));
    return;
  case ast::NodeKind::ForMap:
    emitForMap(ast::cast<ast::ForMap>(stmt)); // emit_formap.cpp
    return;
  case ast::NodeKind::PositionalParam:
  case ast::NodeKind::Cast:
  case ast::NodeKind::Sizeof:
  case ast::NodeKind::Tuple:
  case ast::NodeKind::TupleIndex:
  case ast::NodeKind::Index:
  case ast::NodeKind::IntegerLit:
  case ast::NodeKind::StringLit:
  case ast::NodeKind::Builtin:
  case ast::NodeKind::Variable:
  case ast::NodeKind::MapAccess:
  case ast::NodeKind::Binary:
  case ast::NodeKind::Unary:
  case ast::NodeKind::Ternary:
  case ast::NodeKind::Call:
  case ast::NodeKind::FieldAccess:
  case ast::NodeKind::AttachPoint:
  case ast::NodeKind::Probe:
  case ast::NodeKind::ConfigItem:
  case ast::NodeKind::Program:
  case ast::NodeKind::Offsetof:
  case ast::NodeKind::BlockExpr:
  case ast::NodeKind::StructDef:
  case ast::NodeKind::MacroDef:
  case ast::NodeKind::MapDecl:
    return; // not statements
  }
}

void ProgramEmitter::emitAssignVar(ast::AssignVar *assign) {
  const ast::Type &type = typeOf(assign->var);
  Var *var = findVar(assign->var->name);
  if (!var)
    var = &declareVar(assign->var->name, type);
  if (!var->storage) { // `let $x;`: the first assignment decides the type
    var->type = type;
    var->storage = allocBuffer(type.isScalar() ? 8 : type.size(), /*persistent=*/true);
  }
  if (var->type.isScalar())
    b_.CreateStore(fitScalar(emitScalar(assign->value), var->type), var->storage);
  else
    emitInto(assign->value, var->storage, var->type);
}

void ProgramEmitter::emitAssignMap(ast::AssignMap *assign) {
  if (auto *call = ast::dyn_cast<ast::Call>(assign->value);
      call && call->id == ast::FuncId::Count) {
    emitCount(assign->map);
    return;
  }
  if (s_.analysis.maps.at(assign->map->name).value.isAggregation()) {
    emitAggregation(assign->map, ast::cast<ast::Call>(assign->value));
    return;
  }
  const sema::MapInfo &info = s_.analysis.maps.at(assign->map->name);
  llvm::Value *key = emitKey(assign->map);
  llvm::Value *value = allocBuffer(info.value.size());
  if (info.value.isScalar())
    storeScalar(emitScalar(assign->value), value, info.value);
  else
    emitInto(assign->value, value, info.value);
  updateMap(assign->map, key, value, 0); // a full map's refusal is counted
}

void ProgramEmitter::emitIf(ast::If *node) {
  if (emitConstantIf(node)) // known at compile time: the live branch only (emit_ctfuncs.cpp)
    return;
  llvm::Value *cond = toBool(emitScalar(node->cond));
  auto *then_block = newBlock("if_then");
  auto *else_block = node->else_stmt ? newBlock("if_else") : nullptr;
  auto *done = newBlock("if_done");
  b_.CreateCondBr(cond, then_block, else_block ? else_block : done);
  b_.SetInsertPoint(then_block);
  emitBlock(node->then_block);
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(done);
  if (else_block) {
    b_.SetInsertPoint(else_block);
    emitStmt(node->else_stmt);
    if (!b_.GetInsertBlock()->getTerminator())
      b_.CreateBr(done);
  }
  b_.SetInsertPoint(done);
}

void ProgramEmitter::emitReturn() {
  b_.CreateRet(b_.getInt32(0));
  continueAfterTerminator();
}

} // namespace scry::codegen
