// Emits one BPF program: the body of a probe for one attach point. Private to
// src/codegen. Values are lowered two ways: scalars (integers, bools, pointers) as
// i64 SSA values; strings and tuples as bytes in memory (stack, per-CPU scratch, a
// map key, or a ring-buffer record) written in place by emitInto.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "codegen/module_builder.h"
#include "object/object.h"
#include "sema/sema.h"

namespace scry::codegen {

// State shared by every program of one object.
struct CompileState {
  ModuleBuilder &mb;
  const sema::Analysis &analysis;
  object::BpfObject &out;
  llvm::GlobalVariable *events = nullptr;
  std::map<std::string, llvm::GlobalVariable *> maps; // by script name
  // Per-CPU scratch space for values too big for the 512-byte stack. BEGIN/END run
  // through BPF_PROG_TEST_RUN in our own context and may be interrupted by probes,
  // so they get a region of their own; kernel probes exclude each other per CPU.
  llvm::GlobalVariable *scratch[2] = {nullptr, nullptr};
  uint32_t scratch_size[2] = {0, 0};
};

class ProgramEmitter {
public:
  ProgramEmitter(CompileState &state, const sema::ProbeSpec &spec, int scratch_region)
      : s_(state), mb_(state.mb), b_(state.mb.b()), spec_(spec), region_(scratch_region) {}

  void emit(const std::string &function, const std::string &section);

private:
  // Statements (emit_stmt.cpp)
  void emitBlock(ast::Block *block);
  void emitStmt(ast::Stmt *stmt);
  void emitAssignVar(ast::AssignVar *assign);
  void emitAssignMap(ast::AssignMap *assign);
  void emitIf(ast::If *node);
  void emitReturn();

  // Scalars (emit_expr.cpp)
  llvm::Value *emitScalar(ast::Expr *expr);
  llvm::Value *emitBuiltinScalar(ast::Builtin *builtin);
  llvm::Value *emitBinary(ast::Binary *binary);
  llvm::Value *emitLogical(ast::Binary *binary);
  llvm::Value *emitCompare(ast::Binary *binary, llvm::Value *l, llvm::Value *r);
  llvm::Value *emitSignedDivRem(bool rem, llvm::Value *l, llvm::Value *r);
  llvm::Value *emitUnary(ast::Unary *unary);
  llvm::Value *emitTernaryScalar(ast::Ternary *ternary);
  llvm::Value *emitFieldScalar(ast::FieldAccess *access);
  llvm::Value *toBool(llvm::Value *v);

  // Memory values (emit_memory.cpp)
  void emitInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &dst_type);
  llvm::Value *emitBuffer(ast::Expr *expr);
  void emitStringInto(ast::Expr *expr, llvm::Value *dst, uint32_t size);
  void emitFieldStringInto(ast::FieldAccess *access, llvm::Value *dst, uint32_t size);
  void storeLiteral(const std::string &bytes, llvm::Value *dst, uint32_t size);
  llvm::Value *emitStringCompare(ast::Expr *lhs, ast::Expr *rhs);
  void storeScalar(llvm::Value *v, llvm::Value *dst, const ast::Type &type);
  llvm::Value *loadScalar(llvm::Value *src, const ast::Type &type);
  void copy(llvm::Value *dst, llvm::Value *src, uint32_t size);
  void zero(llvm::Value *dst, uint32_t size);
  llvm::Value *allocBuffer(uint32_t size);
  llvm::Value *scratchBase();
  llvm::Value *offsetPtr(llvm::Value *base, uint64_t offset);

  // Maps (emit_maps.cpp)
  llvm::Value *emitKey(ast::MapAccess *map);
  llvm::Value *lookup(ast::MapAccess *map, llvm::Value *key);
  llvm::Value *emitMapReadScalar(ast::MapAccess *map);
  void emitMapReadInto(ast::MapAccess *map, llvm::Value *dst, uint32_t size);
  void emitCount(ast::MapAccess *map);

  // Calls (emit_calls.cpp)
  void emitCallStmt(ast::Call *call);
  void emitPrintf(ast::Call *call);
  void emitExit(ast::Call *call);
  void emitStrInto(ast::Call *call, llvm::Value *dst, uint32_t size);

  const ast::Type &typeOf(const ast::Node *n) const { return s_.analysis.typeOf(n); }
  llvm::BasicBlock *newBlock(const char *name);
  // Starts a fresh block after a terminator (ret) so emission can continue;
  // LLVM drops it as unreachable.
  void continueAfterTerminator();

  CompileState &s_;
  ModuleBuilder &mb_;
  llvm::IRBuilder<> &b_;
  const sema::ProbeSpec &spec_;
  int region_;
  llvm::Function *fn_ = nullptr;
  llvm::Value *ctx_ = nullptr;
  llvm::BasicBlock *entry_ = nullptr;
  llvm::BasicBlock *body_ = nullptr;
  llvm::Value *scratch_base_ = nullptr;
  uint32_t scratch_used_ = 0;
  struct Var {
    llvm::Value *storage;
    ast::Type type;
  };
  std::vector<std::map<std::string, Var>> scopes_;
};

} // namespace scry::codegen
