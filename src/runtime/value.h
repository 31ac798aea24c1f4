// Values the runtime reads back from the kernel (ring-buffer records, map keys and
// values), decoded from their byte layout (object::ValueType) into a form that can be
// printed and ordered. Pure: no kernel, no libbpf.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "object/object.h"

namespace scry::runtime {

struct Value {
  object::ValueKind kind = object::ValueKind::None;
  // Int, Bool, Count, Pointer: the value widened to 64 bits (sign-extended when is_signed).
  uint64_t bits = 0;
  bool is_signed = false;
  uint32_t size = 0;         // Int: width in bytes (1, 2, 4 or 8)
  std::string str;           // String: the bytes up to the first NUL
  // Tuple; Stats: count, average, total (and `bits` holds the average, to sort by).
  std::vector<Value> fields;
  std::vector<std::string> names; // Tuple: a record's field names, else empty (issue 3)
  // Hist, LHist: counts combined over the CPUs (and `bits` their total, to sort by).
  std::vector<uint64_t> buckets;
  int64_t sum = 0; // Hist, LHist: the sum of the values recorded (Prometheus's _sum)
  // Username, Timestamp, CgroupPath: `bits` holds the u64 (uid, nanoseconds, cgroup id),
  // `str` the strftime format or the cgroup filter; resolved to text when formatted.
  bool boot_clock = false; // Timestamp: nanoseconds since boot, else since the epoch
  // KStack, UStack (leaf first), KSym, USym (one): the addresses (issue 5), symbolised
  // when formatted (runtime/symbolize.h). `bits` holds the pid of a user stack or
  // usym(); `stack_mode` is object::StackDesc::mode.
  std::vector<uint64_t> addrs;
  uint32_t stack_mode = 0;

  static Value makeInt(int64_t v, uint32_t size = 8);
  static Value makeUint(uint64_t v, uint32_t size = 8);
  static Value makeString(std::string s);
  static Value makeBool(bool b);
  static Value makeCount(uint64_t v);
  static Value makeTuple(std::vector<Value> fields);
  static Value makePointer(uint64_t address);

  int64_t asSigned() const { return static_cast<int64_t>(bits); }
};

// Bytes `type` occupies: its size, or for a Tuple the end of its last field when
// size is 0; Count defaults to 8 and Bool to 1.
uint32_t valueSize(const object::ValueType &type);

// Decodes `type` from the start of `bytes`. nullopt when `bytes` is too short or the
// type is malformed (Int of a size other than 1/2/4/8, Tuple offsets out of range).
std::optional<Value> decodeValue(const object::ValueType &type, std::span<const uint8_t> bytes);

// bpftrace's text form: integers in decimal (signedness respected), pointers in hex
// ("0xffff..."), Bool as true/false, strings unquoted, tuples as "(a, b)" (nested
// tuples keep parentheses).
std::string formatValue(const Value &value);

// Total order used to sort map entries: integers numerically (signed when either side
// is signed), strings bytewise, tuples field by field, then by kind.
int compareValues(const Value &a, const Value &b);

} // namespace scry::runtime
