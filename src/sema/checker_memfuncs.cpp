// Type checking of find(), write_user() and socket_cookie() (issue 5; each described at
// its function). find(@m, k, $out) (bpftrace 0.25) is one lookup that both tests for
// the key and copies its value into a variable. The variable is an output: it is not
// read, so it may be undeclared (find declares it) or declared by `let $x;`.
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

Type Checker::checkFind(ast::Call *call) {
  const MapInfo *info = checkMapArg(call, 0, false);
  refuseTseries(call, info);
  if (!info)
    check(call->args[1]);
  else
    checkMapKeyArg(*info, call->args[1], nullptr);
  auto *var = ast::dyn_cast<ast::Variable>(call->args[2]);
  if (!var) { // not evaluated: it is where the value goes
    diags_.error(DiagId::ArgumentType, call->args[2]->range,
                 "find() expects a variable to store the value in")
        .hint("write find(@map, key, $value)");
    return Type::boolean();
  }
  if (!info)
    return Type::boolean();
  // Per-CPU aggregations have one value per CPU, not one to copy.
  if (info->value.isAggregation() || info->value.kind() == ast::TypeKind::Count) {
    if (!(info->value.isAggregation() && info->value.aggKind() == ast::AggKind::TSeries))
      diags_.error(DiagId::ArgumentType, call->args[0]->range,
                   "find() cannot be used on " + info->value.str() + " map " + info->name)
          .hint("read " + info->name + "[key] instead");
    return Type::boolean();
  }
  Type value = widen(info->value);
  Type *existing = lookupVariable(var->name);
  if (!existing) {
    scopes_.back()[var->name] = value;
    typeSlot(var) = value;
    return Type::boolean();
  }
  if (existing->isNone()) { // `let $x;`: find decides, as a first assignment would
    *existing = value;
    typeSlot(var) = value;
    return Type::boolean();
  }
  bool fits = *existing == value || (existing->isInt() && value.isInt()) ||
              (existing->isString() && value.isString() && value.size() <= existing->size());
  if (!fits) {
    diags_.error(DiagId::VariableTypeMismatch, var->range,
                 "Type mismatch for " + var->name + ": " + info->name + " holds values of type '" +
                     value.str() + "' but the variable contains a value of type '" +
                     existing->str() + "'");
    return Type::boolean();
  }
  typeSlot(var) = *existing;
  return Type::boolean();
}

} // namespace scry::sema

namespace scry::sema {

// write_user(dst, src, len) (bpftrace 0.26): bpf_probe_write_user of the first len bytes
// of src's value to the user address dst. It changes the traced process, so it needs
// --unsafe. len is a literal: the helper's length must be a verified constant bound,
// and no more than src's bytes can be written.
void Checker::checkWriteUser(ast::Call *call) {
  checkUnsafe(call);
  Type dst = check(call->args[0]);
  if (!dst.isNone() && !dst.isPointer() && !dst.isInt())
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "write_user() expects a user address as its destination (" + dst.str() +
                     " provided)");
  Type src = check(call->args[1]);
  if (!src.isNone() && !src.isString() && !src.isBytes() && !src.isInt()) {
    diags_.error(DiagId::ArgumentType, call->args[1]->range,
                 "write_user() writes a string, a buffer or an integer (" + src.str() +
                     " provided)");
    return;
  }
  auto *len = ast::dyn_cast<ast::IntegerLit>(call->args[2]);
  if (!len) {
    check(call->args[2]);
    diags_.error(DiagId::ArgumentType, call->args[2]->range,
                 "write_user() expects an integer literal as its length");
    return;
  }
  uint32_t most = src.isNone() ? 0 : src.isInt() ? 8 : src.size();
  if (!src.isNone() && (len->value < 1 || len->value > most))
    diags_.error(DiagId::ArgumentType, call->args[2]->range,
                 "write_user() length must be between 1 and " + std::to_string(most) +
                     ", the size of the value written (" + std::to_string(len->value) +
                     " given)");
}

} // namespace scry::sema

namespace scry::sema {

// socket_cookie(sk) (bpftrace 0.24): bpf_get_socket_cookie of a `struct sock *`. Tracing
// programs (fentry, fexit, BTF raw tracepoints) may call it, and only with a pointer
// the verifier knows is a socket: one read from the probe's BTF-typed arguments.
Type Checker::checkSocketCookie(ast::Call *call) {
  using ast::ProbeKind;
  Type sk = check(call->args[0]);
  if (!sk.isNone() && !(sk.isPointer() && sk.pointee().isRecord() &&
                        sk.pointee().recordType().name == "struct sock")) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "socket_cookie() expects a struct sock * (" + sk.str() + " provided)");
    return Type::integer(64, false);
  }
  for (const ProbeSpec *spec : specs_) {
    bool tracing = spec->kind == ProbeKind::Fentry || spec->kind == ProbeKind::Fexit ||
                   spec->kind == ProbeKind::Kfunc || spec->kind == ProbeKind::Kretfunc ||
                   (spec->kind == ProbeKind::RawTracepoint && !spec->raw_tp);
    if (!tracing) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   std::string("socket_cookie can not be used with \"") +
                       ast::probeKindName(spec->kind) + "\" probes")
          .hint("it needs a fentry, fexit or rawtracepoint (BTF) probe");
      break;
    }
  }
  return Type::integer(64, false);
}

} // namespace scry::sema
