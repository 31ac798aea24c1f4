// Attach per probe kind (tracepoint via tracefs, interval via a perf cpu-clock event)
// and BEGIN/END via BPF_PROG_TEST_RUN. See attach.h.
#include "runtime/attach.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "runtime/attach_families.h"
#include "support/limits.h"
#include "support/unique_fd.h"

namespace scry::runtime {

using object::ProbeType;

void BpfLinkDestroyer::operator()(bpf_link *link) const { bpf_link__destroy(link); }

namespace {

constexpr const char *kTracefs = "/sys/kernel/tracing";

// Returns the link, or null with errno set. A program shared by several tracepoints
// (codegen/probe_groups.h) tells them apart by the link's BPF cookie (kernel 5.15+).
bpf_link *attachTracepoint(bpf_program *prog, const std::string &target, bool has_cookie,
                           uint64_t cookie) {
  size_t colon = target.find(':');
  if (colon == std::string::npos) {
    errno = EINVAL;
    return nullptr;
  }
  std::string category = target.substr(0, colon);
  std::string event = target.substr(colon + 1);
  bpf_tracepoint_opts opts{};
  opts.sz = sizeof(opts);
  opts.bpf_cookie = cookie;
  return bpf_program__attach_tracepoint_opts(prog, category.c_str(), event.c_str(),
                                             has_cookie ? &opts : nullptr);
}

// A software cpu-clock perf event on CPU 0 firing every `period_ns`; null with errno set.
bpf_link *attachInterval(bpf_program *prog, uint64_t period_ns) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = period_ns;
  support::UniqueFd pfd(static_cast<int>(
      syscall(SYS_perf_event_open, &attr, /*pid=*/-1, /*cpu=*/0, /*group_fd=*/-1,
              PERF_FLAG_FD_CLOEXEC)));
  if (!pfd.valid())
    return nullptr;
  bpf_link *link = bpf_program__attach_perf_event(prog, pfd.get());
  if (link)
    pfd.release(); // the link owns the perf event fd now and closes it on destroy
  return link;
}

} // namespace

bool isAttachable(ProbeType type) {
  switch (type) {
  case ProbeType::Begin:
  case ProbeType::End:
    return false;
  case ProbeType::Tracepoint:
  case ProbeType::Interval:
  case ProbeType::RawTracepoint:
  case ProbeType::PerfEvent:
  case ProbeType::Kprobe:
  case ProbeType::Fentry:
  case ProbeType::Uprobe:
  case ProbeType::Usdt:
  case ProbeType::Signal: // "attached" by the run loop, which runs it on SIGUSR1
  case ProbeType::UprobeMulti:
  case ProbeType::KprobeMulti:
  case ProbeType::Watchpoint:
  case ProbeType::Iter:
    return true;
  }
  return false;
}

namespace {

// The issue-4 families (attach_kernel.cpp, attach_user.cpp, attach_multi.cpp,
// attach_watch.cpp, attach_iter.cpp); false when `desc` is not one.
bool attachFamily(bpf_program *prog, const object::ProgramDesc &desc, int pid, LinkSet &links,
                  AttachError &error, bool &ok) {
  switch (desc.type) {
  case ProbeType::Begin:
  case ProbeType::End:
  case ProbeType::Tracepoint:
  case ProbeType::Interval:
    return false;
  case ProbeType::Signal:
    ok = true;
    return true;
  case ProbeType::RawTracepoint:
    ok = attachRawTracepoint(prog, desc, links, error);
    return true;
  case ProbeType::PerfEvent:
    ok = attachPerfEvent(prog, desc, links, error);
    return true;
  case ProbeType::Kprobe:
    ok = attachKprobe(prog, desc, links, error);
    return true;
  case ProbeType::Fentry:
    ok = attachFentry(prog, desc, links, error);
    return true;
  case ProbeType::Uprobe:
    ok = attachUprobe(prog, desc, pid, links, error);
    return true;
  case ProbeType::Usdt:
    ok = attachUsdt(prog, desc, pid, links, error);
    return true;
  case ProbeType::UprobeMulti:
    ok = attachUprobeMulti(prog, desc, pid, links, error);
    return true;
  case ProbeType::KprobeMulti:
    ok = attachKprobeMulti(prog, desc, links, error);
    return true;
  case ProbeType::Watchpoint:
    ok = attachWatchpoint(prog, desc, pid, links, error);
    return true;
  case ProbeType::Iter:
    ok = attachIter(prog, desc, links, error);
    return true;
  }
  return false;
}

// The tracepoint and interval families; null with errno set.
bpf_link *attachBasic(bpf_program *prog, const object::ProgramDesc &desc) {
  switch (desc.type) {
  case ProbeType::Tracepoint:
    return attachTracepoint(prog, desc.target, desc.has_cookie, desc.cookie);
  case ProbeType::Interval:
    return attachInterval(prog, desc.period_ns);
  case ProbeType::Begin:
  case ProbeType::End:
  case ProbeType::RawTracepoint:
  case ProbeType::PerfEvent:
  case ProbeType::Kprobe:
  case ProbeType::Fentry:
  case ProbeType::Uprobe:
  case ProbeType::Usdt:
  case ProbeType::Signal:
  case ProbeType::UprobeMulti:
  case ProbeType::KprobeMulti:
  case ProbeType::Watchpoint:
  case ProbeType::Iter:
    break;
  }
  errno = EINVAL;
  return nullptr;
}

} // namespace

