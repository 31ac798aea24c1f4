// What the programs could not record, counted in the kernel (object::kCounter*; codegen
// emit_counters.cpp) and reported here, never dropped silently (issue 7):
//   ring-buffer records with no room   text, on stderr, at most once a second while
//                                        running and once more at exit:
//                                          Lost 12 events
//                                        and at exit, when any was lost:
//                                          WARNING: Total lost event count: 12
//                                      JSON, in the output, for the same reports:
//                                          {"type": "lost_events", "count": 12, "data": {"events": 12}}
//   updates a full map refused           once per map, at exit, before the map dump:
//     WARNING: Map full; can't update element. @m (4096 entries) dropped 7 updates. Try
//     increasing max_map_keys config or manually setting the max entries in a map
//     declaration e.g. `let @m = hash(5000)`
//                                      JSON: {"type": "helper_error", "msg": "Argument list
//     too long", "helper": "map_update_elem", "retcode": -7, "map": "@m", "count": 7}
//   exit() whose record had no room      taken as that exit() (exitRequest()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "object/object.h"
#include "runtime/map_print.h"

struct bpf_object;

namespace scry::runtime {

class DropCounters {
public:
  // Finds the object's counters map; without one every counter reads as zero.
  void open(bpf_object *bpf, const object::BpfObject &object);
  // Reads every slot, summed over the CPUs. Returns false when the map cannot be read.
  bool read();
  uint64_t lostEvents() const { return slot(object::kCounterLostEvents); }
  uint64_t mapDrops(size_t map_index) const {
    return slot(object::kCounterMapDrops + static_cast<uint32_t>(map_index));
  }
  // The code of an exit() whose record was lost, as of the last read().
  std::optional<int64_t> exitRequest() const { return exit_; }

private:
  uint64_t slot(uint32_t index) const { return index < sums_.size() ? sums_[index] : 0; }

  int fd_ = -1;
  uint32_t slots_ = 0;
  int ncpus_ = 0;
  std::vector<uint64_t> sums_;
  std::optional<int64_t> exit_;
};

// The reports above, in text (for stderr) or JSON (for the output). Pure.
std::string lostEventsReport(OutputFormat format, uint64_t count);
std::string totalLostReport(OutputFormat format, uint64_t total); // "" in JSON
std::string mapFullReport(OutputFormat format, const object::MapDesc &map, uint64_t dropped);

} // namespace scry::runtime
