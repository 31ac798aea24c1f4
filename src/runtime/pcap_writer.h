// skboutput()'s file format (issue 5): the classic pcap format with nanosecond
// timestamps (magic 0xa1b23c4d, version 2.4), link type LINKTYPE_RAW (101): each record's
// data starts with the IP header, as it does at skb->data once the kernel has pulled the
// link-layer header (e.g. net:netif_receive_skb); where skb->data is at the Ethernet
// header (net:net_dev_xmit), skboutput's offset 14 skips it. Pure byte formatting and
// decoding, unit-tested without a kernel; runtime/skb_output.h does the I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace scry::runtime {

constexpr uint32_t kPcapMagicNanoseconds = 0xa1b23c4d;
constexpr uint32_t kPcapLinktypeRaw = 101;
constexpr uint32_t kPcapSnaplen = 65535;

// The 24-byte file header, in this machine's byte order (readers detect it by the magic).
std::string pcapFileHeader();

// One record: a 16-byte header (seconds and nanoseconds of `wall_ns`, the bytes
// included, the packet's original length), then `data`.
std::string pcapRecord(uint64_t wall_ns, std::span<const uint8_t> data, uint32_t orig_len);

// A perf sample of skboutput() (object::SkbOutputMeta, then the packet bytes), taken
// apart: the file it is for, when, and the bytes from the script's offset on.
struct SkbSample {
  uint32_t id = 0;
  uint64_t boot_ns = 0;
  std::span<const uint8_t> data; // from the offset to the end of what was copied
  uint32_t orig_len = 0;         // the packet's length from the offset
};
// False when `raw` is too short for what its metadata says follows.
bool decodeSkbSample(std::span<const uint8_t> raw, SkbSample &out);

} // namespace scry::runtime
