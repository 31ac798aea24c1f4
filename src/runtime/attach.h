// Attaching programs per probe kind, and running BEGIN/END. Every link is owned here:
// destroying an Attachments detaches all it holds, so an early return leaves nothing
// attached. Detaching a tracepoint costs ~73 ms on kernel 6.18 (measured), which is why
// run() prints its output before it detaches.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "object/object.h"

struct bpf_link;
struct bpf_program;

namespace scry::runtime {

struct BpfLinkDestroyer {
  void operator()(bpf_link *link) const;
};
using BpfLinkPtr = std::unique_ptr<bpf_link, BpfLinkDestroyer>;

class Attachments {
public:
  Attachments() = default;
  Attachments(const Attachments &) = delete;
  Attachments &operator=(const Attachments &) = delete;
  ~Attachments() { detachAll(); }

  // Attaches `prog` as `desc` says (Tracepoint or Interval). On failure prints
  // "ERROR: failed to attach probe 'NAME': <reason>" and returns false.
  bool attach(bpf_program *prog, const object::ProgramDesc &desc);
  // Restricts uprobes and USDT probes to process `pid` (-p); -1 (the default): all.
  void setPid(int pid) { pid_ = pid; }
  size_t size() const { return links_.size(); }
  // Detaches in reverse order of attachment.
  void detachAll();

private:
  std::vector<BpfLinkPtr> links_;
  int pid_ = -1;
};

// Runs a BEGIN/END program (a raw_tp program with no target) once, now, in this thread,
// with BPF_PROG_TEST_RUN and an 8-byte zero context. Returns 0 or -errno.
int runOnce(bpf_program *prog);

// Mounts tracefs at /sys/kernel/tracing unless its events directory is already there.
// Returns 0 or -errno.
int ensureTracefs();

// Whether programs of this probe type are attached (as opposed to run once).
bool isAttachable(object::ProbeType type);

} // namespace scry::runtime
