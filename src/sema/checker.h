// The type checker: the second half of the semantic pass. Private to src/sema.
// Runs twice over the program: the first run learns every map's type (so a map read
// textually before its assignment is typed) with its diagnostics discarded; the second
// reports. Expressions' types land in Analysis::types.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sema/sema.h"
#include "symbols/kallsyms.h"

namespace scry::sema {

class Checker {
public:
  Checker(Analysis &analysis, const std::vector<ProbeSpec> &probes, btf::TypeSource *types,
          diag::Diagnostics &diags,
          const std::vector<std::pair<std::string, std::string>> &environment = {},
          bool unsafe = false)
      : analysis_(analysis), probes_(probes), types_(types), diags_(diags),
        environment_(environment), unsafe_(unsafe) {}

  void checkProgram(const ast::Program &program);
  // kaddr()'s symbol table (issue 5); null: /proc/kallsyms, read when first needed.
  void setKernelSymbols(const symbols::KernelSymbols *table) { kallsyms_ = table; }
  // -c CMD was given (checker_task.cpp: cpid, has_cpid).
  void setHasCpid(bool has_cpid) { has_cpid_ = has_cpid; }

private:
  // Statements (checker_stmt.cpp)
  void checkProbe(ast::Probe *probe);
  void checkBlock(ast::Block *block);
  void checkStmt(ast::Stmt *stmt);
  void checkAssignVar(ast::AssignVar *assign);
  void checkAssignMap(ast::AssignMap *assign);
  void checkVarDecl(ast::VarDecl *decl);
  // Inlined user functions (issue 3, checker_fns.cpp).
  void checkFnDecl(ast::VarDecl *decl);
  void checkFnReturn(ast::AssignVar *assign);
  ast::Type fnType(const ast::TypeName &name, ast::SourceRange where);
  void checkLoop(ast::Stmt *loop);
  ast::Type mapKeyType(ast::MapAccess *map);
  void unifyMap(ast::MapAccess *map, const ast::Type &key, const ast::Type &value,
                ast::SourceRange where);

  // Expressions (checker_expr.cpp)
  ast::Type check(ast::Expr *expr);
  ast::Type checkExpr(ast::Expr *expr);
  ast::Type checkBuiltin(ast::Builtin *builtin);
  ast::Type checkBinary(ast::Binary *binary);
  ast::Type checkUnary(ast::Unary *unary);
  ast::Type checkTernary(ast::Ternary *ternary);
  ast::Type checkFieldAccess(ast::FieldAccess *access);
  ast::Type checkMapRead(ast::MapAccess *map);
  ast::Type checkVariable(ast::Variable *var);
  ast::Type checkPositional(ast::PositionalParam *param);
  ast::Type checkDeref(ast::Unary *unary);
  ast::Type checkTuple(ast::Tuple *tuple);
  ast::Type checkTupleIndex(ast::TupleIndex *index);
  ast::Type checkIndex(ast::Index *index);
  ast::Type checkMemberAccess(ast::FieldAccess *access, const ast::Type &base);

  // Types written in scripts (checker_types.cpp)
  ast::Type checkCast(ast::Cast *cast);
  ast::Type checkSizeof(ast::Sizeof *node);
  // "uint32", "unsigned int", "struct task_struct *": None (after reporting) if unknown.
  // `in_cast`: `T[]` (size from the value) is allowed; it resolves to a 0-element array.
  ast::Type resolveTypeName(const ast::TypeName &name, ast::SourceRange where,
                            bool in_cast = false);
  ast::Type checkArrayCast(ast::Cast *cast, const ast::Type &from, const ast::Type &to);
  // bpftrace's byte types in casts (issue 3, checker_casts.cpp): `(string[N])s` widens
  // a string; `(buffer[N])`, `(inet)` are names bpftrace refuses to cast to.
  static bool isByteTypeName(const std::string &name);
  ast::Type resolveByteType(const ast::TypeName &name, ast::SourceRange where, bool in_cast);
  ast::Type checkByteCast(ast::Cast *cast, const ast::Type &from, const ast::Type &to);
  // The `(type)` of a cast, where bpftrace puts its cast errors.
  static ast::SourceRange castTypeRange(const ast::Cast *cast);
  ast::Type checkTypeinfo(ast::Call *call); // typeinfo(expr) (checker_typeinfo.cpp)
  // A record with its fields: BTF records arrive with nested records as names only.
  std::shared_ptr<const ast::RecordType> completeRecord(const ast::RecordType &record,
                                                        ast::SourceRange where);

