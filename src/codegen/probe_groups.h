// Which attach points share one BPF program. Private to src/codegen; codegen.cpp emits
// one program per group, not one per attach point. Loading (verifying) and, above all,
// detaching are what cost when a wildcard names hundreds of tracepoints (issue 4):
//   Single    one attach point, one program, as before.
//   Cookie    tracepoints of one probe whose body does not depend on which one fired
//             (no `args`, or `args` with the same layout): one program attached to each
//             with a BPF cookie (kernel 5.15+) indexing the table of `probe` names.
//   Syscalls  syscalls:sys_enter_X (or sys_exit_X) tracepoints of one such group, at
//             least kMinRawSyscalls of them: one raw_tp program on sys_enter (sys_exit)
//             that keeps the syscall numbers of the group (a table in .rodata) and
//             rebuilds the tracepoint's record from pt_regs. A raw_tp link detaches in
//             0.1 ms; each perf-event tracepoint link costs the kernel ~73 ms (6.18).
//   UprobeMulti  uprobes (or uretprobes) of one probe: one program, one uprobe_multi
//             link per binary, each function's BPF cookie indexing the names (issue 4).
//   KprobeMulti  kprobes (or kretprobes) of one probe without offsets, split by args
//             layout when the body reads `args`: one program on one kprobe_multi link.
//   RawCookie tracepoints of one probe that do not read `args` and have a raw
//             tracepoint of their name (sema's ProbeSpec::raw_attach): one raw_tp
//             program, a raw tracepoint link with a cookie for each (6.10+). Exiting
//             costs 0.1 ms per link instead of ~73 ms (issue 4).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "object/object.h"
#include "sema/sema.h"

namespace scry::codegen {

enum class GroupMode { Single, Cookie, Syscalls, UprobeMulti, KprobeMulti, RawCookie };

struct ProgramGroup {
  GroupMode mode = GroupMode::Single;
  std::vector<size_t> specs; // indices into the expanded probes, in source order
  bool sys_exit = false;     // Syscalls: sys_exit_X rather than sys_enter_X
  std::vector<uint32_t> nrs; // Syscalls: the x86-64 syscall number of each spec
  bool uses_args = false;    // the body reads `args`
};

// Fewer syscall tracepoints than this stay perf-event tracepoints: a raw_tp program runs
// on every syscall of the system, so it only pays off when it spares several detaches.
inline constexpr size_t kMinRawSyscalls = 4;
// Syscall numbers below this are kept in the raw_tp filter table.
inline constexpr uint32_t kMaxSyscallNr = 512;

class BodyClasses;

// Partitions `probes` into groups; every index appears in exactly one group, and the
// groups are ordered by their first index. With `bodies`, the attach points of probes
// of one class (body_classes.h) are grouped as if they were one probe's.
std::vector<ProgramGroup> groupProbes(const std::vector<sema::ProbeSpec> &probes,
                                      const BodyClasses *bodies = nullptr);

// The ELF section of the group's program: the family's (probe_sections.h) for Single;
// "tracepoint" (targets are named at attach) for Cookie; raw_tp/sys_enter|sys_exit;
// uprobe/uretprobe and kprobe.multi/kretprobe.multi for the multi-links.
std::string groupSection(const ProgramGroup &group, const sema::ProbeSpec &first);
// What the runtime attaches for `group`: one ProgramDesc per attach point naming
// `function` (Single, Cookie), or one ProgramDesc for a Syscalls group (raw_tp) or a
// multi-link group (its `multi` targets).
std::vector<object::ProgramDesc> describeGroup(const ProgramGroup &group,
                                               const std::vector<sema::ProbeSpec> &probes,
                                               const std::string &function);

// The x86-64 number of the syscall whose tracepoints are sys_enter_`name`/sys_exit_`name`
// (tracefs names: newstat is stat's), or -1 when unknown to this build.
int syscallNumber(const std::string &name);
// The x86-64 name of syscall `nr` (the __NR_ macro's), or "" when none is known
// (syscall_name(), emit_task.cpp).
std::string syscallName(uint32_t nr);

} // namespace scry::codegen
