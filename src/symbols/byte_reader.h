// A bounded little-endian reader over untrusted bytes, for the .eh_frame parser and the
// CFA-instruction interpreter (unwind tables, issue 5). Every read checks the bounds: a
// read past the end returns 0 and latches failed(), so a parser can read a whole record
// and test once. Nothing here can loop longer than the bytes it has.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace scry::symbols {

class ByteReader {
public:
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t pos() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool atEnd() const { return pos_ == bytes_.size(); }
  bool failed() const { return failed_; }
  void fail() { failed_ = true; }

  // The next `n` bytes as a span (empty and failed when fewer remain), consumed.
  std::span<const uint8_t> take(uint64_t n) {
    if (n > remaining()) {
      failed_ = true;
      pos_ = bytes_.size();
      return {};
    }
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(uint64_t n) { take(n); }
  // Everything left, consumed.
  std::span<const uint8_t> rest() { return take(remaining()); }

  // A NUL-terminated string, the NUL consumed but not included; failed when the bytes
  // end first.
  std::string_view cstring() {
    size_t start = pos_;
    while (pos_ < bytes_.size() && bytes_[pos_] != 0)
      ++pos_;
    if (pos_ == bytes_.size()) {
      failed_ = true;
      return {};
    }
    std::string_view out(reinterpret_cast<const char *>(bytes_.data() + start), pos_ - start);
    ++pos_;
    return out;
  }

  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  uint16_t u16() { return static_cast<uint16_t>(fixed(2)); }
  uint32_t u32() { return static_cast<uint32_t>(fixed(4)); }
  uint64_t u64() { return fixed(8); }

  // LEB128: bits past the 64th are dropped (a hostile encoding cannot overflow a shift);
  // the loop ends at the first byte without the continuation bit or at the end.
  uint64_t uleb() {
    uint64_t value = 0;
    unsigned shift = 0;
    while (true) {
      uint8_t byte = u8();
      if (failed_)
        return 0;
      if (shift < 64)
        value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80))
        return value;
    }
  }
  int64_t sleb() {
    uint64_t value = 0;
    unsigned shift = 0;
    uint8_t byte = 0;
    do {
      byte = u8();
      if (failed_)
        return 0;
      if (shift < 64)
        value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (shift < 64 && (byte & 0x40))
      value |= ~uint64_t{0} << shift; // sign-extend
    return static_cast<int64_t>(value);
  }

private:
  uint64_t fixed(size_t n) {
    auto b = take(n);
    uint64_t value = 0;
    for (size_t i = b.size(); i-- > 0;)
      value = value << 8 | b[i];
    return value;
  }

  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool failed_ = false;
};

} // namespace scry::symbols
