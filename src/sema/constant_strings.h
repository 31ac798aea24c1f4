// Strings known at compile time: literals, and `+` of them, which bpftrace 0.24+ folds
// ("foo" + "bar" is "foobar"; "hello" + 3, a literal and an offset, is "lo"). Sema
// types a folded `+` as a string; codegen stores the folded text.
#pragma once

#include <string>

#include "ast/ast.h"

namespace scry::sema {

// The text of `e` when it is a string literal or a `+` that folds; false otherwise.
bool constantString(const ast::Expr *e, std::string &out);

} // namespace scry::sema
