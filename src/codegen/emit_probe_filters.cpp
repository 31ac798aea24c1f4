// Filters at the start of a program, before the predicate (issue 4):
//   -p PID on kernel probes   tracepoint, rawtracepoint, kprobe/kretprobe and
//                              fentry/fexit programs fire in every process; bpftrace
//                              0.24+ makes -p a predicate there (its PidFilterPass), and
//                              so does this: return unless the current tgid is PID.
//                              Uprobes and USDT are attached to the process instead;
//                              profile, interval, software, hardware, watchpoints and
//                              iterators are not filtered, as in bpftrace.
//   iterators                 the kernel calls the program once more after the last
//                              object, with the object pointer (the field after `meta`
//                              in struct bpf_iter__NAME) NULL: that call is skipped.
#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

bool filtersByPid(ast::ProbeKind kind) {
  switch (kind) {
  case ast::ProbeKind::Tracepoint:
  case ast::ProbeKind::RawTracepoint:
  case ast::ProbeKind::Kprobe:
  case ast::ProbeKind::Kretprobe:
  case ast::ProbeKind::Fentry:
  case ast::ProbeKind::Fexit:
  case ast::ProbeKind::Kfunc:
  case ast::ProbeKind::Kretfunc:
    return true;
  case ast::ProbeKind::Unknown:
  case ast::ProbeKind::Begin:
  case ast::ProbeKind::End:
  case ast::ProbeKind::Interval:
  case ast::ProbeKind::Profile:
  case ast::ProbeKind::Software:
  case ast::ProbeKind::Hardware:
  case ast::ProbeKind::Uprobe:
  case ast::ProbeKind::Uretprobe:
  case ast::ProbeKind::Usdt:
  case ast::ProbeKind::Watchpoint:
  case ast::ProbeKind::Iter:
  case ast::ProbeKind::Self:
    break;
  }
  return false;
}

} // namespace

void ProgramEmitter::emitProbeFilters() {
  llvm::Value *skip = nullptr;
  if (s_.filter_pid >= 0 && filtersByPid(spec_.kind)) {
    llvm::Value *tgid = b_.CreateLShr(mb_.callHelper(Helper::GetCurrentPidTgid, mb_.i64(), {}), 32);
    skip = b_.CreateICmpNE(tgid, mb_.constI64(static_cast<uint64_t>(s_.filter_pid)));
  }
  if (spec_.kind == ast::ProbeKind::Iter && spec_.args && spec_.args->fields.size() > 1 &&
      spec_.args->fields[1].type.isPointer()) {
    // A direct load from the context: the verifier allows it at a field's offset.
    uint32_t offset = spec_.args->fields[1].offset;
    llvm::Value *object = b_.CreateLoad(mb_.i64(), offsetPtr(ctx_, offset));
    skip = b_.CreateICmpEQ(object, mb_.constI64(0));
  }
  if (!skip)
    return;
  auto *run = newBlock("filter_pass");
  auto *out = newBlock("filter_skip");
  b_.CreateCondBr(skip, out, run);
  b_.SetInsertPoint(out);
  b_.CreateRet(b_.getInt32(0));
  b_.SetInsertPoint(run);
}

} // namespace scry::codegen
