// Aggregation values and their output: per-CPU combining, hist/lhist rows and drawing,
// print(@m, top, div), and the text and JSON forms of every map kind (bpftrace 0.26).
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/aggregate.h"
#include "runtime/hist_format.h"
#include "runtime/map_print.h"

namespace scry::runtime {
namespace {

using object::ValueKind;

object::ValueType aggType(ValueKind kind, bool is_signed = true, object::HistDesc hist = {}) {
  object::ValueType t;
  t.kind = kind;
  t.is_signed = is_signed;
  t.hist = hist;
  return t;
}

object::MapDesc desc(const std::string &name, object::ValueType value, bool keyed = false) {
  object::MapDesc d;
  d.name = name;
  d.value = std::move(value);
  d.per_cpu = true;
  if (keyed) {
    d.key.kind = ValueKind::Int;
    d.key.size = 8;
    d.key.is_signed = true;
  }
  return d;
}

// Per-CPU bytes from u64 words, `words` per CPU.
std::vector<uint8_t> cpus(std::vector<std::vector<uint64_t>> per_cpu) {
  std::vector<uint8_t> bytes;
  for (const auto &words : per_cpu)
    for (uint64_t w : words) {
      uint8_t b[8];
      std::memcpy(b, &w, 8);
      bytes.insert(bytes.end(), b, b + 8);
    }
  return bytes;
}

Value histValue(std::vector<uint64_t> buckets) {
  Value v;
  v.kind = ValueKind::Hist;
  for (uint64_t n : buckets)
    v.bits += n;
  v.buckets = std::move(buckets);
  return v;
}

// Log2 buckets (k = 0) holding `counts` at the bucket of each value.
std::vector<uint64_t> log2Buckets(std::initializer_list<std::pair<unsigned, uint64_t>> at) {
  std::vector<uint64_t> b(65, 0);
  for (auto [i, n] : at)
    b[i] = n;
  return b;
}

TEST(Aggregate, CombinesCpus) {
  auto sum = decodeAggregate(aggType(ValueKind::Sum), cpus({{5}, {static_cast<uint64_t>(-2)}}), 8, 2);
  EXPECT_EQ(formatValue(*sum), "3");
  // min: CPU 1 never saw a value (seen 0), so its 0 does not count.
  auto min = decodeAggregate(aggType(ValueKind::Min), cpus({{7, 1}, {0, 0}}), 16, 2);
  EXPECT_EQ(formatValue(*min), "7");
  auto max = decodeAggregate(aggType(ValueKind::Max), cpus({{static_cast<uint64_t>(-5), 1}, {static_cast<uint64_t>(-9), 1}}), 16, 2);
  EXPECT_EQ(formatValue(*max), "-5");
  auto avg = decodeAggregate(aggType(ValueKind::Avg), cpus({{1, 10}, {1, 5}}), 16, 2);
  EXPECT_EQ(formatValue(*avg), "7");
  auto stats = decodeAggregate(aggType(ValueKind::Stats), cpus({{1, 10}, {1, 20}}), 16, 2);
  EXPECT_EQ(formatValue(*stats), "{ .count = 2, .average = 15, .total = 30 }");
  auto none = decodeAggregate(aggType(ValueKind::Avg), cpus({{0, 0}, {0, 0}}), 16, 2);
  EXPECT_EQ(formatValue(*none), "0");
  auto hist = decodeAggregate(aggType(ValueKind::Hist), cpus({{1, 2, 3}, {4, 5, 6}}), 24, 2);
  EXPECT_EQ(hist->buckets, (std::vector<uint64_t>{5, 7})); // then the sum of the values
  EXPECT_EQ(hist->bits, 12u);
  EXPECT_EQ(hist->sum, 9);
  EXPECT_FALSE(decodeAggregate(aggType(ValueKind::Sum), cpus({{1}}), 8, 2)); // too short
}

TEST(HistFormat, Log2LabelsAndBars) {
  // -5, 0, 1, 2, 3, 1000, 1024, 1048576, 5000000000 as in bpftrace.md 2.2.
  auto rows = histRows(aggType(ValueKind::Hist),
                       log2Buckets({{0, 1}, {1, 1}, {2, 1}, {3, 2}, {11, 1}, {12, 1}, {22, 1}, {34, 1}}));
  ASSERT_EQ(rows.size(), 35u);
  EXPECT_EQ(rows[0].label, "(..., 0)");
  EXPECT_EQ(rows[1].label, "[0]");
  EXPECT_EQ(rows[2].label, "[1]");
  EXPECT_EQ(rows[3].label, "[2, 4)");
  EXPECT_EQ(rows[11].label, "[512, 1K)");
  EXPECT_EQ(rows[12].label, "[1K, 2K)");
  EXPECT_EQ(rows[22].label, "[1M, 2M)");
  EXPECT_EQ(rows[34].label, "[4G, 8G)"); // 5e9: all 64 bits count (0.17 said [2G, 4G))
  std::string text = drawHist(rows);
  EXPECT_EQ(text.substr(0, 2 * 80),
            "(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
  EXPECT_NE(text.find("[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
                      "[4, 8)                 0 |                                                    |\n"),
            std::string::npos);
}

TEST(HistFormat, LargestBucketsUseBigSuffixes) {
  std::vector<uint64_t> b(65, 0);
  b[64] = 1; // [2^62, 2^63)
  auto rows = histRows(aggType(ValueKind::Hist), b);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].label, "[4E, 8E)");
  EXPECT_EQ(*rows[0].max, INT64_MAX);
}

TEST(HistFormat, SubBuckets) {
  object::HistDesc bits3{3, 0, 0, 1};
  std::vector<uint64_t> b(((64 - 3) << 3) + 1, 0);
  b[16] = 1; // value 15
  b[17] = 2; // values 16, 17
  b[25] = 1; // values 32..35
  auto rows = histRows(aggType(ValueKind::Hist, true, bits3), b);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[0].label, "[15]");
  EXPECT_EQ(rows[1].label, "[16, 18)");
  EXPECT_EQ(rows[9].label, "[32, 36)");
  EXPECT_EQ(*rows[9].min, 32);
  EXPECT_EQ(*rows[9].max, 35);
}

