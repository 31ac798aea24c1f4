// The reports of what the programs could not record: lost events and full maps, in
// text (stderr) and JSON (bpftrace 0.26's shapes).
#include <gtest/gtest.h>

#include "runtime/counters.h"

namespace scry::runtime {
namespace {

TEST(Counters, LostEvents) {
  EXPECT_EQ(lostEventsReport(OutputFormat::Text, 12), "Lost 12 events\n");
  EXPECT_EQ(lostEventsReport(OutputFormat::Json, 12),
            "{\"type\": \"lost_events\", \"count\": 12, \"data\": {\"events\": 12}}\n");
  EXPECT_EQ(totalLostReport(OutputFormat::Text, 30), "WARNING: Total lost event count: 30\n");
  EXPECT_EQ(totalLostReport(OutputFormat::Text, 0), "");
  EXPECT_EQ(totalLostReport(OutputFormat::Json, 30), "");
}

TEST(Counters, MapFull) {
  object::MapDesc map;
  map.name = "@m";
  map.max_entries = 10;
  EXPECT_EQ(mapFullReport(OutputFormat::Text, map, 15),
            "WARNING: Map full; can't update element. @m (10 entries) dropped 15 updates. "
            "Try increasing max_map_keys config or manually setting the max entries in a "
            "map declaration e.g. `let @m = hash(5000)`\n");
  EXPECT_NE(mapFullReport(OutputFormat::Text, map, 1).find("dropped 1 update."),
            std::string::npos);
  EXPECT_EQ(mapFullReport(OutputFormat::Json, map, 15),
            "{\"type\": \"helper_error\", \"msg\": \"Argument list too long\", \"helper\": "
            "\"map_update_elem\", \"retcode\": -7, \"map\": \"@m\", \"count\": 15}\n");
}

} // namespace
} // namespace scry::runtime
