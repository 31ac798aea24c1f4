// The script's maps in the Prometheus text exposition format (version 0.0.4) or in
// OpenMetrics 1.0 text, for --export prometheus. Pure: maps already read out of the
// kernel (runtime/map_reader.h) in, text out.
//
// Families, one per map, named scry_<map> (`@` is scry_map):
//   count(), sum()                 counter     scry_x_total
//   plain integers, min, max, avg  gauge       scry_x
//   hist(), lhist()                histogram   scry_x_bucket{le="..."}, scry_x_sum, scry_x_count
//   stats()                        summary     scry_x_sum, scry_x_count (no quantiles)
// Maps of strings, tuples or other values with no number are left out. Key parts become
// labels named by MapDesc::key_names: @bytes[comm, pid] -> scry_bytes_total{comm="sh",
// pid="42"}. Bucket bounds are the inclusive integer upper bounds (a log2 bucket
// [4, 8) is le="7"), so cumulative counts are exact for the integers recorded.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/map_format.h"

namespace scry::exporter {

enum class Format {
  Prometheus,  // text/plain; version=0.0.4
  OpenMetrics, // application/openmetrics-text; version=1.0.0 (ends with "# EOF")
};

// What the exposition says about scry itself, besides the maps.
struct ScrapeInfo {
  std::string script;  // the script's name as given (file path, or "stdin")
  std::string version; // scry's version
  uint64_t lost_events = 0; // ring-buffer records the kernel could not queue
  // Updates dropped because a map was full, by map name ("@x"); maps with none omitted.
  std::vector<std::pair<std::string, uint64_t>> map_full_updates;
};

std::string render(const std::vector<runtime::MapContents> &maps, const ScrapeInfo &info,
                   Format format);

// The Content-Type header for `format`.
const char *contentType(Format format);

// The format a scraper asked for with its Accept header: OpenMetrics when it lists
// application/openmetrics-text, else Prometheus's text format.
Format negotiate(const std::string &accept);

// "scry_" + the map's name without '@' ("scry_map" for `@`), with any character a
// metric name may not hold replaced by '_'.
std::string metricName(const std::string &map_name);

// A label value inside its double quotes: backslash, double quote and newline escaped.
std::string escapeLabelValue(const std::string &value);

} // namespace scry::exporter
