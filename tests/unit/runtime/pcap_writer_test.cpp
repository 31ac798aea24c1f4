// skboutput()'s pcap bytes (issue 5): the file header, a record's
// header, and the perf samples the programs send taken apart, offsets and truncation.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "object/object.h"
#include "runtime/pcap_writer.h"

namespace scry::runtime {
namespace {

template <typename T> T at(const std::string &bytes, size_t offset) {
  T v;
  std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

TEST(PcapWriter, FileHeaderIsNanosecondRawIp) {
  std::string h = pcapFileHeader();
  ASSERT_EQ(h.size(), 24u);
  EXPECT_EQ(at<uint32_t>(h, 0), 0xa1b23c4du);
  EXPECT_EQ(at<uint16_t>(h, 4), 2u);
  EXPECT_EQ(at<uint16_t>(h, 6), 4u);
  EXPECT_EQ(at<uint32_t>(h, 8), 0u);
  EXPECT_EQ(at<uint32_t>(h, 16), 65535u);
  EXPECT_EQ(at<uint32_t>(h, 20), 101u); // LINKTYPE_RAW
}

TEST(PcapWriter, RecordHeaderAndData) {
  const uint8_t data[] = {0x45, 0, 0, 3};
  std::string r = pcapRecord(1'700'000'000'123'456'789ULL, data, 60);
  ASSERT_EQ(r.size(), 20u);
  EXPECT_EQ(at<uint32_t>(r, 0), 1'700'000'000u);
  EXPECT_EQ(at<uint32_t>(r, 4), 123'456'789u);
  EXPECT_EQ(at<uint32_t>(r, 8), 4u);
  EXPECT_EQ(at<uint32_t>(r, 12), 60u);
  EXPECT_EQ(r.substr(16), std::string("\x45\0\0\3", 4));
  // The original length is never less than what was captured.
  EXPECT_EQ(at<uint32_t>(pcapRecord(0, data, 0), 12), 4u);
}

std::vector<uint8_t> sample(uint32_t id, uint32_t offset, uint32_t packet_len,
                            const std::string &bytes, size_t padding = 0) {
  object::SkbOutputMeta meta{id, offset, packet_len, static_cast<uint32_t>(bytes.size()), 42};
  std::vector<uint8_t> out(sizeof(meta) + bytes.size() + padding);
  std::memcpy(out.data(), &meta, sizeof(meta));
  std::memcpy(out.data() + sizeof(meta), bytes.data(), bytes.size());
  return out;
}

std::string text(std::span<const uint8_t> data) {
  return std::string(reinterpret_cast<const char *>(data.data()), data.size());
}

TEST(PcapWriter, DecodesASampleFromTheOffset) {
  auto raw = sample(1, 2, 100, "ethpayload", 6); // perf pads samples to 8 bytes
  SkbSample s;
  ASSERT_TRUE(decodeSkbSample(raw, s));
  EXPECT_EQ(s.id, 1u);
  EXPECT_EQ(s.boot_ns, 42u);
  EXPECT_EQ(text(s.data), "hpayload");
  EXPECT_EQ(s.orig_len, 98u);
}

TEST(PcapWriter, OffsetPastTheCapturedBytes) {
  auto raw = sample(0, 20, 10, "0123456789");
  SkbSample s;
  ASSERT_TRUE(decodeSkbSample(raw, s));
  EXPECT_TRUE(s.data.empty());
  EXPECT_EQ(s.orig_len, 0u);
}

TEST(PcapWriter, RefusesTruncatedSamples) {
  auto raw = sample(0, 0, 10, "0123456789");
  SkbSample s;
  EXPECT_FALSE(decodeSkbSample(std::span(raw).first(raw.size() - 1), s));
  EXPECT_FALSE(decodeSkbSample(std::span(raw).first(8), s));
}

} // namespace
} // namespace scry::runtime
