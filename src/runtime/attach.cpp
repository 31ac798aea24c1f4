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

#include "support/unique_fd.h"

namespace scry::runtime {

using object::ProbeType;

void BpfLinkDestroyer::operator()(bpf_link *link) const { bpf_link__destroy(link); }

namespace {

constexpr const char *kTracefs = "/sys/kernel/tracing";

// Returns the link, or null with errno set.
bpf_link *attachTracepoint(bpf_program *prog, const std::string &target) {
  size_t colon = target.find(':');
  if (colon == std::string::npos) {
    errno = EINVAL;
    return nullptr;
  }
  std::string category = target.substr(0, colon);
  std::string event = target.substr(colon + 1);
  return bpf_program__attach_tracepoint(prog, category.c_str(), event.c_str());
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
    return true;
  }
  return false;
}

bool Attachments::attach(bpf_program *prog, const object::ProgramDesc &desc) {
  bpf_link *link = nullptr;
  errno = 0;
  switch (desc.type) {
  case ProbeType::Begin:
  case ProbeType::End:
    return true;
  case ProbeType::Tracepoint:
    link = attachTracepoint(prog, desc.target);
    break;
  case ProbeType::Interval:
    link = attachInterval(prog, desc.period_ns);
    break;
  }
  if (!link) {
    int err = errno ? errno : EINVAL;
    std::cerr << "ERROR: failed to attach probe '" << desc.probe_name << "': " << std::strerror(err)
              << "\n";
    if (desc.type == ProbeType::Tracepoint && (err == EACCES || err == EPERM))
      std::cerr << "HINT: tracepoints need root, or CAP_DAC_READ_SEARCH to read " << kTracefs
                << "\n";
    return false;
  }
  links_.emplace_back(link);
  return true;
}

void Attachments::detachAll() {
  while (!links_.empty())
    links_.pop_back();
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
