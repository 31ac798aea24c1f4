// Privilege checks before loading. See privileges.h.
#include "driver/privileges.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace scry::driver {

namespace {

constexpr int kCapDacReadSearch = 2;
constexpr int kCapSysAdmin = 21;
constexpr int kCapPerfmon = 38; // kernel 5.8
constexpr int kCapBpf = 39;     // kernel 5.8

bool has(uint64_t caps, int cap) { return (caps >> cap) & 1; }

// The provider of an attach point: the text before its first ':' (BEGIN, END whole).
ast::ProbeKind kindOf(const ast::AttachPoint &point) {
  return ast::lookupProbeKind(point.text.substr(0, point.text.find(':')));
}

const char *kHowTo = "; run scry as root (e.g. with sudo)";

// What a probe kind needs beyond CAP_BPF and CAP_PERFMON.
enum class Extra { None, TracefsAccess, SysAdmin };

Extra extraNeed(ast::ProbeKind kind) {
  switch (kind) {
  case ast::ProbeKind::Tracepoint:
    return Extra::TracefsAccess;
  case ast::ProbeKind::Uprobe:
  case ast::ProbeKind::Uretprobe:
  case ast::ProbeKind::Usdt:
    return Extra::SysAdmin;
  case ast::ProbeKind::Unknown: // reported by sema
  case ast::ProbeKind::Begin:
  case ast::ProbeKind::End:
  case ast::ProbeKind::Interval:
  case ast::ProbeKind::Profile:
  case ast::ProbeKind::Software:
  case ast::ProbeKind::Hardware:
  case ast::ProbeKind::RawTracepoint:
  case ast::ProbeKind::Kprobe:
  case ast::ProbeKind::Kretprobe:
  case ast::ProbeKind::Fentry:
  case ast::ProbeKind::Fexit:
  case ast::ProbeKind::Kfunc:
  case ast::ProbeKind::Kretfunc:
  case ast::ProbeKind::Watchpoint:
  case ast::ProbeKind::Iter:
  case ast::ProbeKind::Self:
    return Extra::None;
  }
  return Extra::None;
}

} // namespace

std::optional<uint64_t> effectiveCapabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  // glibc has no capget() wrapper.
  if (syscall(SYS_capget, &header, data) != 0)
    return std::nullopt;
  return static_cast<uint64_t>(data[0].effective) |
         (static_cast<uint64_t>(data[1].effective) << 32);
}

std::string missingPrivilege(const ast::Program &program, uint64_t caps, unsigned euid) {
  bool admin = has(caps, kCapSysAdmin);
  if (!admin && !has(caps, kCapBpf))
    return "scry needs CAP_BPF (or CAP_SYS_ADMIN) to load BPF programs and maps, and has "
           "neither" + std::string(kHowTo);
  for (const ast::Probe *probe : program.probes) {
    for (const ast::AttachPoint *point : probe->attach_points) {
      const std::string &name = point->text;
      if (!admin && !has(caps, kCapPerfmon))
        return name + " needs CAP_PERFMON (or CAP_SYS_ADMIN), which scry does not have" +
               kHowTo;
      Extra extra = extraNeed(kindOf(*point));
      if (extra == Extra::TracefsAccess && euid != 0 && !has(caps, kCapDacReadSearch))
        return name + " needs CAP_DAC_READ_SEARCH to read /sys/kernel/tracing when not "
                      "running as root" + kHowTo;
      if (extra == Extra::SysAdmin && !admin)
        return name + " needs CAP_SYS_ADMIN, which scry does not have" + kHowTo;
    }
  }
  return "";
}

} // namespace scry::driver
