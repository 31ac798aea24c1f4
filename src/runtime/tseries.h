// tseries() maps (issue 5) from the kernel's slots to bpftrace 0.26's output. The
// kernel keeps a slot per key and interval (codegen/emit_tseries.cpp); here the CPUs'
// copies of a slot are combined, the slots of a key gathered into its series, and the
// series drawn. Pure: the time base (CLOCK_TAI's offset from the wall clock) is an
// argument, and local time comes from the TZ environment.
//
// A series Value (kind TSeries): `buckets` the interval numbers (epochs: TAI time /
// interval_ns) in increasing order, `fields` the value of each, kind None where an
// interval has none; `bits` the latest interval with a value (entries sort by it).
//
// Text, for the intervals from the key's first one to the latest of any key of the
// map, at most num_intervals of them (a key without values shows its last row empty):
//                  0                                                   2
//     hh:mm:ss.ms  |___________________________________________________|
//     10:41:46.700 *                                                   | 0
//     10:41:46.800 |                         *                         | 1
//     10:41:46.900 |                                                   * 2
//                  v___________________________________________________v
//                  0                                                   2
// The time column's precision follows the interval (s, ms, μs or ns: one interval
// alone is shown in ns); a missing value is "-"; a '.' column marks zero when the
// values straddle it. JSON: [{"interval_start":"2024-05-01 10:41:46.700000000",
// "value":0}, ...] in UTC, intervals without a value left out.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/map_format.h"

namespace scry::runtime {

// One slot's per-CPU copies (`ncpus` of them, each `value_size` bytes rounded up to 8)
// combined: the latest interval any CPU holds, its CPUs' values combined with the
// series' aggregation function. A series of one interval, or of none if unused.
std::optional<Value> decodeTseriesSlot(const object::ValueType &type,
                                       std::span<const uint8_t> bytes, uint32_t value_size,
                                       int ncpus);

// Entries of one slot each, merged into one entry per key.
std::vector<MapEntry> mergeTseriesSlots(std::vector<MapEntry> entries);

// Each entry's series becomes the rows it is shown with: every interval from its first
// one in the window (the last num_intervals intervals up to the latest of any entry)
// to the window's end, kind None where it has no value.
void windowTseries(const object::ValueType &type, std::vector<MapEntry> &entries);

// CLOCK_TAI minus CLOCK_REALTIME now, in ns (0 when the kernel's TAI offset is unset).
int64_t taiOffsetNs();

// One windowed series as text (see above), rows of times from TAI `tai_offset_ns` ahead
// of the wall clock.
std::string drawTseries(const object::ValueType &type, const Value &series,
                        int64_t tai_offset_ns);
// The JSON array.
std::string jsonTseries(const object::ValueType &type, const Value &series,
                        int64_t tai_offset_ns);

} // namespace scry::runtime