TEST(HistFormat, LinearBuckets) {
  object::HistDesc h{0, 0, 100, 10};
  std::vector<uint64_t> b(12, 0);
  b[0] = 1;  // -1
  b[1] = 1;  // 5
  b[6] = 2;  // 55, 55
  b[11] = 2; // 100, 1000
  auto rows = histRows(aggType(ValueKind::LHist, true, h), b);
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0].label, "(..., 0)");
  EXPECT_EQ(rows[1].label, "[0, 10)");
  EXPECT_EQ(rows[10].label, "[90, 100)");
  EXPECT_EQ(rows[11].label, "[100, ...)");
  EXPECT_FALSE(rows[11].max);
  EXPECT_FALSE(rows[0].min);
  // Step 1: single values; overflow only: one row.
  object::HistDesc one{0, 0, 10, 1};
  std::vector<uint64_t> b1(12, 0);
  b1[4] = 1;
  EXPECT_EQ(histRows(aggType(ValueKind::LHist, true, one), b1)[0].label, "[3]");
  std::vector<uint64_t> over(12, 0);
  over[11] = 3;
  auto only = histRows(aggType(ValueKind::LHist, true, h), over);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].label, "[100, ...)");
}

TEST(HistFormat, LinearSuffixesOnlyForKiloSteps) {
  object::HistDesc plain{0, 0, 10000, 1000};
  std::vector<uint64_t> b(12, 0);
  b[5] = 1;
  EXPECT_EQ(histRows(aggType(ValueKind::LHist, true, plain), b)[0].label, "[4000, 5000)");
  object::HistDesc kilo{0, 0, 10240, 1024};
  EXPECT_EQ(histRows(aggType(ValueKind::LHist, true, kilo), b)[0].label, "[4K, 5K)");
}

TEST(HistFormat, EmptyHasNoRows) {
  EXPECT_TRUE(histRows(aggType(ValueKind::Hist), std::vector<uint64_t>(65, 0)).empty());
  EXPECT_EQ(drawHist({}), "");
}

TEST(MapPrint, TextOfEveryKind) {
  auto scalar = [](const std::string &name, object::ValueType t, Value v) {
    return printMap(OutputFormat::Text, desc(name, std::move(t)), {{Value{}, std::move(v)}});
  };
  EXPECT_EQ(scalar("@s", aggType(ValueKind::Sum), Value::makeInt(3)), "@s: 3\n");
  Value stats;
  stats.kind = ValueKind::Stats;
  stats.is_signed = true;
  stats.bits = 7;
  stats.fields = {Value::makeUint(1), Value::makeInt(7), Value::makeInt(7)};
  EXPECT_EQ(scalar("@st", aggType(ValueKind::Stats), stats),
            "@st: { .count = 1, .average = 7, .total = 7 }\n");
  EXPECT_EQ(scalar("@h", aggType(ValueKind::Hist), histValue(log2Buckets({{4, 1}}))),
            "@h:\n[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n");
  EXPECT_EQ(printMap(OutputFormat::Text, desc("@e", aggType(ValueKind::Sum)), {}), "");
}

TEST(MapPrint, SortTopAndDiv) {
  auto d = desc("@", aggType(ValueKind::Sum), true);
  std::vector<MapEntry> entries;
  for (int i = 1; i <= 4; ++i)
    entries.push_back({Value::makeInt(i), Value::makeInt(50 - i * 10)});
  EXPECT_EQ(printMap(OutputFormat::Text, d, entries), "@[4]: 10\n@[3]: 20\n@[2]: 30\n@[1]: 40\n");
  EXPECT_EQ(printMap(OutputFormat::Text, d, entries, 2), "@[2]: 30\n@[1]: 40\n");
  EXPECT_EQ(printMap(OutputFormat::Text, d, entries, 2, 10), "@[2]: 3\n@[1]: 4\n");
  // hist maps: by total count, one block each.
  auto h = desc("@h", aggType(ValueKind::Hist), true);
  std::vector<MapEntry> hists{{Value::makeInt(1), histValue(log2Buckets({{3, 5}}))},
                              {Value::makeInt(2), histValue(log2Buckets({{10, 1}}))}};
  std::string text = printMap(OutputFormat::Text, h, hists);
  EXPECT_EQ(text.find("@h[2]:\n"), 0u);
  EXPECT_NE(text.find("|\n\n@h[1]:\n[2, 4)"), std::string::npos);
}

