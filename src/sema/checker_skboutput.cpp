// Type checking of skboutput(path, skb, length, offset) (bpftrace; issue 5). It writes
// packet data to a pcap file, so like system() it needs --unsafe: a script may not
// otherwise make scry write files (docs/security.md). The kernel's bpf_skb_output takes
// the skb as a BTF-typed `struct sk_buff *` and exists only in tracing programs:
// fentry, fexit and rawtracepoint with BTF (tp_btf).
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

bool isTracingProgram(const ProbeSpec &spec) {
  using ast::ProbeKind;
  return spec.kind == ProbeKind::Fentry || spec.kind == ProbeKind::Fexit ||
         spec.kind == ProbeKind::Kfunc || spec.kind == ProbeKind::Kretfunc ||
         (spec.kind == ProbeKind::RawTracepoint && !spec.raw_tp);
}

} // namespace

Type Checker::checkSkboutput(ast::Call *call) {
  checkUnsafe(call);
  auto *path = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!path) {
    check(call->args[0]);
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "skboutput() expects a string literal as its file path");
  } else if (path->value.empty()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "skboutput() expects a non-empty file path");
  }
  Type skb = check(call->args[1]);
  // A void * (a tracepoint's skbaddr) is left to the verifier, which wants a pointer it
  // knows is an sk_buff.
  bool is_skb = skb.isPointer() && (skb.pointee().isNone() ||
                                    (skb.pointee().isRecord() &&
                                     skb.pointee().recordType().name == "struct sk_buff"));
  if (!skb.isNone() && !is_skb && !skb.isInt())
    diags_.error(DiagId::ArgumentType, call->args[1]->range,
                 "skboutput() expects a struct sk_buff * (" + skb.str() + " provided)");
  for (size_t i : {2, 3}) {
    Type t = check(call->args[i]);
    if (!t.isNone() && !t.isInt())
      diags_.error(DiagId::ArgumentType, call->args[i]->range,
                   std::string("skboutput() expects an integer ") +
                       (i == 2 ? "length" : "offset") + " (" + t.str() + " provided)");
  }
  for (const ProbeSpec *spec : specs_) {
    if (!isTracingProgram(*spec)) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   std::string("skboutput can not be used with \"") +
                       ast::probeKindName(spec->kind) + "\" probes")
          .hint("bpf_skb_output needs a fentry, fexit or rawtracepoint (BTF) probe");
      break;
    }
  }
  // The program clamps the copy to the packet's length (skb->len): the helper fails
  // when asked for more bytes than the packet has. Without kernel BTF (tests) it
  // copies what was asked.
  std::string error;
  if (types_)
    if (auto record = types_->kernelRecord("struct sk_buff", ast::AddrSpace::Kernel, error))
      if (const ast::Field *len = record->find("len"))
        analysis_.constants[call->Node::id()] = len->offset;
  return Type::integer(64, true);
}

} // namespace scry::sema
