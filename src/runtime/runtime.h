// The runtime: loads a BpfObject with libbpf, runs BEGIN, attaches every probe, polls
// the ring buffer and prints what the programs send, then on exit()/SIGINT/SIGTERM
// runs END, prints the maps and detaches.
#pragma once

#include <iosfwd>

#include "object/object.h"
#include "runtime/map_observer.h"
#include "runtime/child.h"
#include "runtime/map_print.h"
#include "runtime/output_buffer.h"
#include "support/missing_probes.h"

namespace scry::runtime {

// Run: the whole life cycle. VerifyOnly: load every program into the kernel (the
// verifier checks each), attach nothing, run nothing. DryRun: load and attach every
// probe, then detach and exit without running BEGIN/END or polling.
enum class Mode { Run, VerifyOnly, DryRun };

struct Options {
  Mode mode = Mode::Run;
  int pid = -1; // -p: uprobes and USDT probes only fire in this process
  // What a probe the kernel refuses to attach means (issue 4): stop, or warn or say
  // nothing and run the probes that did attach.
  support::MissingProbes missing_probes = support::MissingProbes::Error;
  std::ostream *out = nullptr; // program output (printf, maps); stdout when null
  OutputFormat format = OutputFormat::Text; // -f text|json
  bool quiet = false;          // -q: no "Attached N probes"
  bool verbose = false;        // -v: libbpf's own messages and the verifier log
  bool verifier_log = false;   // -d verifier: every program's verifier log, also on success
  // When set, printed as a line on stdout once every probe is attached
  // (__BPFTRACE_NOTIFY_PROBES_ATTACHED, for test harnesses).
  const char *notify_attached = nullptr;
  // Reads the maps while the script runs (--export); started after attaching.
  MapObserver *observer = nullptr;
  // Issue 7: when output is written (-B); -c's command, held until every probe is
  // attached, ending the run when it ends (with `pid` its pid). Without a child, a
  // `pid` (-p) that ends ends the run too.
  BufferMode buffer_mode = BufferMode::Batch;
  ChildProcess *child = nullptr;
  // dw_ustack (issue 5): files whose unwind tables are loaded before anything runs
  // (-c's command and the libraries it needs), and processes whose mapped files are
  // (-p, --dwarf-pid); others are added when first seen in a stack.
  std::vector<std::string> unwind_paths;
  std::vector<int> unwind_pids;
};

// Returns the process exit status: exit()'s code, 0 after SIGINT/SIGTERM, after -c's
// command or -p's process ended, or when the output's reader went away (EPIPE: the
// rest of the output is dropped quietly); 1 when the object could not be loaded, a
// probe could not be attached (with an ERROR line on stderr naming the probe and the
// kernel's reason) or the output could not be written.
int run(const object::BpfObject &object, const Options &options);

} // namespace scry::runtime
