// tseries slots combined, gathered per key and windowed (see tseries.h; drawing is in
// tseries_format.cpp).
#include "runtime/tseries.h"

#include <time.h>

#include <algorithm>
#include <cstring>
#include <map>

namespace scry::runtime {

namespace {

// How the kernel combines an interval's values (object::TSeriesDesc::agg).
enum class Agg : uint32_t { Last = 0, Avg = 1, Max = 2, Min = 3, Sum = 4 };

struct Slot {
  uint64_t value = 0;
  uint64_t meta = 0; // Last: when set; Avg: how many; Min/Max: seeded
  uint64_t epoch = 0;
};

Slot loadSlot(std::span<const uint8_t> bytes) {
  Slot slot;
  std::memcpy(&slot.value, bytes.data(), 8);
  std::memcpy(&slot.meta, bytes.data() + 8, 8);
  std::memcpy(&slot.epoch, bytes.data() + 16, 8);
  return slot;
}

bool less(uint64_t a, uint64_t b, bool is_signed) {
  return is_signed ? static_cast<int64_t>(a) < static_cast<int64_t>(b) : a < b;
}

// `into` and `from` hold the same interval: one value for both.
void combine(Slot &into, const Slot &from, Agg agg, bool is_signed) {
  switch (agg) {
  case Agg::Last: // the one assigned last
    if (from.meta > into.meta)
      into = from;
    return;
  case Agg::Avg:
    into.value += from.value;
    into.meta += from.meta;
    return;
  case Agg::Max:
    if (less(into.value, from.value, is_signed))
      into.value = from.value;
    return;
  case Agg::Min:
    if (less(from.value, into.value, is_signed))
      into.value = from.value;
    return;
  case Agg::Sum:
    into.value += from.value;
    return;
  }
}

Value makeNumber(uint64_t bits, bool is_signed) {
  return is_signed ? Value::makeInt(static_cast<int64_t>(bits)) : Value::makeUint(bits);
}

} // namespace

std::optional<Value> decodeTseriesSlot(const object::ValueType &type,
                                       std::span<const uint8_t> bytes, uint32_t value_size,
                                       int ncpus) {
  size_t stride = (static_cast<size_t>(value_size) + 7) / 8 * 8;
  if (ncpus < 1 || value_size < 24 || bytes.size() < stride * static_cast<size_t>(ncpus))
    return std::nullopt;
  auto agg = static_cast<Agg>(type.tseries.agg);
  std::optional<Slot> latest;
  for (int cpu = 0; cpu < ncpus; ++cpu) {
    Slot slot = loadSlot(bytes.subspan(stride * static_cast<size_t>(cpu), 24));
    if (slot.epoch == 0) // never used on this CPU
      continue;
    if (!latest || slot.epoch > latest->epoch)
      latest = slot;
    else if (slot.epoch == latest->epoch)
      combine(*latest, slot, agg, type.is_signed);
  }
  Value series;
  series.kind = object::ValueKind::TSeries;
  series.is_signed = type.is_signed;
  if (!latest)
    return series;
  uint64_t value = latest->value;
  if (agg == Agg::Avg && latest->meta != 0)
    value = type.is_signed ? static_cast<uint64_t>(static_cast<int64_t>(value) /
                                                   static_cast<int64_t>(latest->meta))
                           : value / latest->meta;
  series.bits = latest->epoch;
  series.buckets.push_back(latest->epoch);
  series.fields.push_back(makeNumber(value, type.is_signed));
  return series;
}

std::vector<MapEntry> mergeTseriesSlots(std::vector<MapEntry> entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const MapEntry &a, const MapEntry &b) {
    return compareValues(a.key, b.key) < 0;
  });
  std::vector<MapEntry> merged;
  for (MapEntry &entry : entries) {
    if (merged.empty() || compareValues(merged.back().key, entry.key) != 0) {
      merged.push_back(std::move(entry));
      continue;
    }
    Value &series = merged.back().value;
    series.buckets.insert(series.buckets.end(), entry.value.buckets.begin(),
                          entry.value.buckets.end());
    series.fields.insert(series.fields.end(), entry.value.fields.begin(),
                         entry.value.fields.end());
    series.bits = std::max(series.bits, entry.value.bits);
  }
  for (MapEntry &entry : merged) { // intervals in increasing order
    std::map<uint64_t, Value> by_epoch;
    for (size_t i = 0; i < entry.value.buckets.size(); ++i)
      by_epoch.emplace(entry.value.buckets[i], std::move(entry.value.fields[i]));
    entry.value.buckets.clear();
    entry.value.fields.clear();
    for (auto &[epoch, value] : by_epoch) {
      entry.value.buckets.push_back(epoch);
      entry.value.fields.push_back(std::move(value));
    }
  }
  return merged;
}

void windowTseries(const object::ValueType &type, std::vector<MapEntry> &entries) {
  uint64_t last = 0;
  for (const MapEntry &entry : entries)
    last = std::max(last, entry.value.bits);
  uint64_t count = std::max<uint64_t>(type.tseries.num_intervals, 1);
  uint64_t first = last >= count ? last - count + 1 : 1;
  for (MapEntry &entry : entries) {
    std::map<uint64_t, Value> values;
    for (size_t i = 0; i < entry.value.buckets.size(); ++i)
      if (entry.value.buckets[i] >= first && entry.value.buckets[i] <= last)
        values.emplace(entry.value.buckets[i], entry.value.fields[i]);
    // From the key's first interval in the window; a key with none shows the last row.
    uint64_t start = values.empty() ? last : values.begin()->first;
    entry.value.buckets.clear();
    entry.value.fields.clear();
    for (uint64_t epoch = start; epoch <= last && epoch != 0; ++epoch) {
      auto it = values.find(epoch);
      entry.value.buckets.push_back(epoch);
      entry.value.fields.push_back(it != values.end() ? it->second : Value{});
    }
  }
}

int64_t taiOffsetNs() {
  timespec tai{}, real{};
  if (clock_gettime(CLOCK_TAI, &tai) != 0 || clock_gettime(CLOCK_REALTIME, &real) != 0)
    return 0;
  int64_t seconds = static_cast<int64_t>(tai.tv_sec) - static_cast<int64_t>(real.tv_sec);
  int64_t ns = static_cast<int64_t>(tai.tv_nsec) - static_cast<int64_t>(real.tv_nsec);
  // Whole seconds: the kernel's TAI offset is a whole number of seconds, and rounding
  // hides the time between the two readings.
  return (seconds + (ns >= 500000000 ? 1 : ns <= -500000000 ? -1 : 0)) * 1000000000;
}

} // namespace scry::runtime
