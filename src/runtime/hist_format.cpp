// Histogram rows and their text drawing (see hist_format.h). The interval rules follow
// bpftrace 0.26 (types_format.cpp, output/text.cpp).
#include "runtime/hist_format.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace scry::runtime {

namespace {

// One interval bound: its value and how it is written. A "symbolic" bound (one with a
// suffix, or any hist bound past the single-value buckets) never makes a [n] label.
struct Bound {
  uint64_t value = 0;
  std::string text;
  bool symbolic = false;
};

Bound plain(int64_t v) { return {static_cast<uint64_t>(v), std::to_string(v), false}; }

// The exclusive upper bound of log2 bucket `index` with 2^k buckets per power of two.
Bound histUpper(uint32_t index, uint32_t k) {
  if (index <= (2u << k))
    return plain(index);
  const uint32_t n = 1u << k;
  const uint32_t interval = index & (n - 1);
  uint32_t power = (index >> k) - 1;
  uint64_t value = (uint64_t(1) << power) * (n + interval);
  const uint32_t decade = power / 10;
  power -= 10 * decade;
  std::string text = std::to_string((uint64_t(1) << power) * (n + interval));
  if (decade)
    text += "\0KMGTPE"[decade];
  return {value, text, true};
}

std::optional<Bound> lhistUpper(uint32_t index, const object::HistDesc &h) {
  int64_t number = h.min + static_cast<int64_t>(index) * h.step;
  if (number > h.max)
    return std::nullopt; // the overflow bucket
  constexpr int64_t kKilo = 1024, kMega = 1024 * 1024;
  if (h.step % kKilo != 0)
    return plain(number);
  std::string text = std::to_string(number);
  if (number != 0 && number % kMega == 0)
    text = std::to_string(number / kMega) + "M";
  else if (number != 0 && number % kKilo == 0)
    text = std::to_string(number / kKilo) + "K";
  return Bound{static_cast<uint64_t>(number), text, true};
}

std::optional<Bound> upperOf(const object::ValueType &type, uint32_t index) {
  if (type.kind == object::ValueKind::Hist)
    return histUpper(index, type.hist.bits);
  return lhistUpper(index, type.hist);
}

std::string labelOf(const std::optional<Bound> &lower, const std::optional<Bound> &upper) {
  if (!lower)
    return "(..., " + upper->text + ")";
  if (!upper)
    return "[" + lower->text + ", ...)";
  if (!lower->symbolic && !upper->symbolic && lower->value + 1 == upper->value)
    return "[" + lower->text + "]";
  return "[" + lower->text + ", " + upper->text + ")";
}

} // namespace

std::optional<int64_t> bucketUpperBound(const object::ValueType &type, uint32_t index,
                                        uint32_t buckets) {
  if (index + 1 >= buckets)
    return std::nullopt;
  std::optional<Bound> upper = upperOf(type, index);
  if (!upper)
    return std::nullopt;
  return static_cast<int64_t>(upper->value);
}

std::vector<HistRow> histRows(const object::ValueType &type, const std::vector<uint64_t> &buckets) {
  std::vector<HistRow> rows;
  auto nonzero = [](uint64_t n) { return n != 0; };
  auto first = std::find_if(buckets.begin(), buckets.end(), nonzero);
  if (first == buckets.end())
    return rows;
  auto last = std::find_if(buckets.rbegin(), buckets.rend(), nonzero);
  auto begin = static_cast<uint32_t>(first - buckets.begin());
  auto end = static_cast<uint32_t>(buckets.rend() - last);
  for (uint32_t i = begin; i < end; ++i) {
    std::optional<Bound> lower = i == 0 ? std::nullopt : upperOf(type, i - 1);
    std::optional<Bound> upper = upperOf(type, i);
    HistRow row;
    row.label = labelOf(lower, upper);
    if (lower)
      row.min = static_cast<int64_t>(lower->value);
    if (upper)
      row.max = static_cast<int64_t>(upper->value - 1);
    row.count = buckets[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string drawHist(const std::vector<HistRow> &rows) {
  constexpr int kBarWidth = 52;
  uint64_t max_count = 0;
  for (const HistRow &row : rows)
    max_count = std::max(max_count, row.count);
  std::ostringstream out;
  for (const HistRow &row : rows) {
    // As bpftrace: the ratio in float, truncated.
    int bar = max_count ? static_cast<int>(static_cast<float>(row.count) /
                                           static_cast<float>(max_count) * kBarWidth)
                        : 0;
    out << std::setw(16) << std::left << row.label << std::setw(8) << std::right << row.count
        << " |" << std::setw(kBarWidth) << std::left << std::string(static_cast<size_t>(bar), '@')
        << "|\n";
  }
  return out.str();
}

} // namespace scry::runtime
