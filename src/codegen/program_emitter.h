// Emits one BPF program: the body of a probe for one attach point. Private to
// src/codegen. Values are lowered two ways: scalars (integers, bools, pointers) as
// i64 SSA values; strings and tuples as bytes in memory (stack, per-CPU scratch, a
// map key, or a ring-buffer record) written in place by emitInto.
#pragma once

#include <span>
#include <map>
#include <string>
#include <unordered_map>
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
  int filter_pid = -1;                    // codegen::Options::filter_pid (issue 4)
  // codegen::Options: when scry started (elapsed) and CLOCK_TAI's lead on the boot
  // clock (nsecs(sw_tai)), both read by the driver; the script's file (errorf).
  uint64_t start_boot_ns = 0;
  int64_t tai_offset_ns = 0;
  const diag::SourceFile *source = nullptr;
  uint32_t child_pid = 0; // codegen::Options::child_pid (cpid, emit_task.cpp)
  // The per-CPU array of object::kCounter* slots (emit_counters.cpp; issue 7).
  llvm::GlobalVariable *counters = nullptr;
  // skboutput()'s perf event array, declared when first used (emit_skboutput.cpp).
  llvm::GlobalVariable *skb_output = nullptr;
  // dw_ustack's unwind tables, declared when first used (emit_dw_ustack.cpp).
  llvm::GlobalVariable *unwind_files = nullptr;
  llvm::GlobalVariable *unwind_rows = nullptr;
  llvm::GlobalVariable *unwind_procs = nullptr;
  llvm::GlobalVariable *unwind_asked = nullptr; // tgid -> when PidMapsChanged was last sent
};

