// Type checking of the functions that call kernel kfuncs or read typed kernel
// variables (ksyms): comm(pid) and percpu_kaddr(name [, cpu]).
//
// The kernel decides per program type which kfuncs a program may call: on 6.18
// bpf_task_from_pid is allowed in tracepoint, perf_event and tracing (fentry, tp_btf,
// iter) programs, and refused ("calling kernel function ... is not allowed") in raw_tp
// (BEGIN/END, self, rawtracepoint without BTF) and kprobe-type (kprobe, uprobe, usdt)
// programs. Refusing those here gives a located error instead of a verifier log.
#include "sema/checker.h"
#include "sema/kfuncs.h"

namespace scry::sema {

using ast::ProbeKind;
using ast::Type;
using diag::DiagId;

namespace {

constexpr uint32_t kCommSize = 16; // TASK_COMM_LEN

// Whether the program type `spec` is emitted as may call the generic kfuncs
// (bpf_task_from_pid, bpf_task_release). Tracepoints that call one are kept out of
// shared raw_tp programs (kfuncs.h).
bool kfuncsAllowed(const ProbeSpec &spec) {
  switch (spec.kind) {
  case ProbeKind::Tracepoint:
  case ProbeKind::Profile:
  case ProbeKind::Interval:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::Watchpoint:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
  case ProbeKind::Iter:
    return true;
  case ProbeKind::RawTracepoint:
    return !spec.raw_tp; // tp_btf is a tracing program, raw_tp is not
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Self:
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
  case ProbeKind::Usdt:
  case ProbeKind::Unknown:
    break;
  }
  return false;
}

bool callsKfuncs(ast::Node *node) {
  if (auto *call = ast::dyn_cast<ast::Call>(node); call && call->id == ast::FuncId::CommOf)
    return true;
  bool found = false;
  ast::forEachChild(node, [&](ast::Node *child) { found = found || callsKfuncs(child); });
  return found;
}

} // namespace

bool probeCallsKfuncs(const ast::Probe &probe) {
  return (probe.predicate && callsKfuncs(probe.predicate)) || callsKfuncs(probe.body);
}

// comm(pid): the comm of process `pid` (bpftrace 0.25), through the kfuncs
// bpf_task_from_pid and bpf_task_release; "" when there is no such process. The
// constant recorded for the call is the offset of task_struct.comm.
Type Checker::checkCommOf(ast::Call *call) {
  ast::Expr *arg = call->args[0];
  Type pid = check(arg);
  if (pid.isNone())
    return Type::none();
  if (!pid.isInt()) {
    diags_.error(DiagId::ArgumentType, arg->range,
                 "comm() expects an integer pid (" + pid.str() + " provided)");
    return Type::none();
  }
  for (const ProbeSpec *spec : specs_) {
    if (kfuncsAllowed(*spec))
      continue;
    diags_.error(DiagId::BuiltinNotAvailable, call->range,
                 std::string("comm(pid) can not be used with \"") +
                     (spec->kind == ProbeKind::RawTracepoint ? "rawtracepoint (raw_tp)"
                                                             : ast::probeKindName(spec->kind)) +
                     "\" probes")
        .hint("the kernel allows the bpf_task_from_pid kfunc only in tracepoint, tp_btf, "
              "fentry, iter and perf-event (profile, interval, software) programs; `comm` "
              "without an argument works everywhere");
    return Type::none();
  }
  std::string error = "no kernel type information";
  btf::FuncInfo info;
  if (!types_ || !types_->kernelFunction("bpf_task_from_pid", info, error)) {
    diags_.error(DiagId::BuiltinNotAvailable, call->range,
                 "comm(pid) needs the kernel's bpf_task_from_pid kfunc (Linux 6.2+)")
        .hint(error);
    return Type::none();
  }
  std::shared_ptr<const ast::RecordType> task =
      types_->kernelRecord("struct task_struct", ast::AddrSpace::Kernel, error);
  const ast::Field *comm = task ? task->find("comm") : nullptr;
  if (!comm) {
    diags_.error(DiagId::BuiltinNotAvailable, call->range,
                 "comm(pid) needs struct task_struct's comm from kernel BTF")
        .hint(error);
    return Type::none();
  }
  analysis_.constants[call->Node::id()] = comm->offset;
  return Type::string(kCommSize);
}

// percpu_kaddr(name [, cpu]): the address of per-CPU kernel variable `name` on `cpu`
// (bpftrace 0.22), or on the current CPU; 0 for a CPU that does not exist. The variable
// is a typed ksym (BTF VAR), since /proc/kallsyms lists no per-CPU data symbols.
Type Checker::checkPercpuKaddr(ast::Call *call) {
  auto *name = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!name) {
    check(call->args[0]);
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "percpu_kaddr() expects a string literal naming a per-CPU kernel variable");
    return Type::none();
  }
  check(name);
  if (call->args.size() == 2) {
    Type cpu = check(call->args[1]);
    if (cpu.isNone())
      return Type::none();
    if (!cpu.isInt()) {
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "percpu_kaddr() expects an integer cpu (" + cpu.str() + " provided)");
      return Type::none();
    }
  }
  std::string shape, error = "no kernel type information";
  if (!types_ || !types_->kernelVariable(name->value, shape, error)) {
    diags_.error(DiagId::SymbolNotFound, call->args[0]->range,
                 "percpu_kaddr(): no kernel variable named '" + name->value + "'")
        .hint(error);
    return Type::none();
  }
  // The verifier resolves a typed ksym's address with kallsyms_lookup_name: a kernel
  // built without CONFIG_KALLSYMS_ALL (6.18 here) has no data symbols there, and
  // /proc/kallsyms shows the same table. An unreadable (empty) table proves nothing.
  const symbols::KernelSymbols &table = kallsyms_ ? *kallsyms_ : symbols::KernelSymbols::system();
  if (!table.empty() && !table.address(name->value)) {
    diags_.error(DiagId::SymbolNotFound, call->args[0]->range,
                 "percpu_kaddr(): the kernel cannot resolve the address of '" + name->value +
                     "'")
        .hint("the kernel finds typed ksyms through kallsyms, which lists no data symbols "
              "when it is built without CONFIG_KALLSYMS_ALL");
    return Type::none();
  }
  analysis_.ksym_shapes[call->Node::id()] = shape;
  return Type::integer(64, false);
}

