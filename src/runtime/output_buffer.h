// The program's output (printf text, the map dump) on its way to Options::out or
// stdout: whole records are appended and written out together when the poller goes
// idle, so output is neither lost at exit nor interleaved half-written.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace scry::runtime {

class OutputBuffer {
public:
  explicit OutputBuffer(std::ostream &out) : out_(out) {}
  OutputBuffer(const OutputBuffer &) = delete;
  OutputBuffer &operator=(const OutputBuffer &) = delete;
  ~OutputBuffer() { flush(); }

  void append(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kFlushThreshold)
      write();
  }

  // Writes what is pending and flushes the stream (and with it C's stdout for std::cout).
  void flush() {
    write();
    out_.flush();
  }

private:
  static constexpr size_t kFlushThreshold = 64 * 1024;

  void write() {
    if (buffer_.empty())
      return;
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

  std::ostream &out_;
  std::string buffer_;
};

} // namespace scry::runtime
