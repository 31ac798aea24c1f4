// tseries maps: slots combined over CPUs, gathered per key, windowed, and drawn as
// bpftrace 0.26 draws them (the graphs of its documentation, in UTC).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

#include "runtime/map_print.h"
#include "runtime/tseries.h"

namespace scry::runtime {
namespace {

using object::ValueKind;

class Tseries : public ::testing::Test {
protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }

  static object::ValueType type(uint64_t interval_ns, uint32_t count, uint32_t agg = 0,
                                bool is_signed = true) {
    object::ValueType t;
    t.kind = ValueKind::TSeries;
    t.size = 24;
    t.is_signed = is_signed;
    t.tseries = {interval_ns, count, agg};
    return t;
  }

  // A series of consecutive intervals from `first`, with these values.
  static Value series(uint64_t first, const std::vector<int64_t> &values) {
    Value v;
    v.kind = ValueKind::TSeries;
    v.is_signed = true;
    for (size_t i = 0; i < values.size(); ++i) {
      v.buckets.push_back(first + i);
      v.fields.push_back(Value::makeInt(values[i]));
    }
    v.bits = v.buckets.back();
    return v;
  }

  // One slot as the kernel stores it: value, meta, epoch.
  static void putSlot(std::vector<uint8_t> &bytes, int cpu, uint64_t value, uint64_t meta,
                      uint64_t epoch) {
    uint64_t slot[3] = {value, meta, epoch};
    std::memcpy(bytes.data() + static_cast<size_t>(cpu) * 24, slot, sizeof slot);
  }
};

// 10:39:49.300 on the first day of the epoch, in 100 ms intervals.
constexpr uint64_t kZigzagStart = (10 * 3600 + 39 * 60 + 49) * 10 + 3;

TEST_F(Tseries, ZigzagAcrossZero) {
  std::vector<int64_t> values = {-5, -4, -3, -2, -1, 0, 1, 2, 3, 4,
                                 5, 4, 3, 2, 1, 0, -1, -2, -3, -4};
  std::string expected =
      "             -5                                                  5\n"
      "hh:mm:ss.ms  |___________________________________________________|\n"
      "10:39:49.300 *                         .                         | -5\n"
      "10:39:49.400 |    *                    .                         | -4\n"
      "10:39:49.500 |         *               .                         | -3\n"
      "10:39:49.600 |              *          .                         | -2\n"
      "10:39:49.700 |                   *     .                         | -1\n"
      "10:39:49.800 |                         *                         | 0\n"
      "10:39:49.900 |                         .    *                    | 1\n"
      "10:39:50.000 |                         .         *               | 2\n"
      "10:39:50.100 |                         .              *          | 3\n"
      "10:39:50.200 |                         .                   *     | 4\n"
      "10:39:50.300 |                         .                         * 5\n"
      "10:39:50.400 |                         .                   *     | 4\n"
      "10:39:50.500 |                         .              *          | 3\n"
      "10:39:50.600 |                         .         *               | 2\n"
      "10:39:50.700 |                         .    *                    | 1\n"
      "10:39:50.800 |                         *                         | 0\n"
      "10:39:50.900 |                   *     .                         | -1\n"
      "10:39:51.000 |              *          .                         | -2\n"
      "10:39:51.100 |         *               .                         | -3\n"
      "10:39:51.200 |    *                    .                         | -4\n"
      "             v___________________________________________________v\n"
      "             -5                                                  5\n";
  EXPECT_EQ(drawTseries(type(100000000, 20), series(kZigzagStart, values), 0), expected);
}

TEST_F(Tseries, SmallRangeAndMissingIntervals) {
  Value s = series(kZigzagStart, {0, 0, 1, 2});
  s.fields[1] = Value{}; // no value in the second interval
  std::string expected =
      "             0                                                   2\n"
      "hh:mm:ss.ms  |___________________________________________________|\n"
      "10:39:49.300 *                                                   | 0\n"
      "10:39:49.400 |                                                   | -\n"
      "10:39:49.500 |                         *                         | 1\n"
      "10:39:49.600 |                                                   * 2\n"
      "             v___________________________________________________v\n"
      "             0                                                   2\n";
  EXPECT_EQ(drawTseries(type(100000000, 20), s, 0), expected);
}

TEST_F(Tseries, OneIntervalIsShownInNanoseconds) {
  // Equal bounds are widened by one; the point sits in the middle.
  std::string expected =
      "                   6                                                   8\n"
      "hh:mm:ss.ns        |___________________________________________________|\n"
      "00:00:05.000000000 |                         *                         | 7\n"
      "                   v___________________________________________________v\n"
      "                   6                                                   8\n";
  EXPECT_EQ(drawTseries(type(1000000000, 5), series(5, {7}), 0), expected);
}

TEST_F(Tseries, SecondsHaveNoFraction) {
  std::string text = drawTseries(type(1000000000, 5), series(5, {1, 2}), 0);
  EXPECT_NE(text.find("\nhh:mm:ss |___"), std::string::npos) << text;
  EXPECT_NE(text.find("\n00:00:05 *"), std::string::npos) << text;
}

TEST_F(Tseries, TaiOffsetShiftsTheClock) {
  // TAI 37 s ahead of the wall clock: interval 42 (s) started at 00:00:05 wall time.
  std::string text = drawTseries(type(1000000000, 5), series(42, {1, 2}), 37000000000);
  EXPECT_NE(text.find("\n00:00:05 *"), std::string::npos) << text;
}

TEST_F(Tseries, Json) {
  Value s = series(kZigzagStart, {3, 0, -2});
  s.fields[1] = Value{}; // intervals without a value are left out
  EXPECT_EQ(jsonTseries(type(100000000, 20), s, 0),
            "[{\"interval_start\":\"1970-01-01 10:39:49.300000000\",\"value\":3},"
            "{\"interval_start\":\"1970-01-01 10:39:49.500000000\",\"value\":-2}]");
}

TEST_F(Tseries, SlotsCombineTheLatestIntervalOfEachCpu) {
  std::vector<uint8_t> bytes(3 * 24, 0);
  putSlot(bytes, 0, 10, 2, 7); // avg: total 10 over 2 values in interval 7
  putSlot(bytes, 1, 5, 1, 6);  // an older interval: ignored
  putSlot(bytes, 2, 20, 3, 7);
  auto avg = decodeTseriesSlot(type(1, 5, 1), bytes, 24, 3);
  ASSERT_TRUE(avg);
  EXPECT_EQ(avg->buckets, (std::vector<uint64_t>{7}));
  EXPECT_EQ(formatValue(avg->fields.at(0)), "6"); // 30 / 5
  // last: the value set last (meta is when); sum; max; min.
  putSlot(bytes, 0, 10, 200, 7);
  putSlot(bytes, 2, 20, 100, 7);
  EXPECT_EQ(formatValue(decodeTseriesSlot(type(1, 5, 0), bytes, 24, 3)->fields.at(0)), "10");
  EXPECT_EQ(formatValue(decodeTseriesSlot(type(1, 5, 4), bytes, 24, 3)->fields.at(0)), "30");
  putSlot(bytes, 0, static_cast<uint64_t>(-4), 1, 7);
  EXPECT_EQ(formatValue(decodeTseriesSlot(type(1, 5, 2), bytes, 24, 3)->fields.at(0)), "20");
  EXPECT_EQ(formatValue(decodeTseriesSlot(type(1, 5, 3), bytes, 24, 3)->fields.at(0)), "-4");
  std::vector<uint8_t> unused(2 * 24, 0);
  EXPECT_TRUE(decodeTseriesSlot(type(1, 5), unused, 24, 2)->buckets.empty());
}

TEST_F(Tseries, SlotsMergePerKeyAndWindowToTheLatestInterval) {
  auto slot = [](int64_t key, uint64_t epoch, int64_t value) {
    MapEntry e;
    e.key = Value::makeInt(key);
    e.value = series(epoch, {value});
    return e;
  };
  std::vector<MapEntry> entries = {slot(1, 12, 5), slot(2, 9, 1), slot(1, 10, 4),
                                   slot(2, 3, 8)};
  entries = mergeTseriesSlots(std::move(entries));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].value.buckets, (std::vector<uint64_t>{10, 12}));
  EXPECT_EQ(entries[0].value.bits, 12u);
  windowTseries(type(1, 4), entries); // intervals 9..12
  EXPECT_EQ(entries[0].value.buckets, (std::vector<uint64_t>{10, 11, 12}));
  EXPECT_EQ(entries[0].value.fields[1].kind, ValueKind::None);
  EXPECT_EQ(entries[1].value.buckets, (std::vector<uint64_t>{9, 10, 11, 12}));
  EXPECT_EQ(formatValue(entries[1].value.fields[0]), "1"); // interval 3 is too old
}

TEST_F(Tseries, MapTextAndJson) {
  object::MapDesc desc;
  desc.name = "@ts";
  desc.value = type(1000000000, 3);
  MapEntry entry;
  entry.value = series(5, {1, 2});
  std::string text = printMap(OutputFormat::Text, desc, {entry});
  EXPECT_EQ(text.rfind("@ts:\n", 0), 0u) << text;
  EXPECT_EQ(text.substr(text.size() - 2), "\n\n") << text; // a blank line after
  // The times depend on this machine's TAI offset.
  std::string json = printMap(OutputFormat::Json, desc, {entry});
  EXPECT_EQ(json.rfind("{\"type\": \"tseries\", \"data\": {\"@ts\": [{\"interval_start\":\"", 0),
            0u)
      << json;
  EXPECT_NE(json.find("\",\"value\":1},{\"interval_start\":\""), std::string::npos) << json;
  std::string end = "\"value\":2}]}}\n";
  EXPECT_EQ(json.substr(json.size() - end.size()), end) << json;
}

} // namespace
} // namespace scry::runtime
