// Script-level types.
#include "ast/type.h"

#include <algorithm>

namespace scry::ast {

Type Type::boolean() {
  Type t;
  t.kind_ = TypeKind::Bool;
  t.bits_ = 8;
  return t;
}

Type Type::integer(unsigned bits, bool is_signed) {
  Type t;
  t.kind_ = TypeKind::Int;
  t.bits_ = bits;
  t.is_signed_ = is_signed;
  return t;
}

Type Type::string(uint32_t size) {
  Type t;
  t.kind_ = TypeKind::String;
  t.count_ = size;
  return t;
}

Type Type::pointer(const Type &pointee, AddrSpace as) {
  Type t;
  t.kind_ = TypeKind::Pointer;
  t.inner_ = std::make_shared<Type>(pointee);
  t.as_ = as;
  return t;
}

Type Type::array(const Type &element, uint32_t count) {
  Type t;
  t.kind_ = TypeKind::Array;
  t.inner_ = std::make_shared<Type>(element);
  t.count_ = count;
  return t;
}

Type Type::record(std::shared_ptr<const RecordType> rec) {
  Type t;
  t.kind_ = TypeKind::Record;
  t.record_ = std::move(rec);
  return t;
}

Type Type::tuple(std::vector<Type> elements) {
  Type t;
  t.kind_ = TypeKind::Tuple;
  t.elements_ = std::move(elements);
  return t;
}

Type Type::count() {
  Type t;
  t.kind_ = TypeKind::Count;
  t.bits_ = 64;
  return t;
}

Type Type::aggregation(AggKind agg, bool is_signed, HistParams params) {
  Type t;
  t.kind_ = TypeKind::Aggregation;
  t.bits_ = 64;
  t.agg_ = agg;
  t.is_signed_ = is_signed;
  if (agg == AggKind::Hist || agg == AggKind::LHist)
    t.hist_ = params;
  return t;
}

uint32_t Type::histBuckets() const {
  if (agg_ == AggKind::Hist) // (negative) + (64 - bits) powers of two of 2^bits each
    return ((64 - hist_.bits) << hist_.bits) + 1;
  if (agg_ == AggKind::LHist) // underflow + (max - min) / step + overflow
    return static_cast<uint32_t>((hist_.max - hist_.min) / hist_.step) + 2;
  return 0;
}

// Bytes of one CPU's copy of an aggregation's value.
static uint32_t aggregationSize(AggKind agg, uint32_t buckets) {
  switch (agg) {
  case AggKind::Sum:
    return 8;
  case AggKind::Min:
  case AggKind::Max:   // value, then a "seen" flag
  case AggKind::Avg:
  case AggKind::Stats: // count, then total
    return 16;
  case AggKind::Hist:
  case AggKind::LHist:
    return buckets * 8;
  }
  return 0;
}

static const char *aggregationName(AggKind agg) {
  switch (agg) {
  case AggKind::Sum: return "sum_t";
  case AggKind::Min: return "min_t";
  case AggKind::Max: return "max_t";
  case AggKind::Avg: return "avg_t";
  case AggKind::Stats: return "stats_t";
  case AggKind::Hist: return "hist_t";
  case AggKind::LHist: return "lhist_t";
  }
  return "?";
}

uint32_t Type::size() const {
  switch (kind_) {
  case TypeKind::None:
    return 0;
  case TypeKind::Bool:
    return 1;
  case TypeKind::Int:
    return bits_ / 8;
  case TypeKind::String:
    return count_;
  case TypeKind::Pointer:
  case TypeKind::Count:
    return 8;
  case TypeKind::Aggregation:
    return aggregationSize(agg_, histBuckets());
  case TypeKind::Array:
    return inner_->size() * count_;
  case TypeKind::Record:
    return record_->size;
  case TypeKind::Tuple: {
    if (elements_.empty())
      return 0;
    auto offsets = tupleOffsets();
    uint32_t end = offsets.back() + elements_.back().size();
    uint32_t a = align();
    return (end + a - 1) / a * a;
  }
  }
  return 0;
}

uint32_t Type::align() const {
  switch (kind_) {
  case TypeKind::None:
  case TypeKind::Bool:
  case TypeKind::String:
    return 1;
  case TypeKind::Int:
    return bits_ / 8;
  case TypeKind::Pointer:
  case TypeKind::Count:
  case TypeKind::Aggregation:
  case TypeKind::Record:
    return 8;
  case TypeKind::Array:
    return inner_->align();
  case TypeKind::Tuple: {
    uint32_t a = 1;
    for (const auto &e : elements_)
      a = std::max(a, e.align());
    return a;
  }
  }
  return 1;
}

std::vector<uint32_t> Type::tupleOffsets() const {
  std::vector<uint32_t> out;
  uint32_t off = 0;
  for (const auto &e : elements_) {
    uint32_t a = e.align();
    off = (off + a - 1) / a * a;
    out.push_back(off);
    off += e.size();
  }
  return out;
}

std::string Type::str() const {
  switch (kind_) {
  case TypeKind::None:
    return "none";
  case TypeKind::Bool:
    return "bool";
  case TypeKind::Int:
    return std::string(is_signed_ ? "int" : "uint") + std::to_string(bits_);
  case TypeKind::String:
    return "string[" + std::to_string(count_) + "]";
  case TypeKind::Pointer:
    return inner_->str() + " *";
  case TypeKind::Array:
    return inner_->str() + "[" + std::to_string(count_) + "]";
  case TypeKind::Record:
    return record_->name;
  case TypeKind::Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < elements_.size(); ++i)
      s += (i ? ", " : "") + elements_[i].str();
    return s + ")";
  }
  case TypeKind::Count:
    return "count_t";
  case TypeKind::Aggregation:
    return aggregationName(agg_);
  }
  return "?";
}

bool Type::operator==(const Type &o) const {
  if (kind_ != o.kind_)
    return false;
  switch (kind_) {
  case TypeKind::None:
  case TypeKind::Bool:
  case TypeKind::Count:
    return true;
  case TypeKind::Int:
    return bits_ == o.bits_ && is_signed_ == o.is_signed_;
  case TypeKind::String:
    return count_ == o.count_;
  case TypeKind::Pointer:
    return *inner_ == *o.inner_;
  case TypeKind::Array:
    return count_ == o.count_ && *inner_ == *o.inner_;
  case TypeKind::Record:
    return record_ == o.record_ || record_->name == o.record_->name;
  case TypeKind::Tuple:
    return elements_ == o.elements_;
  case TypeKind::Aggregation:
    return agg_ == o.agg_ && is_signed_ == o.is_signed_ && hist_ == o.hist_;
  }
  return false;
}

} // namespace scry::ast
