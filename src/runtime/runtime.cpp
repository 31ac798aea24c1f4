// run(): the runtime's whole life cycle, in order. Load the object; run BEGIN; attach
// the other probes; print what the programs send until exit(), SIGINT or SIGTERM; then
// run END, print its output and the maps, and only then detach (detaching tracepoints
// is the slow part of exiting, ~73 ms each on 6.18).
#include "runtime/runtime.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <vector>

#include "runtime/attach.h"
#include "runtime/iter.h"
#include "runtime/loader.h"
#include "runtime/map_actions.h"
#include "runtime/map_reader.h"
#include "runtime/output_buffer.h"
#include "runtime/poller.h"
#include "runtime/run_watch.h"
#include "runtime/signals.h"
#include "runtime/skb_output.h"
#include "runtime/symbolize.h"
#include "runtime/unwind_tables.h"

namespace scry::runtime {

using object::ProbeType;

namespace {

constexpr int kPollTimeoutMs = 100;
constexpr int kSkbPollTimeoutMs = 10;

struct Program {
  const object::ProgramDesc *desc = nullptr;
  bpf_program *prog = nullptr;
};

bool resolvePrograms(bpf_object *bpf, const object::BpfObject &object,
                     std::vector<Program> &programs) {
  for (const object::ProgramDesc &desc : object.programs) {
    bpf_program *prog = findProgram(bpf, desc);
    if (!prog)
      return false;
    programs.push_back({&desc, prog});
  }
  return true;
}

bool openEvents(bpf_object *bpf, const object::BpfObject &object, EventPoller &poller) {
  if (object.ringbuf_map.empty())
    return true;
  const bpf_map *map = bpf_object__find_map_by_name(bpf, object.ringbuf_map.c_str());
  if (!map) {
    std::cerr << "ERROR: the BPF object has no events map '" << object.ringbuf_map << "'\n";
    return false;
  }
  if (int err = poller.open(bpf_map__fd(map))) {
    std::cerr << "ERROR: map '" << object.ringbuf_map
              << "': cannot open the ring buffer: " << std::strerror(-err) << "\n";
    return false;
  }
  return true;
}

// Runs every BEGIN (or END) program once, in the order of the object's program list.
bool runSpecial(const std::vector<Program> &programs, ProbeType type) {
  for (const Program &program : programs) {
    if (program.desc->type != type)
      continue;
    if (int err = runOnce(program.prog)) {
      std::cerr << "ERROR: failed to run probe '" << program.desc->probe_name
                << "': " << std::strerror(-err) << "\n";
      return false;
    }
  }
  return true;
}

bool hasAttachable(const std::vector<Program> &programs) {
  for (const Program &program : programs)
    if (isAttachable(program.desc->type))
      return true;
  return false;
}

// Attaches every attachable program. Returns false when one failed and missing_probes
// says to stop; `attached` counts the attach points that did attach.
bool attachAll(const std::vector<Program> &programs, Attachments &attachments, size_t &attached) {
  for (const Program &program : programs) {
    if (program.desc->type == ProbeType::Tracepoint) {
      if (int err = ensureTracefs())
        std::cerr << "WARNING: cannot mount tracefs at /sys/kernel/tracing: " << std::strerror(-err)
                  << "\n";
      break;
    }
  }
  attached = 0;
  for (const Program &program : programs) {
    if (!isAttachable(program.desc->type))
      continue;
    if (attachments.attach(program.prog, *program.desc))
      attached += program.desc->attach_points;
    else if (attachments.mustStop())
      return false;
  }
  return true;
}

// "Attached N probes" (bpftrace 0.24+: on stderr, BEGIN and END included), then the test
// harness's notification on stdout.
void announce(size_t count, const Options &options, OutputBuffer &out) {
  if (options.format == OutputFormat::Json)
    ; // written before BEGIN runs (run())
  else if (!options.quiet)
    std::cerr << "Attached " << count << (count == 1 ? " probe" : " probes") << "\n";
  if (options.notify_attached) {
    out.flush();
    std::cout << options.notify_attached << "\n" << std::flush;
  }
}

// Until exit(), SIGINT/SIGTERM, the end of -c's command or -p's process (RunWatch), or
// until the output's reader is gone.
void pollUntilStopped(const std::vector<Program> &programs, EventPoller &poller,
                      OutputBuffer &out, RunWatch &watch, SkbOutput &skb) {
  while (!poller.exited() && !SignalGuard::stopRequested() && !out.failed()) {
    if (SignalGuard::takeUsr1())
      runSpecial(programs, ProbeType::Signal);
    // skboutput()'s perf buffers are read between ring-buffer polls: often, so that a
    // burst of packets does not fill them.
    int err = poller.poll(skb.active() ? kSkbPollTimeoutMs : kPollTimeoutMs);
    skb.consume();
    out.idle();
    if (watch.tick())
      return;
    if (err < 0 && err != -EINTR) {
      std::cerr << "ERROR: polling the events ring buffer failed: " << std::strerror(-err) << "\n";
      return;
    }
  }
}

// The exit sequence. Records already queued when a signal arrived are printed; records
// queued after an exit() record are dropped, as bpftrace stops its output at exit().
int finish(bpf_object *bpf, const object::BpfObject &object, const std::vector<Program> &programs,
           EventPoller &poller, OutputBuffer &out, Attachments &attachments, OutputFormat format,
           RunWatch &watch, SkbOutput &skb) {
  if (!poller.exited())
    poller.consume();
  if (poller.exited()) {
    poller.setMode(EventPoller::Mode::Discard);
    poller.consume();
    poller.setMode(EventPoller::Mode::Print);
  }
  runSpecial(programs, ProbeType::End);
  poller.consume();
  skb.close(); // the pcap files are complete
  watch.finalReport(); // lost events, full maps
  out.append(printExitMaps(format, readMaps(bpf, object)));
  out.flush();
  attachments.detachAll();
  if (out.failed() && out.error() != EPIPE) { // EPIPE: the reader left; end quietly
    std::cerr << "ERROR: writing the output failed: " << std::strerror(out.error()) << "\n";
    return 1;
  }
  if (!poller.exited() && watch.exitCode()) // exit() whose record had no room
    return static_cast<int>(*watch.exitCode());
  return static_cast<int>(poller.exitCode());
}

// Attach points, not programs: one program may serve many (object::ProgramDesc).
size_t probeCount(const std::vector<Program> &programs) {
  size_t n = 0;
  for (const Program &program : programs)
    n += program.desc->attach_points;
  return n;
}

bool hasType(const std::vector<Program> &programs, ProbeType type) {
  for (const Program &program : programs)
    if (program.desc->type == type)
      return true;
  return false;
}

const Program *findType(const std::vector<Program> &programs, ProbeType type) {
  for (const Program &program : programs)
    if (program.desc->type == type)
      return &program;
  return nullptr;
}

// Attach points of the programs that are attached rather than run once.
size_t attachablePoints(const std::vector<Program> &programs) {
  size_t n = 0;
  for (const Program &program : programs)
    if (isAttachable(program.desc->type))
      n += program.desc->attach_points;
  return n;
}

// --verify-only: every program is loaded (so verified) by now. --dry-run: attach every
// probe, say so, detach.
int checkOnly(const std::vector<Program> &programs, const Options &options) {
  if (options.mode == Mode::VerifyOnly) {
    if (!options.quiet)
      std::cerr << "Verified " << probeCount(programs)
                << (probeCount(programs) == 1 ? " probe" : " probes") << ": the kernel accepted every program\n";
    return 0;
  }
  Attachments attachments;
  attachments.setPid(options.pid);
  attachments.setMissingProbes(options.missing_probes);
  size_t attached = 0;
  if (!attachAll(programs, attachments, attached))
    return 1;
  size_t count = probeCount(programs) - attachablePoints(programs) + attached;
  if (!options.quiet)
    std::cerr << "Attached " << count << (count == 1 ? " probe" : " probes")
              << " (dry run: not running them)\n";
  return 0;
}

} // namespace

int run(const object::BpfObject &object, const Options &options) {
  LibbpfLog log(options.verbose, options.verifier_log);
  UnwindTables unwind; // dw_ustack (issue 5)
  bool unwinds = UnwindTables::wanted(object);
  BpfObjectPtr bpf = openAndLoad(object, log, [&](bpf_object *opened) {
    if (unwinds)
      unwind.prepare(opened, object, options.unwind_paths, options.unwind_pids);
  });
  if (!bpf || (unwinds && !unwind.fill(bpf.get(), object, std::cerr)))
    return 1;
  std::vector<Program> programs;
  if (!resolvePrograms(bpf.get(), object, programs))
    return 1;
  OutputBuffer out(options.out ? *options.out : std::cout, options.buffer_mode);
  EventPoller poller(object, out);
  if (!openEvents(bpf.get(), object, poller))
    return 1;
  poller.setFormat(options.format);
  // dw_ustack: the unwinder's view of a process's mappings, then the symboliser's, read
  // after it: a process still starting maps more as it goes, and whatever the unwinder
  // can reach must also be symbolised.
  if (unwinds)
    poller.setPidSeenHandler([&](int pid) {
      unwind.addProcess(pid, std::cerr);
      processSymbolizer().recapturePid(pid);
    });
  poller.setMapActionHandler([&](const EventResult &action) {
    return runMapAction(bpf.get(), object, action, options.format);
  });
  if (options.mode != Mode::Run)
    return checkOnly(programs, options);
  RunWatch watch(object, options, out);
  if (!watch.open(bpf.get()))
    return 1;
  SkbOutput skb; // skboutput()'s files exist from here on
  if (!skb.open(bpf.get(), object, std::cerr))
    return 1;
  SignalGuard signals;
  if (hasType(programs, ProbeType::Signal))
    signals.watchUsr1();
  Attachments attachments;
  attachments.setPid(options.pid);
  attachments.setMissingProbes(options.missing_probes);
  poller.setUnwatchHandler([&](uint64_t address) { attachments.unwatch(address); });
  // JSON: the first line of the output, before anything BEGIN prints, as in bpftrace.
  if (options.format == OutputFormat::Json)
    out.append(printAttachedProbes(probeCount(programs)));
  if (!runSpecial(programs, ProbeType::Begin))
    return 1;
  poller.consume();
  out.flush();
  // After exit() in BEGIN nothing can fire any more: attaching (and detaching) the other
  // probes would only cost time.
  size_t attached = 0;
  if (!poller.exited() && !attachAll(programs, attachments, attached))
    return 1;
  // missing_probes=warn|ignore: what did attach runs; with nothing attached but BEGIN/END
  // the program ends as a BEGIN/END-only one does, and with nothing at all it fails.
  size_t special = probeCount(programs) - attachablePoints(programs);
  bool polling = hasAttachable(programs) && (attached > 0 || poller.exited());
  if (hasAttachable(programs) && !polling && special == 0) {
    std::cerr << "ERROR: Attachment failed for all probes.\n";
    return 1;
  }
  announce(poller.exited() ? probeCount(programs) : special + attached, options, out);
  if (options.observer && !options.observer->start(bpf.get(), object))
    return 1;
  if (!poller.exited() && !watch.start()) // -c's command runs from here on
    return 1;
  // With -c or -p the run lasts as long as that process, probes or not.
  polling = polling || (!poller.exited() && (options.child || options.pid > 0));
  // A program with only BEGIN/END probes ends by itself, as in bpftrace 0.24+.
  if (const Program *iter = findType(programs, ProbeType::Iter); iter && polling) {
    if (!runIterator(attachments, *iter->desc, poller, out)) // attach_iter.cpp
      return 1;
  } else if (polling) {
    pollUntilStopped(programs, poller, out, watch, skb);
  }
  if (options.observer)
    options.observer->stop();
  return finish(bpf.get(), object, programs, poller, out, attachments, options.format, watch,
                skb);
}

} // namespace scry::runtime
