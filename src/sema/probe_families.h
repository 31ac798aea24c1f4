// Attach-point expansion of the probe families beyond BEGIN/END, tracepoint and interval
// (attach_points.cpp handles those and calls expandFamily for the rest), plus the tables
// the prober listing (-l) shares with it.
#pragma once

#include <string>
#include <vector>

#include "sema/sema.h"

namespace scry::sema {

struct FamilyContext {
  btf::TypeSource &types;
  diag::Diagnostics &diags;
  const ExpandOptions &options;
};

// Expands `spec` (kind, probe and attach_point set) whose attach point split into
// `parts` (parts[0] the provider as written). Returns false when the kind is not one of
// these families (the caller reports it as unsupported).
bool expandFamily(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                  std::vector<ProbeSpec> &out);

// attach_kfunc.cpp: kprobe/kretprobe, fentry/fexit, kfunc/kretfunc.
void expandKernelFunction(FamilyContext &ctx, ProbeSpec spec,
                          const std::vector<std::string> &parts, std::vector<ProbeSpec> &out);

// The args record of a BTF prototype: parameter i at offset 8*i (the u64 context array
// of tp_btf and fentry programs) or, with `regs`, in its x86-64 pt_regs register (only
// the first six parameters).
std::shared_ptr<const ast::RecordType> argsRecord(const std::string &name,
                                                  const btf::FuncInfo &info, bool regs);

// attach_user.cpp
void expandUprobe(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                  std::vector<ProbeSpec> &out);
void expandUsdt(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                std::vector<ProbeSpec> &out);

enum class PerfKind { Software, Hardware };
struct PerfEventRow {
  PerfKind kind;
  const char *name;
  const char *alias;
  uint64_t config;
  uint64_t default_count;
};
const std::vector<PerfEventRow> &perfEvents();

// The tracepoint (or rawtracepoint) covering what kernel function `func` does, e.g.
// do_sys_openat2 -> "tracepoint:syscalls:sys_enter_openat or ..."; "" when none.
std::string suggestTracepoint(btf::TypeSource &types, const std::string &func, bool is_return);

// x86-64 struct pt_regs offsets of the first six integer arguments and of the return
// value (System V calling convention; kprobes and uprobes see pt_regs).
inline constexpr uint32_t kArgRegOffsets[6] = {112, 104, 96, 88, 72, 64};
inline constexpr uint32_t kRetRegOffset = 80;

} // namespace scry::sema
