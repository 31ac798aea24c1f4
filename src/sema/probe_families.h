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

// Reports an attach point that names nothing that exists (a tracepoint, function, symbol
// or USDT probe) as the missing_probes setting says: an error (with `hint`, if any, then
// bpftrace's hint on the setting), a warning, or nothing. The caller drops the attach
// point either way (missing_probes.cpp).
void reportMissing(FamilyContext &ctx, const ProbeSpec &spec, diag::DiagId id,
                   const std::string &message, const std::string &hint = "");

// attach_kfunc.cpp: kprobe/kretprobe, fentry/fexit, kfunc/kretfunc.
void expandKernelFunction(FamilyContext &ctx, ProbeSpec spec,
                          const std::vector<std::string> &parts, std::vector<ProbeSpec> &out);

// The args record of a BTF prototype: parameter i at offset 8*i (the u64 context array
// of tp_btf and fentry programs) or, with `regs`, in its x86-64 pt_regs register (only
// the first six parameters).
std::shared_ptr<const ast::RecordType> argsRecord(const std::string &name,
                                                  const btf::FuncInfo &info, bool regs);

// attach_user.cpp, attach_usdt.cpp
void expandUprobe(FamilyContext &ctx, ProbeSpec spec, std::vector<std::string> parts,
                  std::vector<ProbeSpec> &out);
void expandUsdt(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                std::vector<ProbeSpec> &out);
// attach_uprobe_args.cpp (issue 4): types a uprobe's `args` from the binary's DWARF
// (ProbeSpec::args over the six argument registers, 8 bytes each, in order), or says why
// it cannot (ProbeSpec::args_error, args_unreadable). Errors surface where `args` is used.
void typeUprobeArgs(ProbeSpec &spec);
// The -lv lines of the function at `address` in `path`: its parameters ("int a") or
// none without DWARF.
std::vector<std::string> uprobeArgDecls(const std::string &path, uint64_t address);

// attach_binaries.cpp: the binaries BIN names, as scry reaches them (an error reported
// and nothing returned when there are none): a path, a program on $PATH, a library by
// name, a glob over paths, `*` (every file the -p process, or any process, maps), or ""
// with -p (the process's executable).
std::vector<std::string> targetBinaries(FamilyContext &ctx, const ProbeSpec &spec,
                                        const std::string &bin);

// attach_special.cpp: iter:NAME[:PIN] and watchpoint:ADDR:LEN:MODE.
void expandIter(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                std::vector<ProbeSpec> &out);
void expandWatchpoint(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                      std::vector<ProbeSpec> &out);
// The iterators this kernel has (NAME of each struct bpf_iter__NAME with a bpf_iter_NAME
// function in BTF) matching `glob`, sorted.
std::vector<std::string> iteratorNames(btf::TypeSource &types, const std::string &glob);

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
