// Emits one BPF program: the body of a probe for one attach point. Private to
// src/codegen. Values are lowered two ways: scalars (integers, bools, pointers) as
// i64 SSA values; strings and tuples as bytes in memory (stack, per-CPU scratch, a
// map key, or a ring-buffer record) written in place by emitInto.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "codegen/module_builder.h"
#include "codegen/probe_groups.h"
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
  // An all-zero value that new aggregation elements are created from (emit_aggregations.cpp).
  llvm::GlobalVariable *zero_value = nullptr;
  uint32_t zero_size = 0;
  llvm::Function *len_callback = nullptr; // for len(@m) (emit_map_funcs.cpp)
  uint32_t possible_cpus = 1;             // codegen::Options::possible_cpus
};

class ProgramEmitter {
public:
  ProgramEmitter(CompileState &state, const sema::ProbeSpec &spec, int scratch_region)
      : s_(state), mb_(state.mb), b_(state.mb.b()), spec_(spec), region_(scratch_region) {}

  void emit(const std::string &function, const std::string &section);
  // Emits the program shared by the attach points of `group` (probe_groups.h); `probes`
  // are all expanded probes, which the group's indices refer to. Call before emit().
  void setGroup(const ProgramGroup *group, const std::vector<sema::ProbeSpec> *probes) {
    group_ = group;
    group_probes_ = probes;
  }

private:
  // Statements (emit_stmt.cpp)
  void emitBlock(ast::Block *block);
  void emitStmt(ast::Stmt *stmt);
  void emitStmtKind(ast::Stmt *stmt);
  void emitAssignVar(ast::AssignVar *assign);
  void emitAssignMap(ast::AssignMap *assign);
  void emitIf(ast::If *node);
  void emitReturn();

  // Declarations and loops (emit_loops.cpp)
  void emitVarDecl(ast::VarDecl *decl);
  void emitWhile(ast::While *loop);
  void emitUnroll(ast::Unroll *loop);
  void emitForRange(ast::ForRange *loop);
  void emitJump(ast::Jump *jump);
  struct Var;
  Var *findVar(const std::string &name);
  Var &declareVar(const std::string &name, const ast::Type &type);

  // Casts, dereferences, struct members, tuples (emit_access.cpp)
  llvm::Value *emitCast(ast::Cast *cast);
  // `v` converted to `to`'s width and signedness (truncated, then extended to i64).
  llvm::Value *fitScalar(llvm::Value *v, const ast::Type &to);
  llvm::Value *emitDeref(ast::Unary *unary);
  // The kernel or user address of a struct member, and which space it is in.
  llvm::Value *emitMemberAddress(ast::FieldAccess *access, ast::AddrSpace &space);
  llvm::Value *emitMemberScalar(ast::FieldAccess *access);
  void emitMemberStringInto(ast::FieldAccess *access, llvm::Value *dst, uint32_t size);
  llvm::Value *readMemory(llvm::Value *addr, ast::AddrSpace space, uint32_t size);
  void emitTupleInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type);
  bool isArgsField(ast::FieldAccess *access) const;
  llvm::Value *emitIndex(ast::Index *index);

  // Probe-family context: argN, retval, USDT arguments (emit_context.cpp)
  llvm::Value *emitContextScalar(ast::Builtin *builtin);
  llvm::Value *loadContext(uint32_t offset, const ast::Type &type);
  llvm::Value *emitUsdtArg(unsigned index);
  llvm::GlobalVariable *usdtSpecsMap();

  // Programs shared by several attach points (emit_groups.cpp)
  void emitGroupPrologue();
  void emitSyscallPrologue();
  void emitProbeNameInto(llvm::Value *dst, uint32_t size);
  llvm::GlobalVariable *rodataTable(const std::string &name, llvm::Constant *init);

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
  // Memory for a value: a stack slot up to 64 bytes, else per-CPU scratch. Temporary
  // unless `persistent` (a variable's storage): temporaries are reused by the next
  // statement (markTemps/releaseTemps around each statement in emitStmt).
  llvm::Value *allocBuffer(uint32_t size, bool persistent = false);
  struct TempMark {
    size_t temps;
    uint32_t scratch;
    bool persistent_scratch;
  };
  TempMark markTemps();
  void releaseTemps(const TempMark &mark);
  llvm::Value *scratchBase();
  llvm::Value *offsetPtr(llvm::Value *base, uint64_t offset);

  // Maps (emit_maps.cpp)
  llvm::Value *emitKey(ast::MapAccess *map);
  llvm::Value *lookup(ast::MapAccess *map, llvm::Value *key);
  llvm::Value *emitMapReadScalar(ast::MapAccess *map);
  void emitMapReadInto(ast::MapAccess *map, llvm::Value *dst, uint32_t size);
  void emitCount(ast::MapAccess *map);

  // Aggregations (emit_aggregations.cpp)
  // The element of `key`, created zeroed when missing; null when the map is full.
  llvm::Value *lookupOrInit(ast::MapAccess *map, llvm::Value *key, uint32_t value_size);
  void emitAggregation(ast::MapAccess *map, ast::Call *call);
  void emitMinMaxUpdate(llvm::Value *value, llvm::Value *arg, const ast::Type &agg);
  llvm::Value *emitHistIndex(llvm::Value *v, uint32_t bits);
  llvm::Value *emitLhistIndex(llvm::Value *v, const ast::HistParams &params);
  llvm::Value *emitAggregationRead(ast::MapAccess *map);

  // Map functions (emit_map_funcs.cpp)
  void emitMapEvent(ast::Call *call, object::EventKind kind);
  void emitPrintValue(ast::Call *call);
  llvm::Value *emitMapFuncScalar(ast::Call *call);
  llvm::Value *emitKeyOf(ast::MapAccess *map, ast::Expr *key);
  llvm::Value *emitLen(ast::MapAccess *map);

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
  // The tracepoint record `args` fields are read from: ctx_, or a copy rebuilt from
  // pt_regs by a raw_tp syscall group (emit_groups.cpp).
  llvm::Value *args_base_ = nullptr;
  const ProgramGroup *group_ = nullptr;
  const std::vector<sema::ProbeSpec> *group_probes_ = nullptr;
  llvm::Value *probe_index_ = nullptr; // i64: which of group_'s attach points fired
  llvm::BasicBlock *entry_ = nullptr;
  llvm::BasicBlock *body_ = nullptr;
  llvm::Value *scratch_base_ = nullptr;
  uint32_t scratch_used_ = 0;
  bool persistent_scratch_ = false; // a variable was put in scratch by this statement
  struct Slot {
    llvm::Value *ptr;
    uint32_t size;
    bool busy;
  };
  std::vector<Slot> slots_;  // the stack slots made so far, reused when free
  std::vector<size_t> temps_; // slots held by statements still being emitted
  struct Var {
    llvm::Value *storage; // null until the first assignment of a `let $x;`
    ast::Type type;
  };
  std::vector<std::map<std::string, Var>> scopes_;
  struct Loop {
    llvm::BasicBlock *next; // where continue goes
    llvm::BasicBlock *done; // where break goes
  };
  std::vector<Loop> loops_;
};

} // namespace scry::codegen
