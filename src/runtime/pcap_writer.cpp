// pcap bytes for skboutput(). See pcap_writer.h.
#include "runtime/pcap_writer.h"

#include <algorithm>
#include <cstring>

#include "object/object.h"

namespace scry::runtime {

namespace {

template <typename T> void put(std::string &out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

} // namespace

std::string pcapFileHeader() {
  std::string out;
  put<uint32_t>(out, kPcapMagicNanoseconds);
  put<uint16_t>(out, 2); // version 2.4
  put<uint16_t>(out, 4);
  put<int32_t>(out, 0);  // thiszone: timestamps are UTC
  put<uint32_t>(out, 0); // sigfigs
  put<uint32_t>(out, kPcapSnaplen);
  put<uint32_t>(out, kPcapLinktypeRaw);
  return out;
}

std::string pcapRecord(uint64_t wall_ns, std::span<const uint8_t> data, uint32_t orig_len) {
  std::string out;
  out.reserve(16 + data.size());
  put<uint32_t>(out, static_cast<uint32_t>(wall_ns / 1'000'000'000));
  put<uint32_t>(out, static_cast<uint32_t>(wall_ns % 1'000'000'000));
  put<uint32_t>(out, static_cast<uint32_t>(data.size()));
  put<uint32_t>(out, std::max<uint32_t>(orig_len, static_cast<uint32_t>(data.size())));
  out.append(reinterpret_cast<const char *>(data.data()), data.size());
  return out;
}

bool decodeSkbSample(std::span<const uint8_t> raw, SkbSample &out) {
  object::SkbOutputMeta meta;
  if (raw.size() < sizeof(meta))
    return false;
  std::memcpy(&meta, raw.data(), sizeof(meta));
  // The sample is padded to 8 bytes, so it may be longer than what was copied.
  if (raw.size() - sizeof(meta) < meta.captured)
    return false;
  out.id = meta.id;
  out.boot_ns = meta.boot_ns;
  uint32_t from = std::min(meta.offset, meta.captured);
  out.data = raw.subspan(sizeof(meta) + from, meta.captured - from);
  out.orig_len = meta.packet_len > meta.offset ? meta.packet_len - meta.offset : 0;
  return true;
}

} // namespace scry::runtime
