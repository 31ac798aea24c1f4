// Calls the parser rewrites as it builds them (bpftrace 0.24-0.26 semantics), so every
// later pass sees ordinary nodes. Private to the front end.
#pragma once

#include <string>
#include <vector>

#include "ast/ast.h"

namespace scry::parser {

struct Driver;

// `name(args)`: a Call, except
// - a builtin called with no arguments (`pid()`, `comm()`, `arg0()`): the builtin
//   itself, as bpftrace 0.24 made every builtin callable (#4420); functions of the same
//   name that take no argument (nsecs(), kstack()) stay calls;
// - `assert(cond, msg)`: `if (!cond) { errorf("assert failed: %s", msg); exit(1); }`,
//   bpftrace's stdlib macro, with the errorf located at the assert. With another
//   number of arguments it stays a call, for sema to report.
ast::Expr *makeCall(Driver &drv, diag::SourceRange range, std::string name,
                    std::vector<ast::Expr *> args);

} // namespace scry::parser
