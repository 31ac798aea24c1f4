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
  Resolved,    // a u64 that user space turns into text when printing: see ResolveSpec
  // Byte values of the string and network functions (src/sema/checker_strings.cpp),
  // printed by user space (runtime/bytes_format.h); see Type::isBytes():
  Buffer,  // buf(): a u32 length, then count_of() bytes
  Inet,    // ntop(): a u64 address family, then 16 address bytes
  MacAddr, // macaddr(): 6 bytes
  // Stacks and symbols (issue 5; sema: checker_stacks.cpp, codegen: emit_stacks.cpp),
  // symbolised by user space (runtime/symbolize.h); see StackParams:
  Stack,  // kstack/ustack: u64 frame count, `limit` u64 addresses; ustack: u32 pid, u32 0
  Symbol, // ksym(): a u64 address; usym(): a u64 address, u32 pid, u32 0
};

// How a stack prints: bpftrace's indented "sym+off" lines, perf's "\taddr sym+off"
// lines, or raw addresses (bpftrace 0.18+).
enum class StackMode { Bpftrace, Perf, Raw };

// kstack/ustack (and ksym/usym: `user` only) parameters, fixed at compile time.
struct StackParams {
  bool user = false;
  StackMode mode = StackMode::Bpftrace;
  uint32_t limit = 0; // frames kept (Stack)
  bool operator==(const StackParams &o) const {
    return user == o.user && mode == o.mode && limit == o.limit;
  }
};

// The aggregations other than count(); each lives in a per-CPU map value whose
// copies user space combines (src/codegen/emit_aggregations.cpp has the layouts).
enum class AggKind {
  Sum, Min, Max, Avg, Stats, Hist, LHist,
  TSeries, // tseries(n, interval, num_intervals[, agg]): see TSeriesParams
};

// hist(n, bits) and lhist(n, min, max, step) parameters, fixed at compile time.
struct HistParams {
  uint32_t bits = 0;
  int64_t min = 0, max = 0, step = 1;
  bool operator==(const HistParams &o) const {
    return bits == o.bits && min == o.min && max == o.max && step == o.step;
  }
};

// How tseries() combines the values recorded in one interval: the last one (no
// aggregation function given), or their average, maximum, minimum or sum.
enum class TSeriesAgg { Last, Avg, Max, Min, Sum };

// tseries(n, interval_ns, num_intervals[, agg]) parameters, fixed at compile time.
struct TSeriesParams {
  uint64_t interval_ns = 1;
  uint32_t num_intervals = 1;
  TSeriesAgg agg = TSeriesAgg::Last;
  bool operator==(const TSeriesParams &o) const {
    return interval_ns == o.interval_ns && num_intervals == o.num_intervals && agg == o.agg;
  }
};

// Where a pointer points; decides between probe_read_kernel and probe_read_user.
enum class AddrSpace { None, Kernel, User };

struct RecordType;

// The clocks nsecs(mode) reads. strftime() needs to know which one its argument came
// from: boot-clock times are made wall-clock times by adding the boot time.
enum class Clock { Boot, Monotonic, Tai, SwTai };

// Values printed after user space resolves them (time, process and system functions,
// src/sema/checker_sys.cpp): `username` (a uid, printed as the user's name),
// strftime(fmt, ns) (a timestamp, printed through `fmt`), cgroup_path(id[, filter])
// (a cgroup id, printed as its paths). They are stored as a u64; scripts can print
// them, store them in variables and maps, and use them as map keys, nothing else.
enum class ResolveKind { Username, Timestamp, CgroupPath };
struct ResolveSpec {
  ResolveKind kind = ResolveKind::Username;
  std::string text;          // Timestamp: the strftime format; CgroupPath: the filter
  Clock clock = Clock::Boot; // Timestamp
  bool operator==(const ResolveSpec &o) const {
    return kind == o.kind && text == o.text && clock == o.clock;
  }
};

