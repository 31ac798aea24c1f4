// Per-CPU aggregation values combined into printable Values. See aggregate.h.
#include "runtime/aggregate.h"

#include <cstring>
#include <vector>

#include "runtime/tseries.h"

namespace scry::runtime {

using object::ValueKind;

bool isAggregate(ValueKind kind) {
  switch (kind) {
  case ValueKind::Sum:
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
  case ValueKind::Stats:
  case ValueKind::Hist:
  case ValueKind::LHist:
  case ValueKind::TSeries:
    return true;
  case ValueKind::None:
  case ValueKind::Int:
  case ValueKind::Bool:
  case ValueKind::String:
  case ValueKind::Tuple:
  case ValueKind::Count:
  case ValueKind::Buffer:
  case ValueKind::Inet:
  case ValueKind::MacAddr:
  case ValueKind::Username:
  case ValueKind::Timestamp:
  case ValueKind::CgroupPath:
  case ValueKind::KStack:
  case ValueKind::UStack:
  case ValueKind::KSym:
  case ValueKind::USym:
  case ValueKind::Pointer:
  case ValueKind::Array:
    return false;
  }
  return false;
}

namespace {

uint64_t load64(std::span<const uint8_t> bytes, size_t offset) {
  uint64_t v = 0;
  std::memcpy(&v, bytes.data() + offset, 8);
  return v;
}

Value makeNumber(uint64_t bits, bool is_signed) {
  return is_signed ? Value::makeInt(static_cast<int64_t>(bits)) : Value::makeUint(bits);
}

// total / count in the values' signedness; 0 without values.
uint64_t average(uint64_t total, uint64_t count, bool is_signed) {
  if (count == 0)
    return 0;
  if (is_signed)
    return static_cast<uint64_t>(static_cast<int64_t>(total) / static_cast<int64_t>(count));
  return total / count;
}

bool better(uint64_t a, uint64_t b, bool is_signed, bool is_min) {
  if (is_signed)
    return is_min ? static_cast<int64_t>(a) < static_cast<int64_t>(b)
                  : static_cast<int64_t>(a) > static_cast<int64_t>(b);
  return is_min ? a < b : a > b;
}

} // namespace

std::optional<Value> decodeAggregate(const object::ValueType &type, std::span<const uint8_t> bytes,
                                     uint32_t value_size, int ncpus) {
  if (type.kind == ValueKind::TSeries) // one interval's slot (tseries.h)
    return decodeTseriesSlot(type, bytes, value_size, ncpus);
  size_t stride = (static_cast<size_t>(value_size) + 7) / 8 * 8;
  bool is_list = type.kind == ValueKind::Hist || type.kind == ValueKind::LHist;
  size_t needed = is_list ? 16 : (type.kind == ValueKind::Sum ? 8 : 16);
  if (ncpus < 1 || value_size < needed || bytes.size() < stride * static_cast<size_t>(ncpus))
    return std::nullopt;
  uint64_t a = 0, b = 0; // sum/count or value, total or seen
  // Hist/LHist: the buckets, then the sum of the values.
  std::vector<uint64_t> buckets(is_list ? value_size / 8 - 1 : 0);
  uint64_t sum = 0;
  bool is_min = type.kind == ValueKind::Min;
  for (int cpu = 0; cpu < ncpus; ++cpu) {
    auto copy = bytes.subspan(stride * static_cast<size_t>(cpu), value_size);
    switch (type.kind) {
    case ValueKind::Min:
    case ValueKind::Max: {
      uint64_t v = load64(copy, 0);
      if (load64(copy, 8) != 0 && (b == 0 || better(v, a, type.is_signed, is_min))) {
        a = v;
        b = 1;
      }
      break;
    }
    case ValueKind::Avg:
    case ValueKind::Stats:
      a += load64(copy, 0);
      b += load64(copy, 8);
      break;
    case ValueKind::Hist:
    case ValueKind::LHist:
      for (size_t i = 0; i < buckets.size(); ++i)
        buckets[i] += load64(copy, i * 8);
      sum += load64(copy, buckets.size() * 8);
      break;
    default: // Sum; the other kinds are not aggregates (isAggregate)
      a += load64(copy, 0);
      break;
    }
  }
  Value value;
  switch (type.kind) {
  case ValueKind::Avg:
    return makeNumber(average(b, a, type.is_signed), type.is_signed);
  case ValueKind::Stats:
    value.kind = ValueKind::Stats;
    value.is_signed = type.is_signed;
    value.bits = average(b, a, type.is_signed);
    value.fields = {Value::makeUint(a), makeNumber(value.bits, type.is_signed),
                    makeNumber(b, type.is_signed)};
    return value;
  case ValueKind::Hist:
  case ValueKind::LHist:
    value.kind = type.kind;
    value.sum = static_cast<int64_t>(sum);
    for (uint64_t n : buckets)
      value.bits += n;
    value.buckets = std::move(buckets);
    return value;
  default:
    return makeNumber(a, type.is_signed);
  }
}

Value divideValue(const object::ValueType &type, Value value, uint64_t div) {
  if (div <= 1 || type.kind == ValueKind::LHist)
    return value;
  auto divide = [&](uint64_t bits, bool is_signed) {
    return is_signed ? static_cast<uint64_t>(static_cast<int64_t>(bits) / static_cast<int64_t>(div))
                     : bits / div;
  };
  switch (value.kind) {
  case ValueKind::Int:
  case ValueKind::Count:
    value.bits = divide(value.bits, value.is_signed);
    break;
  case ValueKind::Stats:
    value.bits = divide(value.bits, value.is_signed);
    value.fields.at(1).bits = value.bits;
    break;
  case ValueKind::Hist:
    for (uint64_t &n : value.buckets)
      n /= div;
    break;
  default: // strings, tuples, bools: not divided
    break;
  }
  return value;
}

} // namespace scry::runtime
