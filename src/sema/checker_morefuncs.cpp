// Type checking of bpftrace 0.25's remaining functions: signal_thread(sig), strcap(s),
// memcmp(a, b, n) and unwatch(addr). signal_thread shares signal()'s checks (unsafe,
// probe types, signal names and numbers) in checker_sys.cpp.
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// Bytes memcmp() can compare in a value of type `t`: strings and arrays are compared
// as they are laid out, a buf() from its data (after its length). 0: not comparable.
uint32_t comparableBytes(const Type &t) {
  if (t.isString() || t.isArray())
    return t.size();
  if (t.kind() == ast::TypeKind::Buffer) // its data; a u32 length comes first
    return t.count_of();
  return 0;
}

} // namespace

Type Checker::checkMoreFunc(ast::Call *call) {
  if (call->id == ast::FuncId::SignalThread) {
    checkSignal(call); // bpf_send_signal_thread: the same checks as signal()
    return Type::none();
  }
  if (call->id == ast::FuncId::Strcap) {
    // A compile-time constant, as sizeof: the argument is typed, never evaluated.
    Type t = check(call->args[0]);
    if (t.isNone())
      return t;
    bool char_array = t.isArray() && t.element().isInt() && t.element().bits() == 8;
    if (!t.isString() && !char_array) {
      diags_.error(DiagId::ArgumentType, call->args[0]->range,
                   "strcap() expects a string or a char array (" + t.str() + " provided)")
          .hint(t.isPointer() ? "a pointer has no capacity: strlen(str(p)) is the length of "
                                "the string it points to"
                              : "strcap() is the capacity of a string-like value");
      return Type::none();
    }
    analysis_.constants[call->Node::id()] = t.isString() ? t.size() : t.count_of();
    return Type::integer(64, true);
  }
  if (call->id == ast::FuncId::Memcmp) {
    bool ok = true;
    uint32_t sizes[2] = {0, 0};
    for (size_t i = 0; i < 2; ++i) {
      Type t = check(call->args[i]);
      if (t.isNone()) {
        ok = false;
        continue;
      }
      sizes[i] = comparableBytes(t);
      if (sizes[i] == 0) {
        diags_.error(DiagId::ArgumentType, call->args[i]->range,
                     "memcmp() expects a string, an array or a buffer (" + t.str() + " provided)")
            .hint(t.isPointer() || t.isInt()
                      ? "read the memory first, with str(p) or buf(p, n)"
                      : "memcmp() compares values that are bytes in memory");
        ok = false;
      }
    }
    Type n_type = check(call->args[2]);
    auto *n = ast::dyn_cast<ast::IntegerLit>(call->args[2]);
    if (!n_type.isNone() && !n) {
      diags_.error(DiagId::ArgumentType, call->args[2]->range,
                   "memcmp() expects a non-negative integer literal as its length");
      return Type::none();
    }
    if (!ok || !n)
      return Type::none();
    for (size_t i = 0; i < 2; ++i) {
      if (n->value > sizes[i]) {
        diags_.error(DiagId::ArgumentType, call->args[2]->range,
                     "memcmp() length " + std::to_string(n->value) + " is larger than its " +
                         (i == 0 ? "first" : "second") + " argument (" +
                         std::to_string(sizes[i]) + " bytes)");
        return Type::none();
      }
    }
    return Type::integer(64, true); // as C's: 0 when equal, else the first difference's sign
  }
  // unwatch(addr)
  Type t = check(call->args[0]);
  if (!t.isNone() && !t.isInt() && !t.isPointer())
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "unwatch() expects an integer address (" + t.str() + " provided)")
        .hint("pass the address a watchpoint probe watches, e.g. unwatch(0x601040)");
  return Type::none(); // async: the runtime removes the watchpoint
}

} // namespace scry::sema
