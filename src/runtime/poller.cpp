// Ring-buffer consumption with libbpf's ring_buffer API. See poller.h.
#include "runtime/poller.h"

#include <bpf/libbpf.h>
#include <poll.h>
#include <sys/epoll.h>
#include <time.h>

#include <cerrno>
#include <iostream>
#include <span>

#include "runtime/events.h"

namespace scry::runtime {

// Returned by the record callback to make libbpf stop right after the current record
// (libbpf 1.1 commits the consumer position past it first).
constexpr int kStopConsuming = -ECANCELED;

void RingBufferFree::operator()(ring_buffer *rb) const { ring_buffer__free(rb); }

int EventPoller::open(int map_fd) {
  rb_.reset(ring_buffer__new(map_fd, &EventPoller::onRecord, this, nullptr));
  return rb_ ? 0 : -errno;
}

int EventPoller::onRecord(void *ctx, void *data, size_t size) {
  auto *self = static_cast<EventPoller *>(ctx);
  if (self->mode_ == Mode::Discard)
    return 0;
  std::span<const uint8_t> record(static_cast<const uint8_t *>(data), size);
  EventResult result = handleRecord(self->object_, record);
  switch (result.kind) {
  case EventResult::Kind::Printed:
    self->out_.append(printPrintf(self->format_, result.text));
    return 0;
  case EventResult::Kind::Value:
    self->out_.append(printValue(self->format_, result.value));
    return 0;
  case EventResult::Kind::Sys: // what it prints on stderr follows what was printed before
    self->out_.flush();
    self->out_.append(runSysEvent(result.sys, self->format_, std::cerr));
    return 0;
  case EventResult::Kind::MapAction:
    if (self->map_action_)
      self->out_.append(self->map_action_(result));
    return 0;
  case EventResult::Kind::Exit:
    if (!self->exited_)
      self->exit_code_ = result.exit_code;
    self->exited_ = true;
    return kStopConsuming;
  case EventResult::Kind::Malformed:
    std::cerr << "WARNING: dropped a malformed " << result.error << "\n";
    return 0;
  case EventResult::Kind::Noted:
    if (self->pid_seen_ && result.pid > 0)
      self->pid_seen_(result.pid);
    return 0;
  case EventResult::Kind::Unwatch:
    if (self->unwatch_)
      self->unwatch_(result.address);
    return 0;
  }
  return 0;
}

// Batched wake-ups (issue 6). A BPF program's bpf_ringbuf_submit() wakes this process
// only when the ring was empty before its record, i.e. when we had caught up; each
// wake-up costs the traced task an irq_work and a cross-CPU wake-up (several µs in a VM),
// so a consumer that keeps up wakes for nearly every event. Once wake-ups come closer
// than this window, we sleep out the rest of it before consuming: meanwhile the ring is
// not empty, so producers skip the wake-up, and a busy ring costs at most one wake-up
// per window. Events more than a window apart are handled at once, as before. Measured
// with bench/run.sh (printf scenario).
constexpr uint64_t kBatchWindowNs = 1'000'000;

static uint64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + static_cast<uint64_t>(ts.tv_nsec);
}

int EventPoller::poll(int timeout_ms) {
  if (!rb_) {
    if (::poll(nullptr, 0, timeout_ms) < 0)
      return -errno;
    return 0;
  }
  epoll_event event{};
  int ready = epoll_wait(ring_buffer__epoll_fd(rb_.get()), &event, 1, timeout_ms);
  if (ready < 0)
    return -errno;
  if (ready == 0)
    return 0;
  uint64_t now = monotonicNs();
  if (now - last_wake_ns_ < kBatchWindowNs) {
    uint64_t rest = kBatchWindowNs - (now - last_wake_ns_);
    timespec gap{0, static_cast<long>(rest)};
    nanosleep(&gap, nullptr); // a signal cuts it short: fine, we consume at once
    now += rest;
  }
  last_wake_ns_ = now;
  int err = ring_buffer__consume(rb_.get());
  if (err == kStopConsuming && exited_)
    return 0;
  return err < 0 ? err : 0;
}

void EventPoller::consume() {
  if (rb_)
    ring_buffer__consume(rb_.get());
}

} // namespace scry::runtime
