// Type checking of the time, process and system builtins and functions: elapsed,
// username, usermode, ppid, sargN, nsecs(clock), time, strftime, cgroupid, cgroup_path, cat,
// join, system, signal (signal_thread too), override, errorf, warnf, debugf. system(),
// signal() and override() act on the machine, so they need --unsafe (docs/security.md).
#include "sema/checker.h"
#include "support/cgroup.h"
#include "support/signal_names.h"

namespace scry::sema {

using ast::ProbeKind;
using ast::Type;
using diag::DiagId;

namespace {

// Probes whose context is the traced task's pt_regs (perf events too: their context
// starts with them), so usermode can read the code segment.
bool hasRegisters(ProbeKind kind) {
  switch (kind) {
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
  case ProbeKind::Usdt:
  case ProbeKind::Profile:
  case ProbeKind::Interval:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::Watchpoint:
    return true;
  case ProbeKind::Unknown:
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Tracepoint:
  case ProbeKind::RawTracepoint:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
  case ProbeKind::Iter:
  case ProbeKind::Self:
    break;
  }
  return false;
}

// Probes that fire in the context of the task they trace, so signal() has someone
// to signal. Timers and counters fire in whatever task is running; BEGIN, END, self
// and iterators run in scry itself.
bool signalsTracedTask(ProbeKind kind) {
  switch (kind) {
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
  case ProbeKind::Usdt:
  case ProbeKind::Profile:
  case ProbeKind::Tracepoint:
  case ProbeKind::RawTracepoint:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
    return true;
  case ProbeKind::Unknown:
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Interval:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::Watchpoint:
  case ProbeKind::Iter:
  case ProbeKind::Self:
    break;
  }
  return false;
}

struct ClockName {
  const char *name;
  ast::Clock clock;
};
constexpr ClockName kClocks[] = {{"boot", ast::Clock::Boot},
                                 {"monotonic", ast::Clock::Monotonic},
                                 {"tai", ast::Clock::Tai},
                                 {"sw_tai", ast::Clock::SwTai}};

} // namespace

bool Checker::checkUnsafe(ast::Call *call) {
  if (unsafe_)
    return true;
  diags_.error(DiagId::UnsafeFunction, call->range,
               call->name + "() is an unsafe function being used in safe mode; run scry with "
                            "--unsafe to allow it")
      .hint(call->id == ast::FuncId::System ? "system() runs a shell command with scry's privileges"
            : call->id == ast::FuncId::Signal
                ? "signal() sends a signal to the traced process"
            : call->id == ast::FuncId::SignalThread
                ? "signal_thread() sends a signal to the traced thread"
            : call->id == ast::FuncId::WriteUser
                ? "write_user() writes into the memory of the traced process"
            : call->id == ast::FuncId::Skboutput
                ? "skboutput() writes packets to a file"
                : "override() changes what the probed kernel function returns");
  return false;
}

Type Checker::checkUsermode(ast::Builtin *b) {
  for (const ProbeSpec *spec : specs_) {
    if (!hasRegisters(spec->kind)) {
      diags_.error(DiagId::BuiltinNotAvailable, b->range,
                   std::string("usermode can not be used with \"") +
                       ast::probeKindName(spec->kind) + "\" probes");
      return Type::none();
    }
  }
  return Type::integer(8, false);
}

Type Checker::checkSarg(ast::Builtin *b) {
  for (const ProbeSpec *spec : specs_) {
    if (spec->kind != ProbeKind::Kprobe && spec->kind != ProbeKind::Uprobe) {
      diags_.error(DiagId::BuiltinNotAvailable, b->range,
                   "The " + b->name + " builtin can only be used with 'kprobes' and 'uprobes' probes");
      return Type::none();
    }
  }
  return Type::integer(64, false);
}

// ppid is curtask->real_parent->tgid: the two offsets come from the kernel's BTF now,
// packed in one constant (real_parent's << 32 | tgid's) for codegen.
Type Checker::checkPpid(ast::Builtin *b) {
  std::string error = "no kernel type information";
  std::shared_ptr<const ast::RecordType> task;
  if (types_)
    task = types_->kernelRecord("struct task_struct", ast::AddrSpace::Kernel, error);
  const ast::Field *parent = task ? task->find("real_parent") : nullptr;
  const ast::Field *tgid = task ? task->find("tgid") : nullptr;
  if (!parent || !tgid || !parent->type.isPointer() || !tgid->type.isInt()) {
    diags_.error(DiagId::BuiltinNotAvailable, b->range,
                 "ppid needs struct task_struct's real_parent and tgid from the kernel's BTF")
        .hint(task ? "this kernel's task_struct has no such fields" : error);
    return Type::none();
  }
  analysis_.constants[b->Node::id()] = uint64_t{parent->offset} << 32 | tgid->offset;
  return Type::integer(32, false);
}

Type Checker::checkNsecs(ast::Call *call) {
  ast::Clock clock = ast::Clock::Boot;
  if (!call->args.empty()) {
    auto *mode = ast::dyn_cast<ast::Builtin>(call->args[0]);
    const ClockName *found = nullptr;
    for (const auto &c : kClocks)
      if (mode && mode->name == c.name)
        found = &c;
    if (!found) {
      std::string given = mode ? mode->name : "an expression";
      diags_.error(DiagId::ArgumentType, call->args[0]->range, "Invalid timestamp mode: " + given)
          .hint("expects: boot, monotonic, tai or sw_tai");
      return Type::integer(64, false); // reported; typed on, so callers add no errors
    }
    clock = found->clock;
  }
  analysis_.constants[call->Node::id()] = static_cast<uint64_t>(clock);
  return Type::integer(64, false);
}

Type Checker::checkCgroupPath(ast::Call *call) {
  Type id = check(call->args[0]);
  std::string filter = "*";
  if (call->args.size() == 2) {
    auto *lit = ast::dyn_cast<ast::StringLit>(call->args[1]);
    check(call->args[1]);
    if (lit)
      filter = lit->value;
    else
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "cgroup_path() expects a string literal as the filter");
  }
  if (!id.isNone() && !id.isInt())
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "cgroup_path() expects an integer cgroup id (" + id.str() + " provided)");
  // Typed even after an error, so that callers add none of their own.
  return Type::resolved({ast::ResolveKind::CgroupPath, filter, ast::Clock::Boot});
}

