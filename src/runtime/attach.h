// Attaching programs per probe kind, and running BEGIN/END. Every link is owned here:
// destroying an Attachments detaches all it holds, so an early return leaves nothing
// attached. Detaching a tracepoint costs ~73 ms on kernel 6.18 (measured), which is why
// run() prints its output before it detaches.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "object/object.h"
#include "support/missing_probes.h"
#include "support/unique_fd.h"

struct bpf_link;
struct bpf_program;

namespace scry::runtime {

struct BpfLinkDestroyer {
  void operator()(bpf_link *link) const;
};
using BpfLinkPtr = std::unique_ptr<bpf_link, BpfLinkDestroyer>;

// What one program's attachment made: libbpf links, and link fds made with the bpf()
// syscall directly (uprobe_multi, and raw tracepoints with a BPF cookie, for which
// libbpf 1.1 has no API). Closing either detaches.
struct LinkSet {
  std::vector<BpfLinkPtr> links;
  std::vector<support::UniqueFd> fds;
  size_t size() const { return links.size() + fds.size(); }
};

class Attachments {
public:
  Attachments() = default;
  Attachments(const Attachments &) = delete;
  Attachments &operator=(const Attachments &) = delete;
  ~Attachments() { detachAll(); }

  // Attaches `prog` as `desc` says. On failure reports it as missing_probes says
  // ("ERROR: failed to attach probe 'NAME': <reason>" and hints, a WARNING, or nothing)
  // and returns false; mustStop() tells whether the run has to end.
  bool attach(bpf_program *prog, const object::ProgramDesc &desc);
  // Restricts uprobes and USDT probes to process `pid` (-p); -1 (the default): all.
  void setPid(int pid) { pid_ = pid; }
  void setMissingProbes(support::MissingProbes mode) { missing_ = mode; }
  // Whether a failed attach must end the run (missing_probes=error).
  bool mustStop() const { return missing_ == support::MissingProbes::Error; }
  size_t size() const;
  // The link of the last Iter program attached, or null (attach_iter.cpp reads it).
  bpf_link *iterLink() const { return iter_link_; }
  // Detaches in reverse order of attachment.
  void detachAll();
  // unwatch(address): detaches every watchpoint probe on `address` (the perf events
  // close, which frees their debug registers). Returns how many links it closed.
  size_t unwatch(uint64_t address);

private:
  void report(const object::ProgramDesc &desc, const std::string &reason,
              const std::string &hint) const;

  LinkSet set_;
  // Watchpoint probes' links by watched address, kept apart so unwatch() can close them.
  std::vector<std::pair<uint64_t, LinkSet>> watches_;
  int pid_ = -1;
  support::MissingProbes missing_ = support::MissingProbes::Error;
  bpf_link *iter_link_ = nullptr;
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
