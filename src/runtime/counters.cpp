// Reading and reporting the counters of what could not be recorded. See counters.h.
#include "runtime/counters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

namespace scry::runtime {

void DropCounters::open(bpf_object *bpf, const object::BpfObject &object) {
  if (object.counters_map.empty())
    return;
  const bpf_map *map = bpf_object__find_map_by_name(bpf, object.counters_map.c_str());
  int ncpus = libbpf_num_possible_cpus();
  if (!map || ncpus < 1)
    return;
  fd_ = bpf_map__fd(map);
  slots_ = bpf_map__max_entries(map);
  ncpus_ = ncpus;
}

bool DropCounters::read() {
  if (fd_ < 0)
    return true;
  std::vector<uint64_t> sums(slots_, 0), copies(static_cast<size_t>(ncpus_));
  std::optional<int64_t> exit;
  for (uint32_t index = 0; index < slots_; ++index) {
    if (bpf_map_lookup_elem(fd_, &index, copies.data()) != 0)
      return false;
    for (int cpu = 0; cpu < ncpus_; ++cpu)
      sums[index] += copies[static_cast<size_t>(cpu)];
    if (index == object::kCounterExitRequested && sums[index] != 0) {
      // The code the first CPU that asked stored alongside.
      uint32_t code_slot = object::kCounterExitCode;
      std::vector<uint64_t> codes(static_cast<size_t>(ncpus_));
      if (bpf_map_lookup_elem(fd_, &code_slot, codes.data()) != 0)
        return false;
      for (int cpu = 0; cpu < ncpus_ && !exit; ++cpu)
        if (copies[static_cast<size_t>(cpu)] != 0)
          exit = static_cast<int64_t>(codes[static_cast<size_t>(cpu)]);
    }
  }
  sums_ = std::move(sums);
  if (exit && !exit_)
    exit_ = exit;
  return true;
}

std::string lostEventsReport(OutputFormat format, uint64_t count) {
  if (format == OutputFormat::Json)
    return printLostEvents(count);
  return "Lost " + std::to_string(count) + " events\n";
}

std::string totalLostReport(OutputFormat format, uint64_t total) {
  if (format == OutputFormat::Json || total == 0)
    return "";
  return "WARNING: Total lost event count: " + std::to_string(total) + "\n";
}

std::string mapFullReport(OutputFormat format, const object::MapDesc &map, uint64_t dropped) {
  if (format == OutputFormat::Json)
    return "{\"type\": \"helper_error\", \"msg\": \"Argument list too long\", \"helper\": "
           "\"map_update_elem\", \"retcode\": -7, \"map\": " +
           jsonString(map.name) + ", \"count\": " + std::to_string(dropped) + "}\n";
  return "WARNING: Map full; can't update element. " + map.name + " (" +
         std::to_string(map.max_entries) + " entries) dropped " + std::to_string(dropped) +
         (dropped == 1 ? " update" : " updates") +
         ". Try increasing max_map_keys config or manually setting the max entries in a map "
         "declaration e.g. `let " + map.name + " = hash(5000)`\n";
}

} // namespace scry::runtime
