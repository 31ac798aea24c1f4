// The consumer of the events ring buffer: hands each record to handleRecord() and
// appends what it prints to the output. An Exit record stops consumption right after
// it; in Discard mode records are dropped unread (used after exit(), before END runs).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "object/object.h"
#include "runtime/map_print.h"
#include "runtime/output_buffer.h"

struct ring_buffer;

namespace scry::runtime {

struct EventResult;

struct RingBufferFree {
  void operator()(ring_buffer *rb) const;
};

class EventPoller {
public:
  enum class Mode { Print, Discard };

  EventPoller(const object::BpfObject &object, OutputBuffer &out) : object_(object), out_(out) {}

  // Starts consuming the ring buffer map `map_fd`. Returns 0 or -errno.
  int open(int map_fd);
  bool isOpen() const { return rb_ != nullptr; }

  // Waits up to `timeout_ms` for records and handles those available. Returns 0, or
  // -errno (-EINTR when a signal arrived). Without a ring buffer it just sleeps.
  // Wake-ups are batched: woken again within kBatchWindowNs of the last wake-up, it
  // first sleeps out the window (see poller.cpp).
  int poll(int timeout_ms);
  // Handles the records available now, without waiting.
  void consume();

  void setMode(Mode mode) { mode_ = mode; }
  // How printf and print(value) output is written (text by default).
  void setFormat(OutputFormat format) { format_ = format; }
  // Acts on a MapAction record (print/clear/zero of a map) and returns what to print.
  using MapActionHandler = std::function<std::string(const EventResult &)>;
  void setMapActionHandler(MapActionHandler handler) { map_action_ = std::move(handler); }
  // Acts on an unwatch(address) record: detaches the watchpoints on that address.
  using UnwatchHandler = std::function<void(uint64_t address)>;
  void setUnwatchHandler(UnwatchHandler handler) { unwatch_ = std::move(handler); }
  // A process first seen in a user stack (dw_ustack loads its unwind tables).
  using PidSeenHandler = std::function<void(int pid)>;
  void setPidSeenHandler(PidSeenHandler handler) { pid_seen_ = std::move(handler); }
  // An Exit record has been handled.
  bool exited() const { return exited_; }
  // The code of the first Exit record; 0 when none arrived.
  int64_t exitCode() const { return exit_code_; }

private:
  static int onRecord(void *ctx, void *data, size_t size);

  const object::BpfObject &object_;
  OutputBuffer &out_;
  std::unique_ptr<ring_buffer, RingBufferFree> rb_;
  Mode mode_ = Mode::Print;
  OutputFormat format_ = OutputFormat::Text;
  MapActionHandler map_action_;
  UnwatchHandler unwatch_;
  PidSeenHandler pid_seen_;
  bool exited_ = false;
  int64_t exit_code_ = 0;
  uint64_t last_wake_ns_ = 0; // CLOCK_MONOTONIC of the last wake-up with records (issue 6)
};

} // namespace scry::runtime
