// typeinfo(expr)'s text (issue 3): the names bpftrace 0.26 gives a type, computed by
// sema for the result's type and by codegen for its bytes (emit_typeinfo.cpp).
#pragma once

#include <string>

#include "ast/type.h"

namespace scry::sema {

// The type's kind, as bpftrace names it: "int", "string", "pointer", "array",
// "c_struct", "tuple", "record", "bool", "buffer", "inet", "count_t", ...
std::string typeinfoBase(const ast::Type &type);
// The whole type: "uint8", "string[6]", "int32 *", "uint8[4]", "struct task_struct",
// "(uint8,string[2])", "record { .a = int64 }".
std::string typeinfoFull(const ast::Type &type);

} // namespace scry::sema
