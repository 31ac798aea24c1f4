// The runtime: loads a BpfObject with libbpf, runs BEGIN, attaches every probe, polls
// the ring buffer and prints what the programs send, then on exit()/SIGINT/SIGTERM
// runs END, prints the maps and detaches.
#pragma once

#include <iosfwd>

#include "object/object.h"
#include "runtime/map_print.h"

namespace scry::runtime {

// Run: the whole life cycle. VerifyOnly: load every program into the kernel (the
// verifier checks each), attach nothing, run nothing. DryRun: load and attach every
// probe, then detach and exit without running BEGIN/END or polling.
enum class Mode { Run, VerifyOnly, DryRun };

struct Options {
  Mode mode = Mode::Run;
  int pid = -1; // -p: uprobes and USDT probes only fire in this process
  std::ostream *out = nullptr; // program output (printf, maps); stdout when null
  OutputFormat format = OutputFormat::Text; // -f text|json
  bool quiet = false;          // -q: no "Attached N probes"
  bool verbose = false;        // -v: libbpf's own messages and the verifier log
  // When set, printed as a line on stdout once every probe is attached
  // (__BPFTRACE_NOTIFY_PROBES_ATTACHED, for test harnesses).
  const char *notify_attached = nullptr;
};

// Returns the process exit status: exit()'s code, 0 after SIGINT/SIGTERM, 1 when the
// object could not be loaded or a probe could not be attached (with an ERROR line on
// stderr naming the probe and the kernel's reason).
int run(const object::BpfObject &object, const Options &options);

} // namespace scry::runtime