bool Attachments::attach(bpf_program *prog, const object::ProgramDesc &desc) {
  if (desc.type == ProbeType::Begin || desc.type == ProbeType::End)
    return true;
  AttachError error;
  bool ok = false;
  size_t before = set_.links.size();
  bool watch = desc.type == ProbeType::Watchpoint; // kept apart, for unwatch()
  LinkSet watch_links;
  if (!attachFamily(prog, desc, pid_, watch ? watch_links : set_, error, ok)) {
    errno = 0;
    bpf_link *link = attachBasic(prog, desc);
    ok = link != nullptr;
    if (link) {
      set_.links.emplace_back(link);
    } else {
      int err = errno ? errno : EINVAL;
      error.reason = std::strerror(err);
      if (err == EMFILE || err == ENFILE)
        error.hint = support::fileLimitText();
      if (desc.type == ProbeType::Tracepoint && (err == EACCES || err == EPERM))
        error.hint = std::string("tracepoints need root, or CAP_DAC_READ_SEARCH to read ") +
                     kTracefs;
    }
  }
  if (!ok) {
    report(desc, error.reason, error.hint);
    return false;
  }
  if (watch)
    watches_.emplace_back(desc.offset, std::move(watch_links));
  if (desc.type == ProbeType::Iter && set_.links.size() > before)
    iter_link_ = set_.links.back().get();
  return true;
}

// bpftrace 0.26's wording for the second line (people grep for it), after scry's
// reason and hints.
void Attachments::report(const object::ProgramDesc &desc, const std::string &reason,
                         const std::string &hint) const {
  switch (missing_) {
  case support::MissingProbes::Error:
    std::cerr << "ERROR: failed to attach probe '" << desc.probe_name << "': " << reason << "\n";
    if (!hint.empty())
      std::cerr << "HINT: " << hint << "\n";
    std::cerr << "HINT: If this is expected, set the 'missing_probes' config variable to "
                 "'warn'.\n";
    return;
  case support::MissingProbes::Warn:
    std::cerr << "WARNING: failed to attach probe '" << desc.probe_name << "': " << reason
              << "\n";
    if (!hint.empty())
      std::cerr << "HINT: " << hint << "\n";
    std::cerr << "WARNING: Unable to attach probe: " << desc.probe_name << ". Skipping.\n";
    return;
  case support::MissingProbes::Ignore:
    return;
  }
}

size_t Attachments::size() const {
  size_t n = set_.size();
  for (const auto &watch : watches_)
    n += watch.second.size();
  return n;
}

size_t Attachments::unwatch(uint64_t address) {
  size_t closed = 0;
  for (auto it = watches_.begin(); it != watches_.end();) {
    if (it->first != address) {
      ++it;
      continue;
    }
    closed += it->second.size();
    it = watches_.erase(it); // the LinkSet's destructor closes the perf events
  }
  return closed;
}

void Attachments::detachAll() {
  iter_link_ = nullptr;
  while (!watches_.empty())
    watches_.pop_back();
  while (!set_.links.empty())
    set_.links.pop_back();
  while (!set_.fds.empty())
    set_.fds.pop_back();
}

int runOnce(bpf_program *prog) {
  uint64_t ctx = 0;
  bpf_test_run_opts opts{};
  opts.sz = sizeof(opts);
  opts.ctx_in = &ctx;
  opts.ctx_size_in = sizeof(ctx);
  int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
  return err < 0 ? err : 0; // libbpf 1.x returns -errno
}

int ensureTracefs() {
  std::string events = std::string(kTracefs) + "/events";
  if (access(events.c_str(), F_OK) == 0)
    return 0;
  if (errno != ENOENT) // there but unreadable (unprivileged): the attach will say so
    return 0;
  if (mount("nodev", kTracefs, "tracefs", 0, nullptr) != 0)
    return -errno;
  return 0;
}

} // namespace scry::runtime
