// Attaching kernel-side probe families: raw tracepoints (tp_btf or raw_tp), perf events
// on every online CPU (profile, software, hardware), kprobes/kretprobes and
// fentry/fexit. See attach_families.h.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "runtime/attach_families.h"
#include "support/unique_fd.h"

namespace scry::runtime {

namespace {

bool fail(AttachError &error, int err, std::string hint = "") {
  error.reason = std::strerror(err);
  error.hint = std::move(hint);
  return false;
}

bool pathExists(const char *path) { return access(path, F_OK) == 0; }

// bpf(BPF_RAW_TRACEPOINT_OPEN) with a BPF cookie (kernel 6.10+; libbpf 1.1 and Debian
// 12's linux/bpf.h predate the field): the link fd, or -errno.
int rawTracepointOpen(int prog_fd, const std::string &name, uint64_t cookie) {
  union {
    struct {
      uint64_t name;
      uint32_t prog_fd;
      uint32_t pad;
      uint64_t cookie;
    } raw_tracepoint;
    char bytes[160];
  } attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.raw_tracepoint.name = reinterpret_cast<uintptr_t>(name.c_str());
  attr.raw_tracepoint.prog_fd = static_cast<uint32_t>(prog_fd);
  attr.raw_tracepoint.cookie = cookie;
  long fd = syscall(SYS_bpf, BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
  return fd < 0 ? -errno : static_cast<int>(fd);
}

} // namespace

bool kernelHasKprobes() {
  return pathExists("/sys/bus/event_source/devices/kprobe") ||
         pathExists("/sys/kernel/tracing/kprobe_events") ||
         pathExists("/sys/kernel/debug/tracing/kprobe_events");
}

std::vector<int> onlineCpus() {
  std::ifstream in("/sys/devices/system/cpu/online");
  std::string text;
  std::getline(in, text);
  std::vector<int> cpus;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(',', pos);
    std::string range = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t dash = range.find('-');
    int lo = std::atoi(range.c_str());
    int hi = dash == std::string::npos ? lo : std::atoi(range.c_str() + dash + 1);
    for (int c = lo; c <= hi; ++c)
      cpus.push_back(c);
    if (end == std::string::npos)
      break;
    pos = end + 1;
  }
  if (cpus.empty())
    cpus.push_back(0);
  return cpus;
}

bool attachRawTracepoint(bpf_program *prog, const object::ProgramDesc &desc,
                         LinkSet &links, AttachError &error) {
  if (desc.has_cookie) { // a raw_tp program shared by tracepoints (probe_groups.h)
    int fd = rawTracepointOpen(bpf_program__fd(prog), desc.target, desc.cookie);
    if (fd < 0)
      return fail(error, -fd);
    links.fds.emplace_back(fd);
    return true;
  }
  // tp_btf programs carry their target from load time; raw_tp ones name it now.
  bpf_link *link = bpf_program__get_type(prog) == BPF_PROG_TYPE_TRACING
                       ? bpf_program__attach_trace(prog)
                       : bpf_program__attach_raw_tracepoint(prog, desc.target.c_str());
  if (!link)
    return fail(error, errno);
  links.links.emplace_back(link);
  return true;
}

bool attachPerfEventOn(bpf_program *prog, perf_event_attr &attr, int pid, int cpu,
                       LinkSet &links, AttachError &error) {
  support::UniqueFd pfd(static_cast<int>(
      syscall(SYS_perf_event_open, &attr, pid, cpu, /*group_fd=*/-1, PERF_FLAG_FD_CLOEXEC)));
  if (!pfd.valid()) {
    error.reason = std::string("perf_event_open: ") + std::strerror(errno);
    return false;
  }
  bpf_link *link = bpf_program__attach_perf_event(prog, pfd.get());
  if (!link)
    return fail(error, errno);
  pfd.release(); // the link closes the perf event fd
  links.links.emplace_back(link);
  return true;
}

bool attachPerfEvent(bpf_program *prog, const object::ProgramDesc &desc, LinkSet &links,
                     AttachError &error) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = desc.perf_type;
  attr.config = desc.perf_config;
  attr.sample_period = desc.perf_period;
  attr.freq = desc.perf_freq ? 1 : 0;
  for (int cpu : onlineCpus()) {
    if (attachPerfEventOn(prog, attr, /*pid=*/-1, cpu, links, error))
      continue;
    if (desc.perf_type == PERF_TYPE_HARDWARE &&
        (error.reason.find(std::strerror(ENOENT)) != std::string::npos ||
         error.reason.find(std::strerror(EOPNOTSUPP)) != std::string::npos))
      error.hint = "this machine has no hardware PMU (no 'cpu' in /sys/bus/event_source/devices, "
                   "as in most VMs); use software:cpu-clock or profile:hz:99 instead";
    return false;
  }
  return true;
}

bool attachKprobe(bpf_program *prog, const object::ProgramDesc &desc,
                  LinkSet &links, AttachError &error) {
  if (!kernelHasKprobes()) {
    error.reason = "this kernel has no kprobes (CONFIG_KPROBES is off: no kprobe PMU in "
                   "/sys/bus/event_source/devices and no kprobe_events in tracefs)";
    error.hint = desc.suggestion.empty()
                     ? "trace the kernel through its tracepoints instead: scry -l 'tracepoint:*'"
                     : "use " + desc.suggestion + " instead (same event, no kprobe needed)";
    return false;
  }
  bpf_kprobe_opts opts{};
  opts.sz = sizeof(opts);
  opts.offset = desc.offset;
  opts.retprobe = desc.is_return;
  bpf_link *link = bpf_program__attach_kprobe_opts(prog, desc.target.c_str(), &opts);
  if (!link)
    return fail(error, errno);
  links.links.emplace_back(link);
  return true;
}

bool attachFentry(bpf_program *prog, const object::ProgramDesc &,
                  LinkSet &links, AttachError &error) {
  bpf_link *link = bpf_program__attach_trace(prog);
  if (!link)
    return fail(error, errno);
  links.links.emplace_back(link);
  return true;
}

} // namespace scry::runtime
