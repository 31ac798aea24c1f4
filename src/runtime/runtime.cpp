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
#include "runtime/loader.h"
#include "runtime/map_actions.h"
#include "runtime/map_reader.h"
#include "runtime/output_buffer.h"
#include "runtime/poller.h"
#include "runtime/signals.h"

namespace scry::runtime {

using object::ProbeType;

namespace {

constexpr int kPollTimeoutMs = 100;

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

bool attachAll(const std::vector<Program> &programs, Attachments &attachments) {
  for (const Program &program : programs) {
    if (program.desc->type == ProbeType::Tracepoint) {
      if (int err = ensureTracefs())
        std::cerr << "WARNING: cannot mount tracefs at /sys/kernel/tracing: " << std::strerror(-err)
                  << "\n";
      break;
    }
  }
  for (const Program &program : programs)
    if (isAttachable(program.desc->type) && !attachments.attach(program.prog, *program.desc))
      return false;
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

void pollUntilStopped(const std::vector<Program> &programs, EventPoller &poller,
                      OutputBuffer &out) {
  while (!poller.exited() && !SignalGuard::stopRequested()) {
    if (SignalGuard::takeUsr1())
      runSpecial(programs, ProbeType::Signal);
    int err = poller.poll(kPollTimeoutMs);
    out.flush();
    if (err < 0 && err != -EINTR) {
      std::cerr << "ERROR: polling the events ring buffer failed: " << std::strerror(-err) << "\n";
      return;
    }
  }
}

// The exit sequence. Records already queued when a signal arrived are printed; records
// queued after an exit() record are dropped, as bpftrace stops its output at exit().
int finish(bpf_object *bpf, const object::BpfObject &object, const std::vector<Program> &programs,
           EventPoller &poller, OutputBuffer &out, Attachments &attachments, OutputFormat format) {
  if (!poller.exited())
    poller.consume();
  if (poller.exited()) {
    poller.setMode(EventPoller::Mode::Discard);
    poller.consume();
    poller.setMode(EventPoller::Mode::Print);
  }
  runSpecial(programs, ProbeType::End);
  poller.consume();
  out.append(printExitMaps(format, readMaps(bpf, object)));
  out.flush();
  attachments.detachAll();
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
  if (!attachAll(programs, attachments))
    return 1;
  if (!options.quiet)
    std::cerr << "Attached " << probeCount(programs)
              << (probeCount(programs) == 1 ? " probe" : " probes")
              << " (dry run: not running them)\n";
  return 0;
}

} // namespace

int run(const object::BpfObject &object, const Options &options) {
  LibbpfLog log(options.verbose);
  BpfObjectPtr bpf = openAndLoad(object, log);
  if (!bpf)
    return 1;
  std::vector<Program> programs;
  if (!resolvePrograms(bpf.get(), object, programs))
    return 1;
  OutputBuffer out(options.out ? *options.out : std::cout);
  EventPoller poller(object, out);
  if (!openEvents(bpf.get(), object, poller))
    return 1;
  poller.setFormat(options.format);
  poller.setMapActionHandler([&](const EventResult &action) {
    return runMapAction(bpf.get(), object, action, options.format);
  });
  if (options.mode != Mode::Run)
    return checkOnly(programs, options);
  SignalGuard signals;
  if (hasType(programs, ProbeType::Signal))
    signals.watchUsr1();
  Attachments attachments;
  attachments.setPid(options.pid);
  // JSON: the first line of the output, before anything BEGIN prints, as in bpftrace.
  if (options.format == OutputFormat::Json)
    out.append(printAttachedProbes(probeCount(programs)));
  if (!runSpecial(programs, ProbeType::Begin))
    return 1;
  poller.consume();
  out.flush();
  // After exit() in BEGIN nothing can fire any more: attaching (and detaching) the other
  // probes would only cost time.
  if (!poller.exited() && !attachAll(programs, attachments))
    return 1;
  announce(probeCount(programs), options, out);
  // A program with only BEGIN/END probes ends by itself, as in bpftrace 0.24+.
  if (hasAttachable(programs))
    pollUntilStopped(programs, poller, out);
  return finish(bpf.get(), object, programs, poller, out, attachments, options.format);
}

} // namespace scry::runtime
