// hist() and lhist() values as bpftrace 0.26 prints them: the rows from the first to
// the last non-zero bucket, each with its interval, drawn as text
//   [4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
// (label setw(16) left, count setw(8) right, a 52-wide bar of '@') or given to JSON as
// closed intervals {"min": lo, "max": hi - 1, "count": n}. Pure.
//
// Labels: hist bucket 0 is (..., 0); [n] when an interval holds one integer; powers
// of 1024 get K, M, G, T, P, E suffixes ([512, 1K), [1K, 2K)); with hist(n, k) each
// power of two is split in 2^k ([16, 18)). lhist: (..., min) below min, [max, ...)
// from max on; suffixes only when step is a multiple of 1024.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "object/object.h"

namespace scry::runtime {

struct HistRow {
  std::string label;          // "(..., 0)", "[0]", "[2, 4)", "[1K, 2K)", "[100, ...)"
  std::optional<int64_t> min; // the least value in the bucket; none below the range
  std::optional<int64_t> max; // the greatest value in the bucket; none above the range
  uint64_t count = 0;
};

// `type` is a Hist or LHist ValueType (its `hist` parameters); `buckets` the counts.
std::vector<HistRow> histRows(const object::ValueType &type, const std::vector<uint64_t> &buckets);

// The exclusive upper bound of bucket `index` of a Hist or LHist value; nullopt for the
// last bucket, which has none (Prometheus's le="+Inf").
std::optional<int64_t> bucketUpperBound(const object::ValueType &type, uint32_t index,
                                        uint32_t buckets);

// The text rows, one line each; "" for no rows.
std::string drawHist(const std::vector<HistRow> &rows);

} // namespace scry::runtime