void Checker::checkSystem(ast::Call *call) {
  checkUnsafe(call);
  checkPrintf(call);
}

void Checker::checkOverride(ast::Call *call) {
  checkUnsafe(call);
  Type rc = check(call->args[0]);
  if (!rc.isNone() && !rc.isInt() && !rc.isBool())
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "override() expects an integer return code (" + rc.str() + " provided)");
  for (const ProbeSpec *spec : specs_) {
    if (spec->kind != ProbeKind::Kprobe) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   "override can only be used with kprobes.")
          .hint(spec->name + " is not a kprobe");
      return;
    }
  }
}

void Checker::checkTime(ast::Call *call) {
  if (call->args.empty())
    return;
  auto *fmt = ast::dyn_cast<ast::StringLit>(call->args[0]);
  Type t = check(call->args[0]);
  if (!fmt)
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "time() expects a string literal as the format (" + t.str() + " provided)");
}

// strftime() and cgroupid() are typed even after an error, so that the calls around
// them add none of their own.
Type Checker::checkStrftime(ast::Call *call) {
  auto *fmt = ast::dyn_cast<ast::StringLit>(call->args[0]);
  check(call->args[0]);
  Type ns = check(call->args[1]);
  // The clock is known when the argument is nsecs(mode) itself; any other integer is
  // taken as boot-clock nanoseconds, nsecs' default.
  ast::Clock clock = ast::Clock::Boot;
  if (auto *inner = ast::dyn_cast<ast::Call>(call->args[1]);
      inner && inner->id == ast::FuncId::Nsecs && analysis_.constants.count(inner->Node::id()))
    clock = static_cast<ast::Clock>(analysis_.constants.at(inner->Node::id()));
  Type result = Type::resolved({ast::ResolveKind::Timestamp, fmt ? fmt->value : "", clock});
  if (!fmt)
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "strftime() expects a string literal as the format");
  if (!ns.isNone() && !ns.isInt())
    diags_.error(DiagId::ArgumentType, call->args[1]->range,
                 "strftime() expects an integer timestamp in nanoseconds (" + ns.str() +
                     " provided)");
  else if (clock == ast::Clock::Monotonic)
    diags_.error(DiagId::ArgumentType, call->args[1]->range,
                 "strftime() can not take a monotonic timestamp")
        .hint("monotonic time does not count suspended time, so it has no date; use "
              "nsecs or nsecs(tai)");
  return result;
}

