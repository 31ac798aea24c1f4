// Type checking of the child, probe type and task builtins (issue 5): cpid, has_cpid,
// probetype, pcomm, leader_comm, leader_tid. The task builtins follow pointers out of
// curtask, so the offsets come from the kernel's BTF here and travel to codegen packed
// in one constant: the pointer field's offset << 32 | the final field's offset.
#include "sema/checker.h"

namespace scry::sema {

using ast::ProbeKind;
using ast::Type;
using diag::DiagId;

namespace {

// Room for the longest x86-64 syscall name (sched_get_priority_max) and signal name
// (SIGRTMIN+16), with the NUL; the widths of codegen's name tables.
constexpr uint32_t kSyscallNameSize = 32;
constexpr uint32_t kSignalNameSize = 16;

// The pointer field of task_struct each task builtin follows, and the field it reads.
struct TaskPath {
  const char *pointer;
  const char *field;
};

TaskPath taskPath(ast::BuiltinId id) {
  if (id == ast::BuiltinId::Pcomm) // 0.26: the parent's comm, as ppid is the parent's pid
    return {"real_parent", "comm"};
  if (id == ast::BuiltinId::LeaderComm)
    return {"group_leader", "comm"};
  return {"group_leader", "pid"}; // leader_tid
}

} // namespace

// bpftrace's probe type names: BEGIN/END are "special", kfunc/kretfunc are the
// fentry/fexit they alias.
const char *probeTypeName(ProbeKind kind) {
  switch (kind) {
  case ProbeKind::Begin:
  case ProbeKind::End:
    return "special";
  case ProbeKind::Kfunc:
    return "fentry";
  case ProbeKind::Kretfunc:
    return "fexit";
  case ProbeKind::Unknown:
  case ProbeKind::Tracepoint:
  case ProbeKind::Interval:
  case ProbeKind::Profile:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::RawTracepoint:
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
  case ProbeKind::Usdt:
  case ProbeKind::Watchpoint:
  case ProbeKind::Iter:
  case ProbeKind::Self:
    break;
  }
  return ast::probeKindName(kind);
}

Type Checker::checkTaskBuiltin(ast::Builtin *b) {
  if (b->id == ast::BuiltinId::HasCpid) { // known now, even when -c's child is not run
    analysis_.constants[b->Node::id()] = has_cpid_ ? 1 : 0;
    return Type::boolean();
  }
  if (b->id == ast::BuiltinId::Cpid) {
    // bpftrace 0.25+: a warning, not an error; the value is then 0.
    if (!has_cpid_)
      diags_.warning(DiagId::BuiltinNotAvailable, b->range,
                     "cpid is 0: no child command was given with -c")
          .hint("check has_cpid before using cpid");
    return Type::integer(32, false);
  }
  if (b->id == ast::BuiltinId::Probetype) {
    // A string sized for the longest name among the probe's attach points.
    size_t longest = 0;
    for (const ProbeSpec *spec : specs_)
      longest = std::max(longest, std::string(probeTypeName(spec->kind)).size());
    return Type::string(static_cast<uint32_t>(longest + 1));
  }
  TaskPath path = taskPath(b->id);
  std::string error = "no kernel type information";
  std::shared_ptr<const ast::RecordType> task;
  if (types_)
    task = types_->kernelRecord("struct task_struct", ast::AddrSpace::Kernel, error);
  const ast::Field *pointer = task ? task->find(path.pointer) : nullptr;
  const ast::Field *field = task ? task->find(path.field) : nullptr;
  bool is_comm = b->id != ast::BuiltinId::LeaderTid;
  bool field_ok = field && (is_comm ? field->type.size() >= 16 : field->type.isInt());
  if (!pointer || !pointer->type.isPointer() || !field_ok) {
    diags_.error(DiagId::BuiltinNotAvailable, b->range,
                 b->name + " needs struct task_struct's " + path.pointer + " and " + path.field +
                     " from the kernel's BTF")
        .hint(task ? "this kernel's task_struct has no such fields" : error);
    return Type::none();
  }
  analysis_.constants[b->Node::id()] = uint64_t{pointer->offset} << 32 | field->offset;
  return is_comm ? Type::string(16) : Type::integer(32, false);
}

// syscall_name(n), signal_name(n): a row of a name table in the program (emit_task.cpp),
// so the value is a plain string wherever strings go.
Type Checker::checkNameFunction(ast::Call *call) {
  Type n = check(call->args[0]);
  if (n.isNone())
    return n;
  if (!n.isInt()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 call->name + "() expects an integer (" + n.str() + " provided)");
    return Type::none();
  }
  return Type::string(call->id == ast::FuncId::SyscallName ? kSyscallNameSize : kSignalNameSize);
}

// kfunc_exist's and kfunc_allowed's argument: a string literal (typed here), or null
// after a located error.
ast::StringLit *Checker::kernelFunctionName(ast::Call *call) {
  auto *name = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!name) {
    check(call->args[0]);
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 call->name + "() expects a string literal naming a kernel function");
    return nullptr;
  }
  analysis_.types[name->Node::id()] = Type::string(static_cast<uint32_t>(name->value.size() + 1));
  return name;
}

// kfunc_exist("name"): whether the kernel's BTF has a function of that name, known at
// compile time (a constant for codegen).
Type Checker::checkKfuncExist(ast::Call *call) {
  auto *name = kernelFunctionName(call);
  if (!name)
    return Type::none();
  btf::FuncInfo info;
  std::string error;
  bool exists = types_ && types_->kernelFunction(name->value, info, error);
  analysis_.constants[call->Node::id()] = exists ? 1 : 0;
  return Type::boolean();
}

} // namespace scry::sema
