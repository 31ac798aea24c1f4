// Family-dependent builtins: which probe families provide args, argN, retval and func,
// and their types there. See probe_builtins.h.
#include "sema/probe_builtins.h"

#include <algorithm>
#include <cstdlib>

namespace scry::sema {

using ast::ProbeKind;
using ast::Type;
using diag::DiagId;

namespace {

// How many argN a family reads (0: none).
unsigned argSlots(const ProbeSpec &spec) {
  switch (spec.kind) {
  case ProbeKind::Kprobe:
  case ProbeKind::Uprobe:
    return 6; // the x86-64 argument registers
  case ProbeKind::Usdt:
    return 12; // libbpf's BPF_USDT_MAX_ARG_CNT
  case ProbeKind::RawTracepoint:
    return spec.args ? static_cast<unsigned>(spec.args->fields.size()) : 12;
  case ProbeKind::Unknown:
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Tracepoint:
  case ProbeKind::Interval:
  case ProbeKind::Profile:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::Kretprobe:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
  case ProbeKind::Uretprobe:
  case ProbeKind::Watchpoint:
  case ProbeKind::Iter:
  case ProbeKind::Self:
    break;
  }
  return 0;
}

bool hasFunc(const ProbeSpec &spec) {
  return spec.kind == ProbeKind::Kprobe || spec.kind == ProbeKind::Kretprobe ||
         spec.kind == ProbeKind::Fentry || spec.kind == ProbeKind::Fexit ||
         spec.kind == ProbeKind::Uprobe || spec.kind == ProbeKind::Uretprobe ||
         spec.kind == ProbeKind::Usdt;
}

bool hasArgs(const ProbeSpec &spec) {
  return spec.kind == ProbeKind::Tracepoint || spec.kind == ProbeKind::RawTracepoint ||
         spec.kind == ProbeKind::Fentry || spec.kind == ProbeKind::Fexit ||
         spec.kind == ProbeKind::Kprobe || spec.kind == ProbeKind::Uprobe; // uprobe: DWARF
}

Type notAvailable(diag::Diagnostics &diags, const ast::Builtin *b, const std::string &message) {
  diags.error(DiagId::BuiltinNotAvailable, b->range, message);
  return Type::none();
}

} // namespace

namespace {

bool readsArgs(ast::Node *node) {
  if (auto *builtin = ast::dyn_cast<ast::Builtin>(node))
    if (builtin->id == ast::BuiltinId::Args)
      return true;
  bool found = false;
  ast::forEachChild(node, [&](ast::Node *child) { found = found || readsArgs(child); });
  return found;
}

} // namespace

bool probeReadsArgs(const ast::Probe &probe) {
  return (probe.predicate && readsArgs(probe.predicate)) || readsArgs(probe.body);
}

ContextKind contextKind(const ProbeSpec &spec) {
  switch (spec.kind) {
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
  case ProbeKind::Usdt:
    return ContextKind::Regs;
  case ProbeKind::Profile:
  case ProbeKind::Interval:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::Watchpoint:
    return ContextKind::PerfEvent;
  case ProbeKind::Iter:
    return ContextKind::Iter;
  case ProbeKind::Unknown:
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Tracepoint:
  case ProbeKind::RawTracepoint:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
  case ProbeKind::Self:
    break;
  }
  return ContextKind::None;
}

ast::Type ctxType(const ast::Builtin *b, const std::vector<const ProbeSpec *> &specs,
                  btf::TypeSource *types, diag::Diagnostics &diags) {
  if (specs.empty())
    return Type::none();
  ContextKind kind = contextKind(*specs.front());
  for (const ProbeSpec *spec : specs) {
    if (contextKind(*spec) == ContextKind::None)
      return notAvailable(diags, b,
                          "The ctx builtin can only be used with iter, kprobe, uprobe, usdt, "
                          "profile, interval, software, hardware and watchpoint probes (not " +
                              spec->name + ")");
    if (contextKind(*spec) != kind || (kind == ContextKind::Iter && spec->args != specs.front()->args))
      return notAvailable(diags, b, "ctx has a different type in " + spec->name +
                                        " than in " + specs.front()->name);
  }
  std::shared_ptr<const ast::RecordType> record;
  std::string error = "no kernel type information";
  switch (kind) {
  case ContextKind::Iter:
    record = specs.front()->args;
    break;
  case ContextKind::Regs:
    if (types)
      record = types->kernelRecord("struct pt_regs", ast::AddrSpace::Kernel, error);
    break;
  case ContextKind::PerfEvent:
    if (types)
      record = types->kernelRecord("struct bpf_perf_event_data", ast::AddrSpace::Kernel, error);
    break;
  case ContextKind::None:
    break;
  }
  if (!record) // without BTF, ctx is still the context's address
    return Type::integer(64, false);
  return Type::pointer(Type::record(record), ast::AddrSpace::Kernel);
}

unsigned argIndex(const ast::Builtin *builtin) {
  return static_cast<unsigned>(std::strtoul(builtin->name.c_str() + 3, nullptr, 10));
}

ast::Type probeBuiltinType(const ast::Builtin *b, const std::vector<const ProbeSpec *> &specs,
                           diag::Diagnostics &diags) {
  if (specs.empty())
    return Type::none(); // the attach point already failed
  Type result = Type::integer(64, false);
  size_t longest = 0;
  for (const ProbeSpec *spec : specs) {
    if (b->id == ast::BuiltinId::Args) {
      if (!hasArgs(*spec))
        return notAvailable(diags, b,
                            "The args builtin can only be used with tracepoint, rawtracepoint, "
                            "fentry/fexit, kprobe and uprobe probes (" + spec->name +
                                " has none)");
      if (!spec->args && spec->kind == ProbeKind::Uprobe) { // attach_uprobe_args.cpp
        diags.error(DiagId::BuiltinNotAvailable, b->range,
                    spec->name + " has no typed args: " + spec->args_error)
            .hint("arg0-arg5 read the argument registers untyped");
        return Type::none();
      }
      if (!spec->args)
        return notAvailable(diags, b, spec->name + " has no typed args: the kernel's BTF "
                                                    "has no prototype for it; use argN");
      result = Type::record(specs.front()->args);
    } else if (b->id == ast::BuiltinId::ArgN) {
      unsigned slots = argSlots(*spec);
      if (slots == 0)
        return notAvailable(diags, b,
                            "The " + b->name + " builtin can only be used with kprobe, uprobe, "
                            "usdt and rawtracepoint probes (not " + spec->name + ")");
      if (argIndex(b) >= slots)
        return notAvailable(diags, b, spec->name + " has only arg0-arg" +
                                          std::to_string(slots - 1));
    } else if (b->id == ast::BuiltinId::Retval) {
      if (!(spec->kind == ProbeKind::Kretprobe || spec->kind == ProbeKind::Uretprobe ||
            spec->kind == ProbeKind::Fexit))
        return notAvailable(diags, b,
                            "The retval builtin can only be used with kretprobe, uretprobe "
                            "and fexit probes (not " + spec->name + ")");
      if (spec->kind == ProbeKind::Fexit) {
        if (spec->retval.isNone())
          return notAvailable(diags, b, spec->func + " returns void: " + spec->name +
                                            " has no retval");
        result = spec->retval;
      }
    } else if (b->id == ast::BuiltinId::Func) {
      if (!hasFunc(*spec))
        return notAvailable(diags, b,
                            "The func builtin can only be used with kprobe, uprobe, usdt and "
                            "fentry probes (not " + spec->name + ")");
      longest = std::max(longest, spec->func.size());
      result = Type::string(static_cast<uint32_t>(longest + 1));
    }
  }
  return result;
}

} // namespace scry::sema
