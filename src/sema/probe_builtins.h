// Type checking of the builtins whose meaning depends on the probe family: args, argN,
// retval and func. Private to src/sema; Checker::checkBuiltin calls it for those ids.
#pragma once

#include <string_view>
#include <vector>

#include "sema/sema.h"

namespace scry::sema {

// The type of `builtin` in a probe with attach points `specs`, or none after reporting
// why the probe family cannot provide it (BuiltinNotAvailable, located at the builtin).
ast::Type probeBuiltinType(const ast::Builtin *builtin, const std::vector<const ProbeSpec *> &specs,
                           diag::Diagnostics &diags);

// Whether `probe`'s predicate or body reads `args` (macros are expanded by then).
// Expansion reads tracepoint formats only for such probes; codegen shares programs
// between tracepoints whose args differ only when they are not read.
bool probeReadsArgs(const ast::Probe &probe);

// What a probe family's program context is, for `ctx` and reg().
enum class ContextKind {
  None,      // BEGIN/END, tracepoints, raw tracepoints, fentry: no ctx, no reg()
  Regs,      // struct pt_regs: kprobe, kretprobe, uprobe, uretprobe, usdt
  PerfEvent, // struct bpf_perf_event_data, pt_regs first: profile, interval, software,
             // hardware, watchpoint
  Iter,      // struct bpf_iter__NAME: iter
};
ContextKind contextKind(const ProbeSpec &spec);

// The type of `ctx`: a pointer to the iterator's struct bpf_iter__NAME (iter), to
// struct pt_regs (kprobe, uprobe, usdt) or to struct bpf_perf_event_data (profile,
// interval, software, hardware, watchpoint), all kernel memory; none after reporting
// other families (issue 4).
ast::Type ctxType(const ast::Builtin *builtin, const std::vector<const ProbeSpec *> &specs,
                  btf::TypeSource *types, diag::Diagnostics &diags);

// The offset in x86-64 struct pt_regs of register `name` ("ip", "sp", "di", ... as in
// bpftrace), or -1 for an unknown name (checker_probe_funcs.cpp).
int regOffset(std::string_view name);

// The N of "argN" (the name is validated by lookupBuiltin).
unsigned argIndex(const ast::Builtin *builtin);

} // namespace scry::sema
