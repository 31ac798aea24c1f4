// The type checker: the second half of the semantic pass. Private to src/sema.
// Runs twice over the program: the first run learns every map's type (so a map read
// textually before its assignment is typed) with its diagnostics discarded; the second
// reports. Expressions' types land in Analysis::types.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sema/sema.h"

namespace scry::sema {

class Checker {
public:
  Checker(Analysis &analysis, const std::vector<ProbeSpec> &probes, btf::TypeSource *types,
          diag::Diagnostics &diags,
          const std::vector<std::pair<std::string, std::string>> &environment = {})
      : analysis_(analysis), probes_(probes), types_(types), diags_(diags),
        environment_(environment) {}

  void checkProgram(const ast::Program &program);

private:
  // Statements (checker_stmt.cpp)
  void checkProbe(ast::Probe *probe);
  void checkBlock(ast::Block *block);
  void checkStmt(ast::Stmt *stmt);
  void checkAssignVar(ast::AssignVar *assign);
  void checkAssignMap(ast::AssignMap *assign);
  void checkVarDecl(ast::VarDecl *decl);
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
  ast::Type resolveTypeName(const ast::TypeName &name, ast::SourceRange where);
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
  // Reading `@m` of an aggregation in an expression (bpftrace 0.21+/0.22+ for avg).
  ast::Type checkAggregationRead(ast::MapAccess *map, const ast::Type &value);

  // Map functions (checker_map_funcs.cpp)
  // Argument `index` must name a known map; `keys_allowed` accepts `@m[k]` too.
  const MapInfo *checkMapArg(ast::Call *call, size_t index, bool keys_allowed);
  bool checkMapKeyArg(const MapInfo &info, ast::Expr *key, ast::MapAccess *indexed);
  void checkPrint(ast::Call *call);
  ast::Type checkLen(ast::Call *call);
  ast::Type checkDeleteOrHasKey(ast::Call *call);

  ast::Type &typeSlot(const ast::Node *node) { return analysis_.types[node->id()]; }
  ast::Type *lookupVariable(const std::string &name);

  Analysis &analysis_;
  const std::vector<ProbeSpec> &probes_;
  btf::TypeSource *types_;
  diag::Diagnostics &diags_;
  unsigned loop_depth_ = 0;   // break/continue are allowed inside loops only
  const std::vector<std::pair<std::string, std::string>> &environment_;
  std::vector<const ProbeSpec *> specs_;                   // attach points of the current probe
  std::vector<std::map<std::string, ast::Type>> scopes_;   // innermost last
};

// Sets `config` from the script's config block, then from BPFTRACE_* variables in
// `environment` (which win, as in bpftrace). Unknown, renamed and invalid keys and
// variables are reported, not ignored (config.cpp).
void applyConfig(const std::vector<ast::ConfigItem *> &items,
                 const std::vector<std::pair<std::string, std::string>> &environment,
                 Config &config, diag::Diagnostics &diags);

// Integers are stored (in maps, variables, events) as 64-bit values: int64 unless
// the value is unsigned 64-bit or an unsigned narrower type.
ast::Type widen(const ast::Type &t);

} // namespace scry::sema