  // Calls (checker_calls.cpp)
  // Where a call appears decides what it may be: count() only as a map value,
  // printf() only as a statement.
  enum class CallUse { Statement, MapValue, Value };
  ast::Type checkCall(ast::Call *call, CallUse use);
  void checkPrintf(ast::Call *call);
  ast::Type checkStr(ast::Call *call);

  // Aggregations (checker_aggregations.cpp)
  ast::Type checkAggregation(ast::Call *call, CallUse use, ast::AggKind agg);
  bool checkHistBits(ast::Call *call, ast::HistParams &params);
  bool checkLhistBounds(ast::Call *call, ast::HistParams &params);
  bool checkTseriesParams(ast::Call *call, ast::TSeriesParams &params); // checker_tseries.cpp
  void refuseTseries(ast::Call *call, const MapInfo *info); // delete/has_key/len
  // Reading `@m` of an aggregation in an expression (bpftrace 0.21+/0.22+ for avg).
  ast::Type checkAggregationRead(ast::MapAccess *map, const ast::Type &value);

  // Map functions (checker_map_funcs.cpp)
  // Argument `index` must name a known map; `keys_allowed` accepts `@m[k]` too.
  const MapInfo *checkMapArg(ast::Call *call, size_t index, bool keys_allowed);
  bool checkMapKeyArg(const MapInfo &info, ast::Expr *key, ast::MapAccess *indexed);
  void checkPrint(ast::Call *call);
  ast::Type checkLen(ast::Call *call);
  ast::Type checkDeleteOrHasKey(ast::Call *call);

  // Time, process and system builtins and functions (checker_sys.cpp)
  ast::Type checkUsermode(ast::Builtin *builtin);
  ast::Type checkSarg(ast::Builtin *builtin);
  ast::Type checkPpid(ast::Builtin *builtin);
  ast::Type checkTaskBuiltin(ast::Builtin *builtin); // cpid, probetype, pcomm, ... (checker_task.cpp)
  ast::Type checkNameFunction(ast::Call *call);      // syscall_name, signal_name (checker_task.cpp)
  ast::Type checkKfuncExist(ast::Call *call);        // kfunc_exist (checker_task.cpp)
  ast::Type checkKfuncAllowed(ast::Call *call);      // kfunc_allowed (checker_kfuncs.cpp)
  ast::StringLit *kernelFunctionName(ast::Call *call); // their argument (checker_task.cpp)
  ast::Type checkGetopt(ast::Call *call);            // getopt (checker_getopt.cpp)
  // signal_thread, strcap, memcmp, unwatch (checker_morefuncs.cpp)
  ast::Type checkMoreFunc(ast::Call *call);
  ast::Type checkNsecs(ast::Call *call);
  void checkTime(ast::Call *call);
  ast::Type checkStrftime(ast::Call *call);
  ast::Type checkCgroupid(ast::Call *call);
  ast::Type checkCgroupPath(ast::Call *call);
  void checkJoin(ast::Call *call);
  void checkSystem(ast::Call *call);
  void checkSignal(ast::Call *call);
  void checkOverride(ast::Call *call);
  void checkDebugf(ast::Call *call);
  // Reports `call` unless --unsafe was given; true when it may be used.
  bool checkUnsafe(ast::Call *call);