class Type {
public:
  Type() = default;
  static Type none() { return Type(); }
  static Type boolean();
  static Type integer(unsigned bits, bool is_signed);
  // A pointer kept in a map, tuple or output record (issue #5): its pointee is
  // forgotten and it is a uint64 in every respect (== integer(64, false)) but one: it
  // prints as bpftrace prints pointers, in hex.
  static Type address();
  static Type string(uint32_t size);
  static Type pointer(const Type &pointee, AddrSpace as);
  static Type array(const Type &element, uint32_t count);
  static Type record(std::shared_ptr<const RecordType> rec);
  // With `names`, a record (bpftrace 0.25, issue 3): a tuple whose elements have names.
  static Type tuple(std::vector<Type> elements, std::vector<std::string> names = {});
  static Type count();
  // `is_signed`: of the values aggregated (sum/min/max/avg/stats); hist/lhist take
  // `params`.
  static Type aggregation(AggKind agg, bool is_signed, HistParams params = {});
  static Type resolved(ResolveSpec spec); // time, process and system functions
  static Type tseries(bool is_signed, TSeriesParams params); // AggKind::TSeries
  static Type buffer(uint32_t capacity); // buf(): up to `capacity` bytes
  static Type inet();                    // ntop()
  static Type macAddr();                 // macaddr()
  static Type stack(StackParams params);  // kstack, ustack
  static Type symbol(bool user);          // ksym(), usym()

  TypeKind kind() const { return kind_; }
  bool isNone() const { return kind_ == TypeKind::None; }
  bool isInt() const { return kind_ == TypeKind::Int; }
  bool isAddress() const { return kind_ == TypeKind::Int && address_; } // address()
  bool isBool() const { return kind_ == TypeKind::Bool; }
  bool isString() const { return kind_ == TypeKind::String; }
  bool isPointer() const { return kind_ == TypeKind::Pointer; }
  bool isRecord() const { return kind_ == TypeKind::Record; }
  bool isTuple() const { return kind_ == TypeKind::Tuple; }
  bool isArray() const { return kind_ == TypeKind::Array; }
  bool isAggregation() const { return kind_ == TypeKind::Aggregation; }
  bool isResolved() const { return kind_ == TypeKind::Resolved; }
  bool isStack() const { return kind_ == TypeKind::Stack; }
  bool isSymbol() const { return kind_ == TypeKind::Symbol; }
  const StackParams &stackParams() const { return stack_; } // Stack, Symbol (`user`)
  // Buffer, Inet, MacAddr: stored, compared for equality, used as map keys and
  // printed, but not computed with.
  bool isBytes() const {
    return kind_ == TypeKind::Buffer || kind_ == TypeKind::Inet || kind_ == TypeKind::MacAddr;
  }
  const ResolveSpec &resolveSpec() const { return *resolve_; } // Resolved only
  AggKind aggKind() const { return agg_; }          // Aggregation only
  const HistParams &histParams() const { return hist_; } // Hist/LHist only
  const TSeriesParams &tseriesParams() const { return tseries_; } // TSeries only
  // Number of u64 buckets of a Hist/LHist value.
  uint32_t histBuckets() const;
  // Integers, bools and pointers: usable in arithmetic, conditions and comparisons.
  bool isScalar() const { return isInt() || isBool() || isPointer(); }

  unsigned bits() const { return bits_; } // Int only
  bool isSigned() const { return is_signed_; }
  uint32_t count_of() const { return count_; } // Array; Buffer: its capacity
  AddrSpace addrSpace() const { return as_; }
  const Type &pointee() const { return *inner_; }  // Pointer only
  const Type &element() const { return *inner_; }  // Array only
  const RecordType &recordType() const { return *record_; }
  const std::vector<Type> &elements() const { return elements_; } // Tuple only
  const std::vector<std::string> &names() const { return names_; } // a record's, else empty

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
  bool address_ = false; // Int: address(), printed in hex; not part of ==
  uint32_t count_ = 0; // array length or string size
  AddrSpace as_ = AddrSpace::None;
  std::shared_ptr<const Type> inner_;
  std::shared_ptr<const RecordType> record_;
  std::vector<Type> elements_;
  std::vector<std::string> names_; // Tuple: a record's field names (issue 3)
  AggKind agg_ = AggKind::Sum;
  HistParams hist_;
  TSeriesParams tseries_;
  StackParams stack_; // Stack, Symbol
  std::shared_ptr<const ResolveSpec> resolve_; // Resolved
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