namespace {

// The program type `spec` is emitted as, for kfunc_allowed().
btf::KfuncProgType progType(const ProbeSpec &spec) {
  switch (spec.kind) {
  case ProbeKind::Tracepoint:
    return btf::KfuncProgType::Tracepoint;
  case ProbeKind::Profile:
  case ProbeKind::Interval:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::Watchpoint:
    return btf::KfuncProgType::PerfEvent;
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
  case ProbeKind::Usdt:
    return btf::KfuncProgType::Kprobe;
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
  case ProbeKind::Iter:
    return btf::KfuncProgType::Tracing;
  case ProbeKind::RawTracepoint:
    return spec.raw_tp ? btf::KfuncProgType::RawTracepoint : btf::KfuncProgType::Tracing;
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Self:
  case ProbeKind::Unknown:
    break;
  }
  return btf::KfuncProgType::RawTracepoint;
}

} // namespace

// kfunc_allowed("name") (bpftrace 0.25): whether this probe may call kfunc `name`,
// known at compile time: the kernel's verifier is asked once per program type
// (btf/kfunc_probe.h), and every attach point of the probe must allow it. false for a
// kfunc the kernel does not have; a warning when the kernel could not be asked.
Type Checker::checkKfuncAllowed(ast::Call *call) {
  auto *name = kernelFunctionName(call); // checker_task.cpp
  if (!name)
    return Type::none();
  btf::FuncInfo info;
  std::string error;
  bool allowed = types_ && types_->kernelFunction(name->value, info, error);
  for (const ProbeSpec *spec : specs_) {
    if (!allowed)
      break;
    auto key = std::make_pair(name->value, progType(*spec));
    auto cached = kfunc_allowed_.find(key);
    if (cached == kfunc_allowed_.end()) {
      bool answer = false;
      if (!types_->kfuncAllowed(name->value, key.second, answer, error))
        diags_.warning(DiagId::ArgumentType, call->range,
                       call->name + "() is false: " + error);
      cached = kfunc_allowed_.emplace(key, answer).first;
    }
    allowed = cached->second;
  }
  analysis_.constants[call->Node::id()] = allowed ? 1 : 0;
  return Type::boolean();
}

} // namespace scry::sema