  // Stacks and symbols: kstack/ustack, ksym/usym, kaddr/uaddr (checker_stacks.cpp)
  ast::Type checkStackBuiltin(ast::Builtin *builtin);
  ast::Type checkStackCall(ast::Call *call);
  bool allowDwUstack(diag::SourceRange where);
  ast::Type checkSymbolCall(ast::Call *call);
  ast::Type checkAddressCall(ast::Call *call);
  ast::Type checkUaddr(ast::Call *call, const std::string &name);

  // Issue 3's language: script structs and offsetof (checker_structs.cpp); block
  // expressions, address-of (checker_access.cpp); for over a map (checker_loops.cpp);
  // map declarations (checker_decls.cpp).
  void defineStructs(const std::vector<ast::StructDef *> &defs);
  std::shared_ptr<const ast::RecordType> scriptRecord(const std::string &name) const;
  // Where an integer cast to a pointer points: user memory in uprobes and USDT.
  ast::AddrSpace probeAddrSpace() const;
  ast::Type checkOffsetof(ast::Offsetof *node);
  ast::Type checkBlockExpr(ast::BlockExpr *block, bool as_statement);
  ast::Type checkAddrOf(ast::Unary *unary);
  ast::AddrSpace memberAddrSpace(const ast::FieldAccess *access);
  ast::Type checkTupleSubscript(ast::Index *index, const ast::Type &tuple);
  ast::Type checkRecordField(ast::FieldAccess *access, const ast::Type &record);
  void checkForMap(ast::ForMap *loop);
  ast::Type forMapElementType(ast::ForMap *loop);
  void declareMaps(const std::vector<ast::MapDecl *> &decls);
  bool checkLabels(const ast::MapDecl &decl);
  void applyLabels(const std::string &name, const MapDeclInfo &decl, MapInfo &info);
  void checkMapDeclarations();
  std::string placeOf(ast::SourceRange range) const;

  // Probe-context functions: reg(); printf's limits in iter probes
  // (checker_probe_funcs.cpp; issue 4)
  ast::Type checkReg(ast::Call *call);
  void checkIterPrintf(ast::Call *call);
  // find(@m, k, $out) (checker_memfuncs.cpp; issue 5)
  ast::Type checkFind(ast::Call *call);
  void checkWriteUser(ast::Call *call);
  ast::Type checkSocketCookie(ast::Call *call);
  ast::Type checkSkboutput(ast::Call *call); // checker_skboutput.cpp (issue 5)
  // Kernel kfuncs and typed ksyms: comm(pid), percpu_kaddr() (checker_kfuncs.cpp)
  ast::Type checkCommOf(ast::Call *call);
  ast::Type checkPercpuKaddr(ast::Call *call);

  // Strings, buffers and addresses (checker_strings.cpp, checker_net.cpp)
  ast::Type checkBuf(ast::Call *call);
  ast::Type checkStringArgs(ast::Call *call); // strncmp strcontains strstr strlen str_concat
  ast::Type checkIntegerFunction(ast::Call *call); // strerror, bswap
  ast::Type checkAddrSpaceCast(ast::Call *call);   // kptr, uptr
  ast::Type checkPath(ast::Call *call);
  ast::Type checkNtop(ast::Call *call);
  ast::Type checkPton(ast::Call *call);
  ast::Type checkMacaddr(ast::Call *call);

  // bpftrace 0.24-0.26 compile-time functions (checker_ctfuncs.cpp): pid(ns),
  // fail, static_assert, type predicates, config.KEY; container_of (checker_typeof.cpp).
  // An `if` whose condition is known at compile time checks its live branch only.
  ast::Type checkCompileTimeCall(ast::Call *call);
  ast::Type checkPidNamespace(ast::Call *call);
  void checkFail(ast::Call *call);
  void checkStaticAssert(ast::Call *call);
  void checkAssertStr(ast::Call *call); // checker_strlike.cpp
  ast::Type checkTypePredicate(ast::Call *call);
  ast::Type checkContainerOf(ast::Call *call);
  ast::Type resolveTypeof(const ast::TypeName &name);
  ast::Type checkConfigField(ast::FieldAccess *access);
  ast::Type checkConfigBuiltin(ast::Builtin *builtin);
  bool checkConstantIf(ast::If *node); // false: the condition is not a constant
  bool constantValue(const ast::Expr *expr, uint64_t &value) const;
  bool constantBinary(const ast::Binary *binary, uint64_t &value) const;