TEST(MapPrint, Json) {
  EXPECT_EQ(printMap(OutputFormat::Json, desc("@s", aggType(ValueKind::Sum)),
                     {{Value{}, Value::makeInt(5)}}),
            "{\"type\": \"map\", \"data\": {\"@s\": 5}}\n");
  EXPECT_EQ(printMap(OutputFormat::Json, desc("@a", aggType(ValueKind::Avg)),
                     {{Value{}, Value::makeInt(4)}}),
            "{\"type\": \"stats\", \"data\": {\"@a\": 4}}\n");
  Value stats;
  stats.kind = ValueKind::Stats;
  stats.fields = {Value::makeUint(1), Value::makeInt(7), Value::makeInt(7)};
  EXPECT_EQ(printMap(OutputFormat::Json, desc("@st", aggType(ValueKind::Stats), true),
                     {{Value::makeInt(3), stats}}),
            "{\"type\": \"stats\", \"data\": {\"@st\": {\"3\": {\"count\": 1, \"average\": 7, "
            "\"total\": 7}}}}\n");
  EXPECT_EQ(printMap(OutputFormat::Json, desc("@h", aggType(ValueKind::Hist)),
                     {{Value{}, histValue(log2Buckets({{0, 1}, {1, 1}, {4, 1}}))}}),
            "{\"type\": \"hist\", \"data\": {\"@h\": [{\"max\": -1, \"count\": 1},{\"min\": 0, "
            "\"max\": 0, \"count\": 1},{\"min\": 1, \"max\": 1, \"count\": 0},{\"min\": 2, "
            "\"max\": 3, \"count\": 0},{\"min\": 4, \"max\": 7, \"count\": 1}]}}\n");
  object::MapDesc tuple_keyed = desc("@a", aggType(ValueKind::Sum));
  tuple_keyed.key.kind = ValueKind::Tuple;
  EXPECT_EQ(printMap(OutputFormat::Json, tuple_keyed,
                     {{Value::makeTuple({Value::makeInt(1), Value::makeString("x")}),
                       Value::makeInt(1)}}),
            "{\"type\": \"map\", \"data\": {\"@a\": {\"1,x\": 1}}}\n");
  EXPECT_EQ(printMap(OutputFormat::Json, desc("@e", aggType(ValueKind::Sum), true), {}), "");
}

TEST(MapPrint, JsonValuesAndEvents) {
  EXPECT_EQ(printValue(OutputFormat::Json,
                       Value::makeTuple({Value::makeInt(1), Value::makeString("two")})),
            "{\"type\": \"value\", \"data\": [1,\"two\"]}\n");
  EXPECT_EQ(printValue(OutputFormat::Text,
                       Value::makeTuple({Value::makeInt(1), Value::makeString("two")})),
            "(1, two)\n");
  EXPECT_EQ(printPrintf(OutputFormat::Json, "a\"b\n\t\x01"),
            "{\"type\": \"printf\", \"data\": \"a\\\"b\\n\\t\\u0001\"}\n");
  EXPECT_EQ(printAttachedProbes(1),
            "{\"type\": \"attached_probes\", \"count\": 1, \"data\": {\"probes\": 1}}\n");
  EXPECT_EQ(printLostEvents(3),
            "{\"type\": \"lost_events\", \"count\": 3, \"data\": {\"events\": 3}}\n");
  // Integers a double cannot hold are strings.
  EXPECT_EQ(jsonValue({}, Value::makeUint(UINT64_MAX)), "\"18446744073709551615\"");
  EXPECT_EQ(jsonValue({}, Value::makeInt(-5)), "-5");
}

TEST(MapPrint, ExitDump) {
  std::vector<MapContents> maps;
  auto a = desc("@a", aggType(ValueKind::Sum));
  auto b = desc("@b", aggType(ValueKind::Max));
  maps.push_back({&b, {{Value{}, Value::makeInt(2)}}});
  maps.push_back({&a, {{Value{}, Value::makeInt(1)}}});
  EXPECT_EQ(printExitMaps(OutputFormat::Text, maps), "\n\n@a: 1\n@b: 2\n");
  EXPECT_EQ(printExitMaps(OutputFormat::Json, maps),
            "{\"type\": \"map\", \"data\": {\"@a\": 1}}\n{\"type\": \"map\", \"data\": {\"@b\": 2}}\n");
}

} // namespace
} // namespace scry::runtime
