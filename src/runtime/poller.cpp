// Ring-buffer consumption with libbpf's ring_buffer API. See poller.h.
#include "runtime/poller.h"

#include <bpf/libbpf.h>
#include <poll.h>

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
  }
  return 0;
}

int EventPoller::poll(int timeout_ms) {
  if (!rb_) {
    if (::poll(nullptr, 0, timeout_ms) < 0)
      return -errno;
    return 0;
  }
  int err = ring_buffer__poll(rb_.get(), timeout_ms);
  if (err == kStopConsuming && exited_)
    return 0;
  return err < 0 ? err : 0;
}

void EventPoller::consume() {
  if (rb_)
    ring_buffer__consume(rb_.get());
}

} // namespace scry::runtime