  ast::Type &typeSlot(const ast::Node *node) { return analysis_.types[node->id()]; }
  ast::Type *lookupVariable(const std::string &name);

  Analysis &analysis_;
  const std::vector<ProbeSpec> &probes_;
  btf::TypeSource *types_;
  diag::Diagnostics &diags_;
  unsigned loop_depth_ = 0;   // break/continue are allowed inside loops only
  bool typeinfo_warned_ = false; // unstable_typeinfo=warn warns once (checker_typeinfo.cpp)
  bool dw_ustack_warned_ = false; // unstable_dw_ustack=warn warns once (checker_stacks.cpp)
  const std::vector<std::pair<std::string, std::string>> &environment_;
  bool unsafe_ = false; // --unsafe (checker_sys.cpp)
  bool has_cpid_ = false; // -c CMD (checker_task.cpp)
  std::vector<const ProbeSpec *> specs_;                   // attach points of the current probe
  std::vector<std::map<std::string, ast::Type>> scopes_;   // innermost last
  // Variables whose first assignment failed to check: their uses report nothing more.
  std::set<std::string> failed_vars_;
  // Issue 3: structs and unions of the preamble by name ("struct Foo"); how many
  // for-over-map bodies enclose the statement being checked (their callbacks cannot
  // return from the probe).
  std::map<std::string, std::shared_ptr<const ast::RecordType>> script_records_;
  // kfunc_allowed() answers by kfunc and program type: the verifier is asked once each.
  std::map<std::pair<std::string, btf::KfuncProgType>, bool> kfunc_allowed_;
  unsigned for_map_depth_ = 0;
  // Blocks being checked as values (`$x = { ...; v }`, a call of a user function): a
  // `return` there would leave the probe halfway through an expression.
  unsigned value_block_depth_ = 0;
  std::vector<std::string> macro_names_; // for "did you mean" on unknown calls
  const symbols::KernelSymbols *kallsyms_ = nullptr; // kaddr() (checker_stacks.cpp)
};

// "bpftrace", "perf" or "raw" (kstack(mode), the stack_mode config key); false for any
// other word (checker_stacks.cpp).
bool parseStackMode(std::string_view name, ast::StackMode &mode);

// Sets `config` from the script's config block, then from BPFTRACE_* variables in
// `environment` (which win, as in bpftrace). Unknown, renamed and invalid keys and
// variables are reported, not ignored (config.cpp).
void applyConfig(const std::vector<ast::ConfigItem *> &items,
                 const std::vector<std::pair<std::string, std::string>> &environment,
                 Config &config, diag::Diagnostics &diags);

// Whether an unstable feature (`feature`, its key unstable_FEATURE) may be used at
// `where`: Error refuses it there, Warn warns once (sets `warned`), with bpftrace's
// messages (config.cpp).
bool allowUnstable(const std::string &feature, Config::Unstable setting, bool &warned,
                   diag::SourceRange where, diag::Diagnostics &diags);

// Integers are stored (in maps, variables, events) as 64-bit values: int64 unless
// the value is unsigned 64-bit or an unsigned narrower type.
ast::Type widen(const ast::Type &t);

// Whether a value of type `t` can be kept (in a variable, map, tuple or event) and
// printed: scalars, strings, tuples, resolved values, bytes, stacks, symbols and
// arrays of integers (issue 3).
bool storable(const ast::Type &t);

} // namespace scry::sema
