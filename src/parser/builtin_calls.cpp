// Calls rewritten while parsing: builtins called as functions, and assert() (see
// builtin_calls.h).
#include "parser/builtin_calls.h"

#include "parser/driver.h"

namespace scry::parser {

namespace {

// True when `pid()` means the builtin `pid`: a builtin of that name exists and no
// function of that name does something else without arguments.
bool isBuiltinCall(const std::string &name) {
  if (ast::lookupBuiltin(name) == ast::BuiltinId::Unknown)
    return false;
  // nsecs(), kstack(), ustack() are functions in their own right; pid(ns), tid(ns)
  // and comm(pid) without their argument are the builtins.
  ast::FuncId f = ast::lookupFunction(name);
  return f == ast::FuncId::Unknown || f == ast::FuncId::Pid || f == ast::FuncId::Tid ||
         f == ast::FuncId::CommOf; // comm(pid), bpftrace 0.25 (checker_kfuncs.cpp)
}

// if (!cond) { errorf("assert failed: %s", msg); exit(1); }
ast::Expr *makeAssert(Driver &drv, diag::SourceRange range, ast::Expr *cond, ast::Expr *msg) {
  auto *format = drv.make<ast::StringLit>(range, std::string("assert failed: %s"));
  auto *report = drv.make<ast::Call>(range, std::string("errorf"),
                                     std::vector<ast::Expr *>{format, msg});
  auto *code = drv.make<ast::IntegerLit>(range, uint64_t{1});
  auto *exit = drv.make<ast::Call>(range, std::string("exit"), std::vector<ast::Expr *>{code});
  std::vector<ast::Stmt *> body{drv.make<ast::ExprStmt>(range, report),
                                drv.make<ast::ExprStmt>(range, exit)};
  auto *failed = drv.make<ast::Unary>(cond->range, ast::UnaryOp::LogicalNot, cond);
  auto *check = drv.make<ast::If>(range, failed, drv.make<ast::Block>(range, std::move(body)),
                                  nullptr);
  return drv.make<ast::BlockExpr>(range, std::vector<ast::Stmt *>{check}, nullptr);
}

} // namespace

ast::Expr *makeCall(Driver &drv, diag::SourceRange range, std::string name,
                    std::vector<ast::Expr *> args) {
  if (args.empty() && isBuiltinCall(name))
    return drv.make<ast::Builtin>(range, std::move(name));
  if (name == "assert" && args.size() == 2)
    return makeAssert(drv, range, args[0], args[1]);
  return drv.make<ast::Call>(range, std::move(name), std::move(args));
}

} // namespace scry::parser
