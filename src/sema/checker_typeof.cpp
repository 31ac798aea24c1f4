// typeof(expr) as a type (bpftrace 0.25: casts `(typeof($x))e`, declarations
// `let $y: typeof($x)`) and container_of(ptr, T, member), the kernel macro (bpftrace
// HEAD). typeof(T) is T itself and needs nothing here (parser.yy).
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

// The type of typeof's operand, which is checked but never evaluated. A name that is
// no builtin (`typeof(pid_t)`) is taken as a type name.
Type Checker::resolveTypeof(const ast::TypeName &name) {
  if (auto *word = ast::dyn_cast<ast::Builtin>(name.of); word && word->id == ast::BuiltinId::Unknown)
    return resolveTypeName(ast::TypeName{word->name, name.pointers}, word->range);
  Type t = check(name.of);
  if (t.isNone())
    return t;
  if (!(t.isInt() || t.isBool() || t.isPointer() || t.isString() || t.isRecord() ||
        t.isArray() || t.isTuple())) {
    diags_.error(DiagId::UnknownType, name.of->range,
                 "typeof() of a value of type '" + t.str() + "' cannot name a type here");
    return Type::none();
  }
  for (unsigned i = 0; i < name.pointers; ++i)
    t = Type::pointer(t, probeAddrSpace());
  return t;
}

// container_of(ptr, T, member): a T * pointing `offsetof(T, member)` bytes before ptr,
// in ptr's address space. The parser hands over (ptr, offsetof(T, member)).
Type Checker::checkContainerOf(ast::Call *call) {
  Type ptr = check(call->args[0]);
  auto *member = ast::cast<ast::Offsetof>(call->args[1]);
  Type offset = check(member); // checkOffsetof reports unknown types and members
  if (ptr.isNone() || offset.isNone())
    return Type::none();
  if (!ptr.isPointer() && !ptr.isInt()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "container_of() expects a pointer (" + ptr.str() + " provided)");
    return Type::none();
  }
  Type container = resolveTypeName(member->type, member->range);
  if (!container.isRecord()) {
    diags_.error(DiagId::ArgumentType, member->range,
                 "container_of() expects a struct or union type ('" + container.str() +
                     "' provided)");
    return Type::none();
  }
  return Type::pointer(container, ptr.isPointer() ? ptr.addrSpace() : probeAddrSpace());
}

} // namespace scry::sema