Type Checker::checkCgroupid(ast::Call *call) {
  auto *path = ast::dyn_cast<ast::StringLit>(call->args[0]);
  check(call->args[0]);
  uint64_t id = 0;
  std::string error;
  if (!path)
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "cgroupid() expects a string literal as the path");
  else if (!support::cgroupId(path->value, id, error))
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "Failed to get cgroupid for path \"" + path->value + "\": " + error)
        .hint("cgroupid() takes a directory of the cgroup v2 hierarchy, e.g. "
              "\"/sys/fs/cgroup/system.slice\"");
  else
    analysis_.constants[call->Node::id()] = id;
  return Type::integer(64, false);
}

void Checker::checkJoin(ast::Call *call) {
  Type arr = check(call->args[0]);
  if (call->args.size() == 2) {
    check(call->args[1]);
    if (!ast::dyn_cast<ast::StringLit>(call->args[1]))
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "join() expects a string literal as the separator");
  }
  if (!arr.isNone() && !arr.isPointer() && !arr.isInt())
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "join() only supports int or pointer arguments (" + arr.str() + " provided)")
        .hint("join() takes the address of a NULL-terminated array of string pointers, "
              "such as args.argv of syscalls:sys_enter_execve");
}

void Checker::checkSignal(ast::Call *call) {
  checkUnsafe(call);
  ast::Expr *arg = call->args[0];
  Type t = check(arg);
  if (auto *name = ast::dyn_cast<ast::StringLit>(arg)) {
    int number = support::signalNumber(name->value);
    if (number == 0)
      diags_.error(DiagId::ArgumentType, arg->range, name->value + " is not a valid signal")
          .hint("name a signal as kill -l does, e.g. \"KILL\" or \"SIGUSR1\"");
    else
      analysis_.constants[call->Node::id()] = static_cast<uint64_t>(number);
  } else if (auto *lit = ast::dyn_cast<ast::IntegerLit>(arg)) {
    if (lit->value < 1 || lit->value > support::kMaxSignal)
      diags_.error(DiagId::ArgumentType, arg->range,
                   std::to_string(lit->value) + " is not a valid signal, allowed range: [1," +
                       std::to_string(support::kMaxSignal) + "]");
  } else if (!t.isNone() && !t.isInt()) {
    diags_.error(DiagId::ArgumentType, arg->range,
                 call->name + " only accepts string literals or integers");
  }
  for (const ProbeSpec *spec : specs_) {
    if (!signalsTracedTask(spec->kind)) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   call->name + " can not be used with \"" +
                       ast::probeKindName(spec->kind) + "\" probes")
          .hint("these probes do not run in the context of a traced process");
      return;
    }
  }
}

void Checker::checkDebugf(ast::Call *call) {
  // bpf_trace_printk takes at most three arguments after the format (bpf-helpers(7)).
  constexpr size_t kMaxPrintkArgs = 3;
  checkPrintf(call);
  if (call->args.size() - 1 > kMaxPrintkArgs) {
    diags_.error(DiagId::ArgumentCount, call->range,
                 "cannot use more than " + std::to_string(kMaxPrintkArgs) +
                     " conversion specifiers");
    return;
  }
  diags_.warning(DiagId::DebugfUse, call->range,
                 "The debugf() builtin is not recommended for production use. For more "
                 "information see bpf_trace_printk in bpf-helpers(7).")
      .hint("its output goes to /sys/kernel/tracing/trace_pipe, not to scry's output");
}

} // namespace scry::sema
