// Watchpoints: a perf hardware-breakpoint event (PERF_TYPE_BREAKPOINT) per process or
// per CPU, with the program attached. The breakpoint PMU works without a CPU PMU, so it
// is there in VMs such as the 6.18 Firecracker guest here; kernel exec breakpoints are
// refused (EINVAL) when CONFIG_KPROBES is off. See attach_families.h.
#include <linux/hw_breakpoint.h>

#include <cerrno>
#include <cstring>

#include "runtime/attach_families.h"

namespace scry::runtime {

bool attachWatchpoint(bpf_program *prog, const object::ProgramDesc &desc, int pid,
                      LinkSet &links, AttachError &error) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.bp_type = static_cast<uint32_t>(desc.perf_config);
  attr.bp_addr = desc.offset;
  attr.bp_len = desc.perf_period;
  attr.sample_period = 1; // every access
  bool ok = true;
  if (pid > 0) // a user address in process -p
    ok = attachPerfEventOn(prog, attr, pid, /*cpu=*/-1, links, error);
  else // a kernel address, watched on every CPU
    for (int cpu : onlineCpus())
      if (!(ok = attachPerfEventOn(prog, attr, /*pid=*/-1, cpu, links, error)))
        break;
  if (ok)
    return true;
  if (error.reason.find(std::strerror(ENOSPC)) != std::string::npos)
    error.hint = "every hardware debug register is in use (x86-64 has 4)";
  else if (error.reason.find(std::strerror(EINVAL)) != std::string::npos)
    error.hint = pid > 0 ? "the address must be aligned to the length and mapped in process " +
                               std::to_string(pid)
                         : "without -p the address is a kernel address; kernel exec "
                           "watchpoints need kprobes, which this kernel may lack";
  else if (error.reason.find(std::strerror(ENOENT)) != std::string::npos)
    error.hint = "this kernel has no hardware breakpoint PMU (no 'breakpoint' in "
                 "/sys/bus/event_source/devices)";
  return false;
}

} // namespace scry::runtime