// A tseries map's key (the script's key, then a u64 slot number) and size: an element
// per key and interval (emit_tseries.cpp).
void layoutTseriesMap(object::MapDesc &desc, uint32_t max_map_keys);

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
  // The group runs the bodies of several probes of one class (body_classes.h): the
  // literals `slots` of the emitted body take, for the group's k-th attach point, the
  // values rows[k] (emit_groups.cpp). Call after setGroup().
  void setLiteralSlots(const std::vector<const ast::IntegerLit *> &slots,
                       const std::vector<std::vector<uint64_t>> &rows);

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
  // typeinfo(expr)'s constant record (issue 3, emit_typeinfo.cpp).
  void emitTypeinfoInto(ast::Call *call, llvm::Value *dst, const ast::Type &type);
  bool isArgsField(ast::FieldAccess *access) const;
  llvm::Value *emitIndex(ast::Index *index);

  // Probe-family context: argN, retval, USDT arguments (emit_context.cpp)
  llvm::Value *emitContextScalar(ast::Builtin *builtin);
  llvm::Value *loadContext(uint32_t offset, const ast::Type &type);
  llvm::Value *emitUsdtArg(unsigned index);
  llvm::GlobalVariable *usdtSpecsMap();
  llvm::Value *emitReg(ast::Call *call); // reg("name"): a pt_regs register (issue 4)
  // Whether `access` is a scalar field of `ctx` (through embedded structs only) that
  // must be loaded from the context directly, and at which offset: perf-event contexts
  // are rewritten by the verifier, so bpf_probe_read of them would read other bytes.
  bool ctxFieldOffset(ast::FieldAccess *access, uint64_t &offset);

  // Programs shared by several attach points (emit_groups.cpp)
  void emitGroupPrologue();
  void emitSyscallPrologue();
  // A uprobe's DWARF-typed args record, built from pt_regs (emit_uprobe_args.cpp; issue 4).
  bool hasUprobeArgsRecord() const;
  llvm::Value *emitUprobeArgsRecord();
  void emitPrintRecord(ast::Call *call); // print(args), print(args.s) (emit_print_record.cpp)
  void emitProbeNameInto(llvm::Value *dst, uint32_t size);
  // `func` of the attach point that fired: the group's table, by probe_index_.
  void emitFuncNameInto(llvm::Value *dst, uint32_t size);
  // Row `probe_index_` of a .rodata table of `names`, NUL-padded to one width, into dst.
  void emitNameTableInto(const std::string &table, const std::vector<std::string> &names,
                         llvm::Value *dst, uint32_t size);
  llvm::GlobalVariable *rodataTable(const std::string &name, llvm::Constant *init);
  // The value of a literal slot for the attach point that fired; null for other literals.
  llvm::Value *emitLiteralSlot(const ast::IntegerLit *literal);

  // Filters every program of some families starts with (emit_probe_filters.cpp; issue 4):
  // -p on kernel probes, and the iterator's last call, which has no object.
  void emitProbeFilters();
  // printf() in an iter probe: bpf_seq_printf into the iterator's seq file (emit_iter.cpp).
  void emitSeqPrintf(ast::Call *call);
  // Kfuncs and typed ksyms (emit_kfuncs.cpp): comm(pid) into dst; percpu_kaddr().
  void emitCommOfInto(ast::Call *call, llvm::Value *dst, uint32_t size);
  llvm::Value *emitPercpuKaddr(ast::Call *call);

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
  // `dst` must be aligned to `align` (allocBuffer's buffers are 8-aligned).
  void zero(llvm::Value *dst, uint32_t size, uint32_t align = 8);
  // The alignment of `offset` bytes into an 8-aligned buffer.
  static uint32_t alignmentAt(uint32_t offset);
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

  // Maps (emit_maps.cpp). `extra`: bytes left after the key for the caller (zeroed).
  llvm::Value *emitKey(ast::MapAccess *map, uint32_t extra = 0);
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

  // tseries (emit_tseries.cpp)
  void emitTseries(ast::MapAccess *map, ast::Call *call);

  // What could not be recorded, counted (emit_counters.cpp; issue 7)
  void bumpCounter(uint32_t slot);
  // bpf_map_update_elem on a script map; a refusal (the map is full) is counted, except
  // EEXIST under BPF_NOEXIST (another CPU created the element first). Returns the error.
  llvm::Value *updateMap(ast::MapAccess *map, llvm::Value *key, llvm::Value *value,
                         uint64_t flags);
  // An exit() whose ring-buffer record had no room: recorded in the counters instead.
  void recordExitFallback(llvm::Value *code);
  // After bpf_ringbuf_reserve: to `fill` with a record, else count a lost event and go
  // to `done`.
  void branchOnReserve(llvm::Value *record, llvm::BasicBlock *fill, llvm::BasicBlock *done);
  // After bpf_ringbuf_output: a non-zero `err` counts a lost event.
  void countIfLost(llvm::Value *err);

  // Map functions (emit_map_funcs.cpp)
  void emitMapEvent(ast::Call *call, object::EventKind kind);
  void emitPrintValue(ast::Call *call);
  llvm::Value *emitMapFuncScalar(ast::Call *call);
  // find(@m, k, $out): 1 and $out set when k is there (emit_memfuncs.cpp; issue 5)
  llvm::Value *emitFind(ast::Call *call);
  void emitWriteUser(ast::Call *call); // bpf_probe_write_user (emit_memfuncs.cpp)
  llvm::Value *emitSocketCookie(ast::Call *call); // bpf_get_socket_cookie
  llvm::Value *emitSkboutput(ast::Call *call); // bpf_skb_output (emit_skboutput.cpp)
  llvm::Value *emitKeyOf(ast::MapAccess *map, ast::Expr *key);
  llvm::Value *emitLen(ast::MapAccess *map);

  // Stacks and symbols (emit_stacks.cpp)
  void emitStackInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type);
  void emitKernelUnwoundStack(llvm::Value *dst, const ast::StackParams &params);
  void emitSymbolInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type);
  // Copies a value made elsewhere into dst: either side of ?:, a macro's value, a map's
  // element, a variable or a tuple's element; `self` emits the parts (emit_memory.cpp).
  void copyValueInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type,
                     void (ProgramEmitter::*self)(ast::Expr *, llvm::Value *, const ast::Type &));
  llvm::Value *emitAddressScalar(ast::Call *call); // kaddr(), uaddr()
  void notePid(llvm::Value *pid);
  void notePidBeforeRecord(std::span<ast::Expr *const> args);
  // dw_ustack (emit_dw_ustack.cpp)
  void declareUnwindMaps();
  void emitDwUstackInto(llvm::Value *dst, uint32_t limit);
  llvm::Function *emitDwFrameCallback(const std::string &name, uint32_t limit);
  llvm::Function *emitDwVmaCallback();

  // Calls (emit_calls.cpp)
  void emitCallStmt(ast::Call *call);
  void emitPrintf(ast::Call *call);
  void emitExit(ast::Call *call);
  void emitStrInto(ast::Call *call, llvm::Value *dst, uint32_t size);
  // The record of a printf-like call (printf, cat, system, errorf, warnf): header
  // {kind, id}, then the arguments; returns where they are for the runtime.
  object::PrintfDesc emitFormatRecord(ast::Call *call, object::EventKind kind, uint32_t id);

  // Compile-time functions, pid(ns)/tid(ns), container_of, config.KEY and `if` on a
  // constant condition (emit_ctfuncs.cpp).
  llvm::Value *emitCompileTimeCall(ast::Call *call);
  // strcap (a constant), memcmp; unwatch's record (emit_morefuncs.cpp)
  llvm::Value *emitMoreFuncValue(ast::Call *call);
  void emitUnwatch(ast::Call *call);
  llvm::Value *emitPidTid(bool tid, bool init_ns); // pid, tid, pid(ns), tid(ns)
  llvm::Value *emitConfigField(ast::FieldAccess *access);
  bool emitConstantIf(ast::If *node); // false: the condition is not known at compile time

  // Time, process and system builtins and functions (emit_sys.cpp)
  llvm::Value *emitSysBuiltin(ast::Builtin *builtin); // elapsed, username, usermode, sargN, ppid
  // cpid, has_cpid, leader_tid; and the strings probetype, pcomm, leader_comm (emit_task.cpp).
  llvm::Value *emitTaskBuiltin(ast::Builtin *builtin);
  void emitTaskStringInto(ast::Builtin *builtin, llvm::Value *dst, uint32_t size);
  void emitNameInto(ast::Call *call, llvm::Value *dst, uint32_t size); // syscall/signal_name
  // The u64 of nsecs(clock), strftime(), cgroupid() and cgroup_path().
  llvm::Value *emitSysValue(ast::Call *call);
  void emitTime(ast::Call *call);
  void emitFormattedAction(ast::Call *call); // cat, system, errorf, warnf
  void emitJoin(ast::Call *call);
  void emitSignal(ast::Call *call);
  void emitOverride(ast::Call *call);
  void emitDebugf(ast::Call *call);

  // Strings, buffers and addresses (emit_strings.cpp, emit_net.cpp)
  llvm::Value *emitStringFunction(ast::Call *call); // strncmp strcontains strstr strlen bswap kptr uptr
  void emitStringResultInto(ast::Call *call, llvm::Value *dst, uint32_t size); // str_concat strerror path
  void emitBytesInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type); // Type::isBytes()
  void emitBytesOf(ast::Expr *expr, llvm::Value *dst, uint32_t n); // an array's or string's first n
  // Integer arrays as values (emit_arrays.cpp, issue 3)
  void emitArrayInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type);
  llvm::Value *emitArrayToInt(ast::Cast *cast);
  llvm::Value *emitArrayElement(ast::Index *index);
  llvm::Value *emitArrayEqual(ast::Expr *lhs, ast::Expr *rhs);
  llvm::Value *alignedArray(ast::Expr *expr);
  void readAddressInto(llvm::Value *dst, llvm::Value *n, llvm::Value *addr, const ast::Type &type);
  void emitBufInto(ast::Call *call, llvm::Value *dst, uint32_t capacity);
  void emitNtopInto(ast::Call *call, llvm::Value *dst);
  void emitMacaddrInto(ast::Call *call, llvm::Value *dst);
  void emitStrConcatInto(ast::Call *call, llvm::Value *dst, uint32_t size);
  void emitStrerrorInto(ast::Call *call, llvm::Value *dst, uint32_t size);
  void emitPathInto(ast::Call *call, llvm::Value *dst, uint32_t size);
  llvm::Value *emitStrncmp(ast::Call *call);
  llvm::Value *emitStrstr(ast::Expr *haystack, ast::Expr *needle);
  llvm::Function *emitStrstrCallback(const std::string &name, uint32_t h_size, uint32_t n_size);
  llvm::Function *emitStrstrMatchCallback(const std::string &name, uint32_t h_size,
                                         uint32_t n_size);
  llvm::Value *emitStrnlen(llvm::Value *s, uint32_t size);
  llvm::Value *loadByte(llvm::Value *base, llvm::Value *index);
  llvm::Value *opaque(llvm::Value *v); // an optimisation barrier (emit_strings.cpp)
  // for (i = 0; i < count; ++i): the body starts at the insertion point and branches to
  // `next` to continue or `done` to break; endLoop closes the loop and goes on after it.
  struct CountedLoop {
    llvm::BasicBlock *head, *next, *done;
    llvm::PHINode *i;
  };
  CountedLoop beginLoop(uint64_t count, const char *name);
  void endLoop(CountedLoop &loop);

  // Issue 3: for over a map, whose body is a bpf_for_each_map_elem callback
  // (emit_formap.cpp); address-of, block expressions, `?:` (emit_lang.cpp).
  void emitForMap(ast::ForMap *loop);
  llvm::Function *emitForMapCallback(ast::ForMap *loop,
                                     const std::vector<std::pair<std::string, Var>> &captured,
                                     bool has_probe_index);
  std::vector<std::pair<std::string, Var>> capturedVariables(ast::Block *body);
  llvm::Value *emitAddrOf(ast::Unary *unary);
  llvm::Value *emitBlockExprScalar(ast::BlockExpr *block);
  void emitBlockExprStmt(ast::BlockExpr *block);
  llvm::Value *emitElvis(ast::Ternary *ternary);
  // An aggregation's value for the key bytes at `key`, combined over the CPUs.
  llvm::Value *emitAggregationReadAt(const std::string &map, llvm::Value *key);
  // Leaves the function being emitted: the probe (its return value 0) or a for-map
  // callback (1: stop iterating).
  void emitBail();
  // A zeroed-on-demand buffer in the stack frame whatever its size (allocBuffer puts
  // large ones in scratch): a callback's context must be on the stack.
  llvm::Value *stackBuffer(uint32_t size);

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
  // setLiteralSlots(): each slot literal's column in literal_table_, which has
  // literal_rows_ rows (a power of two) of literal_slots_.size() u64 values.
  std::unordered_map<const ast::IntegerLit *, uint32_t> literal_slots_;
  llvm::GlobalVariable *literal_table_ = nullptr;
  uint64_t literal_rows_ = 0;
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
  bool in_callback_ = false; // emitting a for-map callback (issue 3)
  unsigned callbacks_ = 0;   // for-map callbacks made, for their names
  // Stack slots made in the function being emitted, and in the functions that call it
  // (a callback's frame shares the 512 bytes with its callers'): allocBuffer keeps their
  // sum under a budget and puts what does not fit in scratch (emit_memory.cpp).
  uint32_t stack_bytes_ = 0;
  uint32_t outer_stack_bytes_ = 0;
  uint32_t stackBudget() const;
};

} // namespace scry::codegen
