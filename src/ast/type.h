// Script-level types: what sema infers for every expression and codegen lowers.
// Values are small and copyable; nested types (pointee, element, record) are shared.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace scry::ast {

enum class TypeKind {
  None,    // statements, calls with no value, and errors already reported
  Bool,
  Int,
  String,  // NUL-terminated, at most size() bytes including the NUL
  Pointer,
  Array,
  Record,  // a struct: a tracepoint's args, or a struct from BTF
  Tuple,   // map keys with several parts
  Count,   // count() aggregation: a per-CPU u64 summed when read
  Aggregation, // sum/min/max/avg/stats/hist/lhist: see AggKind
};

// The aggregations other than count(); each lives in a per-CPU map value whose
// copies user space combines (src/codegen/emit_aggregations.cpp has the layouts).
enum class AggKind { Sum, Min, Max, Avg, Stats, Hist, LHist };

// hist(n, bits) and lhist(n, min, max, step) parameters, fixed at compile time.
struct HistParams {
  uint32_t bits = 0;
  int64_t min = 0, max = 0, step = 1;
  bool operator==(const HistParams &o) const {
    return bits == o.bits && min == o.min && max == o.max && step == o.step;
  }
};

// Where a pointer points; decides between probe_read_kernel and probe_read_user.
enum class AddrSpace { None, Kernel, User };

struct RecordType;

class Type {
public:
  Type() = default;
  static Type none() { return Type(); }
  static Type boolean();
  static Type integer(unsigned bits, bool is_signed);
  static Type string(uint32_t size);
  static Type pointer(const Type &pointee, AddrSpace as);
  static Type array(const Type &element, uint32_t count);
  static Type record(std::shared_ptr<const RecordType> rec);
  static Type tuple(std::vector<Type> elements);
  static Type count();
  // `is_signed`: of the values aggregated (sum/min/max/avg/stats); hist/lhist take
  // `params`.
  static Type aggregation(AggKind agg, bool is_signed, HistParams params = {});

  TypeKind kind() const { return kind_; }
  bool isNone() const { return kind_ == TypeKind::None; }
  bool isInt() const { return kind_ == TypeKind::Int; }
  bool isBool() const { return kind_ == TypeKind::Bool; }
  bool isString() const { return kind_ == TypeKind::String; }
  bool isPointer() const { return kind_ == TypeKind::Pointer; }
  bool isRecord() const { return kind_ == TypeKind::Record; }
  bool isTuple() const { return kind_ == TypeKind::Tuple; }
  bool isArray() const { return kind_ == TypeKind::Array; }
  bool isAggregation() const { return kind_ == TypeKind::Aggregation; }
  AggKind aggKind() const { return agg_; }          // Aggregation only
  const HistParams &histParams() const { return hist_; } // Hist/LHist only
  // Number of u64 buckets of a Hist/LHist value.
  uint32_t histBuckets() const;
  // Integers, bools and pointers: usable in arithmetic, conditions and comparisons.
  bool isScalar() const { return isInt() || isBool() || isPointer(); }

  unsigned bits() const { return bits_; } // Int only
  bool isSigned() const { return is_signed_; }
  uint32_t count_of() const { return count_; } // Array only
  AddrSpace addrSpace() const { return as_; }
  const Type &pointee() const { return *inner_; }  // Pointer only
  const Type &element() const { return *inner_; }  // Array only
  const RecordType &recordType() const { return *record_; }
  const std::vector<Type> &elements() const { return elements_; } // Tuple only

  // Bytes a value of this type occupies when stored (map key/value, event payload).
  uint32_t size() const;
  uint32_t align() const;
  // Offsets of tuple elements, laid out with natural alignment.
  std::vector<uint32_t> tupleOffsets() const;

  // The name used in messages, as bpftrace spells it: "int64", "uint32",
  // "string[16]", "const char *"-like "int8 *", "struct foo", "count_t".
  std::string str() const;

  bool operator==(const Type &o) const;
  bool operator!=(const Type &o) const { return !(*this == o); }

private:
  TypeKind kind_ = TypeKind::None;
  unsigned bits_ = 0;
  bool is_signed_ = false;
  uint32_t count_ = 0; // array length or string size
  AddrSpace as_ = AddrSpace::None;
  std::shared_ptr<const Type> inner_;
  std::shared_ptr<const RecordType> record_;
  std::vector<Type> elements_;
  AggKind agg_ = AggKind::Sum;
  HistParams hist_;
};

struct Field {
  std::string name;
  Type type;
  uint32_t offset = 0;
  // A tracefs `__data_loc` field: the stored u32 holds (length << 16 | offset) of the
  // data within the record; `type` is the string it refers to.
  bool data_loc = false;
};

struct RecordType {
  std::string name; // e.g. "struct trace_event_raw_sched_switch" or "args of syscalls:sys_enter_openat"
  uint32_t size = 0;
  std::vector<Field> fields;

  const Field *find(const std::string &field) const {
    for (const auto &f : fields)
      if (f.name == field)
        return &f;
    return nullptr;
  }
};

} // namespace scry::ast
