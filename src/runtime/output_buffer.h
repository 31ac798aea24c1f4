// The program's output (printf text, the map dump) on its way to Options::out or
// stdout: whole records are appended and written out together, so output is neither
// lost at exit nor interleaved half-written. When it is written follows -B:
//   Batch (default)  when the poller has handled what was queued (within ~100 ms),
//                    and whenever 64 KiB are pending
//   Line             as soon as a record that ends a line is appended
//   None             as soon as any record is appended
//   Full             only when 64 KiB are pending, and at exit
// A write that fails (EPIPE once a reader such as `head` has gone, ENOSPC) is
// remembered: later output is dropped and the run ends (runtime.cpp).
#pragma once

#include <cerrno>
#include <ostream>
#include <string>
#include <string_view>

namespace scry::runtime {

enum class BufferMode { Batch, Line, None, Full };

class OutputBuffer {
public:
  explicit OutputBuffer(std::ostream &out, BufferMode mode = BufferMode::Batch)
      : out_(out), mode_(mode) {}
  OutputBuffer(const OutputBuffer &) = delete;
  OutputBuffer &operator=(const OutputBuffer &) = delete;
  ~OutputBuffer() { flush(); }

  void append(std::string_view text) {
    if (failed_ || text.empty())
      return;
    buffer_.append(text);
    if (buffer_.size() >= kFlushThreshold || mode_ == BufferMode::None ||
        (mode_ == BufferMode::Line && text.find('\n') != std::string_view::npos))
      flush();
  }

  // Writes what is pending and flushes the stream (and with it C's stdout for std::cout).
  void flush() {
    if (failed_)
      return;
    if (!buffer_.empty())
      out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
    out_.flush();
    if (!out_) {
      failed_ = true;
      error_ = errno;
    }
  }

  // The poller went idle: written unless -B full holds it back.
  void idle() {
    if (mode_ != BufferMode::Full)
      flush();
  }

  // A write failed; error() is its errno (EPIPE: the reader went away).
  bool failed() const { return failed_; }
  int error() const { return error_; }

private:
  static constexpr size_t kFlushThreshold = 64 * 1024;

  std::ostream &out_;
  BufferMode mode_;
  std::string buffer_;
  bool failed_ = false;
  int error_ = 0;
};

} // namespace scry::runtime
