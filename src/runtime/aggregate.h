// Combining the per-CPU copies of an aggregation's map value (layouts in
// object/object.h, ValueKind Sum..LHist) into one printable Value:
//   Sum, Min, Max, Avg -> an Int (signed as the aggregated values; Avg: total / count)
//   Stats              -> a Stats value: fields count, average, total; bits = average
//   Hist, LHist        -> buckets summed per index; bits = their total
// Min/Max take the least/greatest value of the CPUs that saw one (0 when none did).
// Pure: no kernel.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "object/object.h"
#include "runtime/value.h"

namespace scry::runtime {

bool isAggregate(object::ValueKind kind);

// `bytes` holds `ncpus` copies, each `value_size` bytes rounded up to 8.
std::optional<Value> decodeAggregate(const object::ValueType &type, std::span<const uint8_t> bytes,
                                     uint32_t value_size, int ncpus);

// A map value with `div` applied as print(@m, top, div) does: Int, Count, Sum, Min, Max and
// averages are
// divided, as are hist buckets; lhist, stats counts and totals are not. div 0 is 1.
Value divideValue(const object::ValueType &type, Value value, uint64_t div);

} // namespace scry::runtime
