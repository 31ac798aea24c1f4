// assert_str(x) (bpftrace 0.25's stdlib, issue 5): a compile-time check that x is
// string-like, as bpftrace's string helpers require: a string, an array of chars or a
// pointer to chars. x is not evaluated; anything else is a located error at the call,
// worded as bpftrace's.
#include "sema/checker.h"

namespace scry::sema {

namespace {

// A char: bpftrace's int8. Kernel BTF gives `char` no signedness, so scry takes any
// 8-bit integer.
bool charLike(const ast::Type &t) { return t.isInt() && t.bits() == 8; }

} // namespace

void Checker::checkAssertStr(ast::Call *call) {
  ast::Type t = check(call->args[0]);
  if (t.isNone() || t.isString())
    return;
  const char *message = nullptr;
  if (t.isArray())
    message = charLike(t.element()) ? nullptr
                                    : "string-like arrays must contain a char-like type";
  else if (t.isPointer())
    message = charLike(t.pointee()) ? nullptr
                                    : "string-like pointers must point to a char-like type";
  else
    message = "string-like values must be either strings, arrays or pointers";
  if (message)
    diags_.error(diag::DiagId::CompileTimeFailure, call->range, message);
}

} // namespace scry::sema
