// Codegen: the typed AST to a BPF ELF object in memory, through LLVM's IRBuilder and
// BPF backend (triple bpfel, CPU v3), with BTF-defined maps and BTF line info so the
// verifier's complaints point at script lines.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "diag/source.h"
#include "object/object.h"
#include "sema/sema.h"

namespace scry::codegen {

struct Options {
  std::ostream *dump_ir = nullptr;     // -d ir: the IR as generated
  std::ostream *dump_ir_opt = nullptr; // -d ir-opt: the IR after optimisation
  std::ostream *dump_bpf = nullptr;    // -d bpf: the BPF instructions
  // How many CPUs an in-kernel read of a per-CPU map (`@c` of a count()) sums over:
  // the machine's possible CPUs (libbpf_num_possible_cpus()).
  uint32_t possible_cpus = 1;
  // CLOCK_BOOTTIME when scry started (`elapsed` counts from it), and CLOCK_TAI minus
  // CLOCK_BOOTTIME (nsecs(sw_tai) adds it to the boot clock); the driver reads both.
  uint64_t start_boot_ns = 0;
  int64_t tai_offset_ns = 0;
  // -p PID: programs of kernel probes (tracepoint, rawtracepoint, kprobe, fentry and
  // their return probes) return early in other processes, as bpftrace 0.24+ does;
  // -1: no filter. Uprobes and USDT are restricted when attached instead (issue 4).
  int filter_pid = -1;
  // -c CMD: the child's pid, forked (and held) before compiling; 0 without a child
  // (`cpid`, emit_task.cpp).
  uint32_t child_pid = 0;
};

// Returns false with `error` set only for internal failures (LLVM refusing the
// module); every user error was reported by sema.
bool compile(const ast::Program &program, const std::vector<sema::ProbeSpec> &probes,
             const sema::Analysis &analysis, const diag::SourceFile &source,
             const Options &options, object::BpfObject &out, std::string &error);

} // namespace scry::codegen
