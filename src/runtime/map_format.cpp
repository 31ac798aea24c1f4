// Map dump formatting (see map_format.h).
#include "runtime/map_format.h"

#include <algorithm>

#include "runtime/aggregate.h"
#include "runtime/map_print.h"

namespace scry::runtime {

using object::ValueKind;

std::optional<Value> decodeMapValue(const object::MapDesc &desc, std::span<const uint8_t> bytes,
                                    uint32_t value_size, int ncpus) {
  if (isAggregate(desc.value.kind))
    return decodeAggregate(desc.value, bytes, value_size, desc.per_cpu ? ncpus : 1);
  if (!desc.per_cpu)
    return decodeValue(desc.value, bytes.first(std::min<size_t>(bytes.size(), value_size)));
  size_t stride = (static_cast<size_t>(value_size) + 7) / 8 * 8;
  if (ncpus < 1 || bytes.size() < stride * static_cast<size_t>(ncpus))
    return std::nullopt;
  std::optional<Value> total = decodeValue(desc.value, bytes.first(value_size));
  if (!total)
    return std::nullopt;
  bool summable = desc.value.kind == ValueKind::Count || desc.value.kind == ValueKind::Int;
  for (int cpu = 1; summable && cpu < ncpus; ++cpu) {
    size_t offset = stride * static_cast<size_t>(cpu);
    auto copy = decodeValue(desc.value, bytes.subspan(offset, value_size));
    if (!copy)
      return std::nullopt;
    total->bits += copy->bits; // two's complement: the same add for signed and unsigned
  }
  if (total->kind == ValueKind::Int && total->is_signed && total->size < 8) {
    // Keep the sum a value of the map's width, sign-extended like a decoded one.
    uint32_t shift = 64 - total->size * 8;
    total->bits = static_cast<uint64_t>(static_cast<int64_t>(total->bits << shift) >> shift);
  }
  return total;
}

// Integers, pointers, counts, sums, minima and maxima by value; avg and stats by
// average; hist and lhist by total count (decodeAggregate keeps averages and totals in
// `bits`).
static bool sortsByValue(const object::MapDesc &desc) {
  return desc.value.kind == ValueKind::Int || desc.value.kind == ValueKind::Count ||
         desc.value.kind == ValueKind::Pointer || isAggregate(desc.value.kind);
}

void sortEntries(const object::MapDesc &desc, std::vector<MapEntry> &entries) {
  std::sort(entries.begin(), entries.end(), [&](const MapEntry &a, const MapEntry &b) {
    if (sortsByValue(desc)) {
      if (int c = compareValues(a.value, b.value))
        return c < 0;
    }
    return compareValues(a.key, b.key) < 0;
  });
}

std::string formatMap(const object::MapDesc &desc, std::vector<MapEntry> entries) {
  return printMap(OutputFormat::Text, desc, std::move(entries));
}

// The separator. bpftrace 0.17 (measured here) writes "\n\n" to stdout when the run
// ends, whether or not any map follows:
//   $ bpftrace -e 'BEGIN { printf("hi\n"); exit(); }' | cat -A    ->  hi$ $ $
//   $ bpftrace -e 'BEGIN { @x = 5; exit(); }' | cat -A            ->  $ $ @x: 5$
// bpftrace 0.26/HEAD keeps it: TextOutput::end() writes two newlines once the run loop
// is over (after END's output, before the map dump in run_bpftrace.cpp), and only the
// JSON output drops it. What changed in 0.24 is elsewhere (the attach line moved to
// stderr, hist/stats headers), so scry writes "\n\n" unconditionally, then the maps.
std::string formatExitMaps(std::vector<MapContents> maps) {
  return printExitMaps(OutputFormat::Text, std::move(maps));
}

} // namespace scry::runtime
