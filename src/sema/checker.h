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
  Checker(Analysis &analysis, const std::vector<ProbeSpec> &probes, diag::Diagnostics &diags)
      : analysis_(analysis), probes_(probes), diags_(diags) {}

  void checkProgram(const ast::Program &program);

private:
  // Statements (checker_stmt.cpp)
  void checkProbe(ast::Probe *probe);
  void checkBlock(ast::Block *block);
  void checkStmt(ast::Stmt *stmt);
  void checkAssignVar(ast::AssignVar *assign);
  void checkAssignMap(ast::AssignMap *assign);
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

  // Calls (checker_calls.cpp)
  // Where a call appears decides what it may be: count() only as a map value,
  // printf() only as a statement.
  enum class CallUse { Statement, MapValue, Value };
  ast::Type checkCall(ast::Call *call, CallUse use);
  void checkPrintf(ast::Call *call);
  ast::Type checkStr(ast::Call *call);

  ast::Type &typeSlot(const ast::Node *node) { return analysis_.types[node->id()]; }
  ast::Type *lookupVariable(const std::string &name);

  Analysis &analysis_;
  const std::vector<ProbeSpec> &probes_;
  diag::Diagnostics &diags_;
  std::vector<const ProbeSpec *> specs_;                   // attach points of the current probe
  std::vector<std::map<std::string, ast::Type>> scopes_;   // innermost last
};

// Integers are stored (in maps, variables, events) as 64-bit values: int64 unless
// the value is unsigned 64-bit or an unsigned narrower type.
ast::Type widen(const ast::Type &t);

} // namespace scry::sema
