// What ends a run besides exit() and signals, and what it must report while it polls
// (issue 7): -c's command ending, -p's process ending, an exit() whose record was lost;
// events the ring buffer had no room for and updates refused by full maps (counted in
// the kernel, reported as counters.h describes).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "runtime/child.h"
#include "runtime/counters.h"
#include "runtime/output_buffer.h"

namespace scry::runtime {

struct Options;

class RunWatch {
public:
  RunWatch(const object::BpfObject &object, const Options &options, OutputBuffer &out);

  // Once the object is loaded: finds its counters, starts watching -p's process.
  // Returns false after printing an ERROR line.
  bool open(bpf_object *bpf);
  // Once every probe is attached: lets -c's command run. false after an ERROR line.
  bool start();
  // Each time the poller comes back: reads the counters and reports new losses (at
  // most once a second). Returns true when the run should end.
  bool tick();
  // The code of an exit() whose record was lost, once tick() has seen it.
  std::optional<int64_t> exitCode() const { return counters_.exitRequest(); }
  // At exit, after END's output: the losses not yet reported, their total, full maps.
  void finalReport();

private:
  void reportLost();

  const object::BpfObject &object_;
  const Options &options_;
  OutputBuffer &out_;
  DropCounters counters_;
  std::unique_ptr<ProcessWatch> pid_watch_;
  uint64_t lost_reported_ = 0;
  std::chrono::steady_clock::time_point last_report_{};
  std::chrono::steady_clock::time_point last_check_{};
};

} // namespace scry::runtime
