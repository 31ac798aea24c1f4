#include "export/exposition.h"

#include <gtest/gtest.h>

namespace scry::exporter {
namespace {

using object::ValueKind;
using runtime::Value;

object::MapDesc desc(const std::string &name, ValueKind value, ValueKind key = ValueKind::None,
                     std::vector<std::string> key_names = {}) {
  object::MapDesc d;
  d.name = name;
  d.value.kind = value;
  d.key.kind = key;
  d.key_names = std::move(key_names);
  return d;
}

// The lines of `text` after scry's own families (scry_info, lost events, map-full).
std::string mapsPart(const std::string &text) {
  size_t at = text.find("# HELP scry_map_full_updates");
  at = text.find("\n", text.find("# TYPE", at)) + 1;
  return text.substr(at);
}

TEST(Exposition, CounterWithLabelsFromKeyNames) {
  object::MapDesc d = desc("@bytes", ValueKind::Count, ValueKind::Tuple, {"comm", "pid"});
  runtime::MapContents map{&d, {}};
  map.entries.push_back({Value::makeTuple({Value::makeString("sh"), Value::makeInt(42)}),
                         Value::makeCount(7)});
  map.entries.push_back({Value::makeTuple({Value::makeString("a\"b\\c\nd"), Value::makeInt(1)}),
                         Value::makeCount(3)});
  std::string text = mapsPart(render({map}, {}, Format::Prometheus));
  EXPECT_EQ(text, "# HELP scry_bytes_total The map @bytes of the script\n"
                  "# TYPE scry_bytes_total counter\n"
                  "scry_bytes_total{comm=\"a\\\"b\\\\c\\nd\",pid=\"1\"} 3\n"
                  "scry_bytes_total{comm=\"sh\",pid=\"42\"} 7\n");
}

TEST(Exposition, OpenMetricsNamesCounterFamiliesWithoutTotalAndEnds) {
  object::MapDesc d = desc("@", ValueKind::Count);
  runtime::MapContents map{&d, {{Value(), Value::makeCount(5)}}};
  std::string text = render({map}, {"x.bt", "1.0", 2, {{"@m", 9}}}, Format::OpenMetrics);
  EXPECT_NE(text.find("# TYPE scry_map counter\nscry_map_total 5\n"), std::string::npos);
  EXPECT_NE(text.find("scry_info{script=\"x.bt\",version=\"1.0\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE scry_lost_events counter\nscry_lost_events_total 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("scry_map_full_updates_total{map=\"@m\"} 9\n"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
}

TEST(Exposition, GaugesForIntegersAndMinMaxAvg) {
  object::MapDesc d = desc("@lat", ValueKind::Avg, ValueKind::String, {"comm"});
  runtime::MapContents map{&d, {{Value::makeString("cat"), Value::makeInt(-12)}}};
  EXPECT_EQ(mapsPart(render({map}, {}, Format::Prometheus)),
            "# HELP scry_lat The map @lat of the script\n"
            "# TYPE scry_lat gauge\n"
            "scry_lat{comm=\"cat\"} -12\n");
}

TEST(Exposition, Log2HistogramBucketsAreCumulativeWithInclusiveBounds) {
  object::MapDesc d = desc("@us", ValueKind::Hist);
  d.value.hist.bits = 0;
  Value h;
  h.kind = ValueKind::Hist;
  h.buckets.assign(65, 0);
  h.buckets[0] = 1; // a negative value
  h.buckets[1] = 2; // 0
  h.buckets[2] = 3; // 1
  h.buckets[4] = 4; // [4, 8)
  h.bits = 10;
  h.sum = 2 + 0 + 3 + 20 - 5;
  runtime::MapContents map{&d, {{Value(), h}}};
  std::string text = mapsPart(render({map}, {}, Format::Prometheus));
  EXPECT_EQ(text.substr(0, text.find("scry_us_bucket{le=\"15\"}")),
            "# HELP scry_us The map @us of the script\n"
            "# TYPE scry_us histogram\n"
            "scry_us_bucket{le=\"-1\"} 1\n"
            "scry_us_bucket{le=\"0\"} 3\n"
            "scry_us_bucket{le=\"1\"} 6\n"
            "scry_us_bucket{le=\"3\"} 6\n"
            "scry_us_bucket{le=\"7\"} 10\n");
  EXPECT_NE(text.find("scry_us_bucket{le=\"+Inf\"} 10\nscry_us_sum 20\nscry_us_count 10\n"),
            std::string::npos);
  EXPECT_EQ(text.find("le=\"+Inf\""), text.rfind("le=\"+Inf\"")); // one +Inf bucket
}

TEST(Exposition, LinearHistogramWithLabels) {
  object::MapDesc d = desc("@ms", ValueKind::LHist, ValueKind::Int, {"pid"});
  d.value.hist = {0, 0, 20, 10};
  Value h;
  h.kind = ValueKind::LHist;
  h.buckets = {1, 2, 3, 4}; // < 0, [0, 10), [10, 20), >= 20
  h.bits = 10;
  h.sum = 99;
  runtime::MapContents map{&d, {{Value::makeInt(7), h}}};
  EXPECT_EQ(mapsPart(render({map}, {}, Format::Prometheus)),
            "# HELP scry_ms The map @ms of the script\n"
            "# TYPE scry_ms histogram\n"
            "scry_ms_bucket{pid=\"7\",le=\"-1\"} 1\n"
            "scry_ms_bucket{pid=\"7\",le=\"9\"} 3\n"
            "scry_ms_bucket{pid=\"7\",le=\"19\"} 6\n"
            "scry_ms_bucket{pid=\"7\",le=\"+Inf\"} 10\n"
            "scry_ms_sum{pid=\"7\"} 99\n"
            "scry_ms_count{pid=\"7\"} 10\n");
}

TEST(Exposition, StatsIsASummaryAndStringsAreLeftOut) {
  object::MapDesc stats = desc("@s", ValueKind::Stats);
  Value v;
  v.kind = ValueKind::Stats;
  v.fields = {Value::makeUint(4), Value::makeInt(5), Value::makeInt(20)};
  object::MapDesc str = desc("@name", ValueKind::String);
  std::string text = mapsPart(render(
      {{&str, {{Value(), Value::makeString("x")}}}, {&stats, {{Value(), v}}}}, {},
      Format::Prometheus));
  EXPECT_EQ(text, "# HELP scry_s The map @s of the script\n"
                  "# TYPE scry_s summary\n"
                  "scry_s_sum 20\n"
                  "scry_s_count 4\n");
}

TEST(Exposition, NamesAndNegotiation) {
  EXPECT_EQ(metricName("@"), "scry_map");
  EXPECT_EQ(metricName("@read_bytes"), "scry_read_bytes");
  EXPECT_EQ(negotiate("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
            Format::OpenMetrics);
  EXPECT_EQ(negotiate("text/plain"), Format::Prometheus);
  EXPECT_EQ(negotiate(""), Format::Prometheus);
}

} // namespace
} // namespace scry::exporter
