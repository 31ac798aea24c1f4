// The run's watchers and loss reports. See run_watch.h.
#include "runtime/run_watch.h"

#include <iostream>

#include "runtime/runtime.h"

namespace scry::runtime {

namespace {

constexpr auto kReportEvery = std::chrono::seconds(1);
// How often the counters and processes are looked at: the poller may come back
// thousands of times a second under load.
constexpr auto kCheckEvery = std::chrono::milliseconds(100);

} // namespace

RunWatch::RunWatch(const object::BpfObject &object, const Options &options, OutputBuffer &out)
    : object_(object), options_(options), out_(out) {}

bool RunWatch::open(bpf_object *bpf) {
  counters_.open(bpf, object_);
  if (options_.child || options_.pid <= 0)
    return true;
  pid_watch_ = std::make_unique<ProcessWatch>();
  std::string error;
  if (!pid_watch_->open(options_.pid, error)) {
    std::cerr << "ERROR: " << error << "\n";
    return false;
  }
  return true;
}

bool RunWatch::start() {
  if (!options_.child)
    return true;
  std::string error;
  if (!options_.child->resume(error)) {
    std::cerr << "ERROR: cannot run the command given with -c: " << error << "\n";
    return false;
  }
  return true;
}

void RunWatch::reportLost() {
  uint64_t lost = counters_.lostEvents();
  if (lost <= lost_reported_)
    return;
  std::string report = lostEventsReport(options_.format, lost - lost_reported_);
  if (options_.format == OutputFormat::Json)
    out_.append(report);
  else
    std::cerr << report << std::flush;
  lost_reported_ = lost;
  last_report_ = std::chrono::steady_clock::now();
}

bool RunWatch::tick() {
  auto now = std::chrono::steady_clock::now();
  if (now - last_check_ < kCheckEvery)
    return false;
  last_check_ = now;
  counters_.read();
  if (std::chrono::steady_clock::now() - last_report_ >= kReportEvery)
    reportLost();
  if (counters_.exitRequest())
    return true;
  if (options_.child && options_.child->ended())
    return true;
  return pid_watch_ && pid_watch_->ended();
}

void RunWatch::finalReport() {
  if (!counters_.read())
    std::cerr << "WARNING: cannot read the counters of lost events and full maps\n";
  reportLost();
  std::string total = totalLostReport(options_.format, lost_reported_);
  std::cerr << total;
  for (size_t i = 0; i < object_.maps.size(); ++i) {
    uint64_t dropped = counters_.mapDrops(i);
    if (dropped == 0)
      continue;
    std::string report = mapFullReport(options_.format, object_.maps[i], dropped);
    if (options_.format == OutputFormat::Json)
      out_.append(report);
    else
      std::cerr << report;
  }
  std::cerr << std::flush;
}

} // namespace scry::runtime
