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

Type Type::address() {
  Type t = integer(64, false);
  t.address_ = true;
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

Type Type::tuple(std::vector<Type> elements, std::vector<std::string> names) {
  Type t;
  t.kind_ = TypeKind::Tuple;
  t.elements_ = std::move(elements);
  t.names_ = std::move(names);
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

Type Type::resolved(ResolveSpec spec) {
  Type t;
  t.kind_ = TypeKind::Resolved;
  t.bits_ = 64;
  t.resolve_ = std::make_shared<const ResolveSpec>(std::move(spec));
  return t;
}

Type Type::tseries(bool is_signed, TSeriesParams params) {
  Type t = aggregation(AggKind::TSeries, is_signed);
  t.tseries_ = params;
  return t;
}

Type Type::buffer(uint32_t capacity) {
  Type t;
  t.kind_ = TypeKind::Buffer;
  t.count_ = capacity;
  return t;
}

Type Type::inet() {
  Type t;
  t.kind_ = TypeKind::Inet;
  return t;
}

Type Type::macAddr() {
  Type t;
  t.kind_ = TypeKind::MacAddr;
  return t;
}

Type Type::stack(StackParams params) {
  Type t;
  t.kind_ = TypeKind::Stack;
  t.stack_ = params;
  return t;
}

Type Type::symbol(bool user) {
  Type t;
  t.kind_ = TypeKind::Symbol;
  t.stack_.user = user;
  return t;
}

// "kstack_perf_127": bpftrace's names, which its type errors show.
static std::string stackName(const StackParams &p) {
  if (!p.limit) // ksym/usym
    return p.user ? "usym_t" : "ksym_t";
  const char *mode = p.mode == StackMode::Perf ? "perf" : p.mode == StackMode::Raw ? "raw" : "bpftrace";
  return std::string(p.user ? "ustack_" : "kstack_") + mode + "_" + std::to_string(p.limit);
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
  case AggKind::LHist: // the buckets, then the sum of the values (Prometheus's _sum)
    return (buckets + 1) * 8;
  case AggKind::TSeries: // one interval's slot: value, meta (see emit_tseries.cpp), epoch
    return 24;
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
  case AggKind::TSeries: return "tseries_t";
  }
  return "?";
}

// bpftrace's names: username, timestamp, cgroup_path_t. A timestamp names its format,
// since two formats cannot share a map.
static std::string resolvedName(const ResolveSpec &spec) {
  switch (spec.kind) {
  case ResolveKind::Username: return "username";
  case ResolveKind::Timestamp: return "timestamp(\"" + spec.text + "\")";
  case ResolveKind::CgroupPath: return "cgroup_path_t";
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
  case TypeKind::Resolved:
    return 8;
  case TypeKind::Buffer:
    return 4 + count_;
  case TypeKind::Inet:
    return 24;
  case TypeKind::MacAddr:
    return 6;
  case TypeKind::Stack: // count, addresses, then the pid of a user stack
    return 8 + 8 * stack_.limit + (stack_.user ? 8 : 0);
  case TypeKind::Symbol: // the address, then the pid of a user address
    return stack_.user ? 16 : 8;
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
  case TypeKind::MacAddr:
    return 1;
  case TypeKind::Buffer:
    return 4;
  case TypeKind::Int:
    return bits_ / 8;
  case TypeKind::Pointer:
  case TypeKind::Count:
  case TypeKind::Aggregation:
  case TypeKind::Record:
  case TypeKind::Resolved:
  case TypeKind::Inet:
  case TypeKind::Stack:
  case TypeKind::Symbol:
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
      s += (i ? ", " : "") + (i < names_.size() ? names_[i] + "=" : "") + elements_[i].str();
    return s + ")";
  }
  case TypeKind::Count:
    return "count_t";
  case TypeKind::Aggregation:
    return aggregationName(agg_);
  case TypeKind::Resolved:
    return resolvedName(*resolve_);
  case TypeKind::Buffer:
    return "buffer[" + std::to_string(count_) + "]";
  case TypeKind::Inet:
    return "inet";
  case TypeKind::MacAddr:
    return "mac_address";
  case TypeKind::Stack:
  case TypeKind::Symbol:
    return stackName(stack_);
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
  case TypeKind::Inet:
  case TypeKind::MacAddr:
    return true;
  case TypeKind::Int:
    return bits_ == o.bits_ && is_signed_ == o.is_signed_;
  case TypeKind::String:
  case TypeKind::Buffer:
    return count_ == o.count_;
  case TypeKind::Pointer:
    return *inner_ == *o.inner_;
  case TypeKind::Array:
    return count_ == o.count_ && *inner_ == *o.inner_;
  case TypeKind::Record:
    return record_ == o.record_ || record_->name == o.record_->name;
  case TypeKind::Tuple:
    return elements_ == o.elements_ && names_ == o.names_;
  case TypeKind::Aggregation:
    return agg_ == o.agg_ && is_signed_ == o.is_signed_ && hist_ == o.hist_ &&
           tseries_ == o.tseries_;
  case TypeKind::Resolved:
    return *resolve_ == *o.resolve_;
  case TypeKind::Stack:
  case TypeKind::Symbol:
    return stack_ == o.stack_;
  }
  return false;
}

} // namespace scry::ast
