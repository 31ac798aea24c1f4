// Decoding, printing and ordering of values read back from BPF maps and records.
#include "runtime/value.h"

#include "runtime/aggregate.h"
#include "runtime/resolve.h"
#include "runtime/bytes_format.h"
#include "runtime/stack_format.h"
#include "runtime/symbolize.h"

#include <algorithm>
#include <cstring>

namespace scry::runtime {

using object::ValueKind;
using object::ValueType;

Value Value::makeInt(int64_t v, uint32_t size) {
  Value value;
  value.kind = ValueKind::Int;
  value.bits = static_cast<uint64_t>(v);
  value.is_signed = true;
  value.size = size;
  return value;
}

Value Value::makeUint(uint64_t v, uint32_t size) {
  Value value;
  value.kind = ValueKind::Int;
  value.bits = v;
  value.size = size;
  return value;
}

Value Value::makeString(std::string s) {
  Value value;
  value.kind = ValueKind::String;
  value.str = std::move(s);
  value.size = static_cast<uint32_t>(value.str.size());
  return value;
}

Value Value::makeBool(bool b) {
  Value value;
  value.kind = ValueKind::Bool;
  value.bits = b ? 1 : 0;
  value.size = 1;
  return value;
}

Value Value::makeCount(uint64_t v) {
  Value value;
  value.kind = ValueKind::Count;
  value.bits = v;
  value.size = 8;
  return value;
}

Value Value::makePointer(uint64_t address) {
  Value value;
  value.kind = ValueKind::Pointer;
  value.bits = address;
  value.size = 8;
  return value;
}

Value Value::makeTuple(std::vector<Value> fields) {
  Value value;
  value.kind = ValueKind::Tuple;
  value.fields = std::move(fields);
  return value;
}

uint32_t valueSize(const ValueType &type) {
  if (type.size != 0)
    return type.size;
  switch (type.kind) {
  case ValueKind::None:
  case ValueKind::Int:
  case ValueKind::String:
    return 0;
  case ValueKind::Bool:
    return 1;
  case ValueKind::Count:
  case ValueKind::Sum:
    return 8;
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
  case ValueKind::Stats:
    return 16;
  case ValueKind::Hist:
  case ValueKind::LHist:
    return 0;
  case ValueKind::TSeries: // one interval's slot
    return 24;
  case ValueKind::Buffer:
    return 4;
  case ValueKind::Inet:
    return 24;
  case ValueKind::MacAddr:
    return 6;
  case ValueKind::Username: // time, process and system: a u64 (resolve.h)
  case ValueKind::Timestamp:
  case ValueKind::CgroupPath:
    return 8;
  case ValueKind::KStack: // stacks and symbols: sized by codegen (stack_format.h)
  case ValueKind::UStack:
    return 8 + 8 * type.stack.limit + (type.kind == ValueKind::UStack ? 8 : 0);
  case ValueKind::KSym:
  case ValueKind::Pointer:
    return 8;
  case ValueKind::USym:
    return 16;
  case ValueKind::Array: // sized by codegen
    return 0;
  case ValueKind::Tuple: {
    uint32_t end = 0;
    for (size_t i = 0; i < type.fields.size() && i < type.offsets.size(); ++i)
      end = std::max(end, type.offsets[i] + valueSize(type.fields[i]));
    return end;
  }
  }
  return 0;
}

// Little-endian load of `size` bytes, sign-extended to 64 bits when `is_signed`.
static uint64_t loadInt(const uint8_t *p, uint32_t size, bool is_signed) {
  uint64_t raw = 0;
  std::memcpy(&raw, p, size); // the BPF target and the host are both little endian
  if (is_signed && size < 8) {
    uint32_t shift = 64 - size * 8;
    return static_cast<uint64_t>(static_cast<int64_t>(raw << shift) >> shift);
  }
  return raw;
}

static std::optional<Value> decodeTuple(const ValueType &type, std::span<const uint8_t> bytes) {
  if (type.fields.size() != type.offsets.size())
    return std::nullopt;
  std::vector<Value> fields;
  for (size_t i = 0; i < type.fields.size(); ++i) {
    if (type.offsets[i] > bytes.size())
      return std::nullopt;
    auto field = decodeValue(type.fields[i], bytes.subspan(type.offsets[i]));
    if (!field)
      return std::nullopt;
    fields.push_back(std::move(*field));
  }
  Value tuple = Value::makeTuple(std::move(fields));
  tuple.names = type.names;
  return tuple;
}

// An integer array (issue 3): its elements, each decoded as fields[0].
static std::optional<Value> decodeArray(const ValueType &type, std::span<const uint8_t> bytes) {
  if (type.fields.size() != 1)
    return std::nullopt;
  uint32_t element = valueSize(type.fields[0]);
  if (element == 0)
    return std::nullopt;
  Value array;
  array.kind = ValueKind::Array;
  array.size = type.size;
  for (uint32_t offset = 0; offset + element <= type.size; offset += element) {
    auto value = decodeValue(type.fields[0], bytes.subspan(offset, element));
    if (!value)
      return std::nullopt;
    array.fields.push_back(std::move(*value));
  }
  return array;
}

// Buffer, Inet, MacAddr: `bytes` holds exactly the value.
static std::optional<Value> decodeBytes(const ValueType &type, std::span<const uint8_t> bytes) {
  Value value;
  value.kind = type.kind;
  if (type.kind == ValueKind::Buffer) {
    uint32_t length = static_cast<uint32_t>(loadInt(bytes.data(), 4, false));
    auto data = bytes.subspan(4, std::min<size_t>(length, bytes.size() - 4));
    value.str.assign(data.begin(), data.end());
  } else if (type.kind == ValueKind::Inet) {
    value.str = formatInet(loadInt(bytes.data(), 8, false), bytes.subspan<8, 16>());
  } else {
    value.str = formatMacAddr(bytes.first<6>());
  }
  value.size = static_cast<uint32_t>(value.str.size());
  return value;
}

std::optional<Value> decodeValue(const ValueType &type, std::span<const uint8_t> bytes) {
  uint32_t size = valueSize(type);
  if (bytes.size() < size)
    return std::nullopt;
  switch (type.kind) {
  case ValueKind::None:
    return Value{};
  case ValueKind::Int: {
    if (size != 1 && size != 2 && size != 4 && size != 8)
      return std::nullopt;
    Value value = Value::makeUint(loadInt(bytes.data(), size, type.is_signed), size);
    value.is_signed = type.is_signed;
    return value;
  }
  case ValueKind::Bool:
    return Value::makeBool(bytes[0] != 0);
  case ValueKind::Count:
    if (size != 8)
      return std::nullopt;
    return Value::makeCount(loadInt(bytes.data(), 8, false));
  case ValueKind::Pointer:
    if (size != 8)
      return std::nullopt;
    return Value::makePointer(loadInt(bytes.data(), 8, false));
  case ValueKind::String: {
    const char *text = reinterpret_cast<const char *>(bytes.data());
    size_t length = strnlen(text, size);
    Value value = Value::makeString(std::string(text, length));
    // A string read up to its limit that filled it (its NUL in the last byte, or no
    // NUL at all) was cut: bpftrace marks that with its trailer.
    if (type.truncatable && size > 1 && length + 1 >= size)
      value.str += type.trunc_trailer;
    return value;
  }
  case ValueKind::Buffer:
  case ValueKind::Inet:
  case ValueKind::MacAddr:
    return decodeBytes(type, bytes.first(size));
  case ValueKind::Tuple:
    return decodeTuple(type, bytes);
  case ValueKind::Array:
    return decodeArray(type, bytes);
  case ValueKind::KStack:
  case ValueKind::UStack:
  case ValueKind::KSym:
  case ValueKind::USym:
    return decodeStack(type, bytes); // stack_format.cpp
  case ValueKind::Username:
  case ValueKind::Timestamp:
  case ValueKind::CgroupPath: {
    Value value = Value::makeUint(loadInt(bytes.data(), 8, false));
    value.kind = type.kind;
    value.str = type.text;
    value.boot_clock = type.boot_clock;
    return value;
  }
  case ValueKind::Sum:
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
  case ValueKind::Stats:
  case ValueKind::Hist:
  case ValueKind::LHist:
  case ValueKind::TSeries:
    return decodeAggregate(type, bytes, size, 1); // aggregate.cpp: one CPU's copy
  }
  return std::nullopt;
}

std::string formatValue(const Value &value) {
  switch (value.kind) {
  case ValueKind::None:
    return "";
  case ValueKind::Int:
  case ValueKind::Count:
    return value.is_signed ? std::to_string(value.asSigned()) : std::to_string(value.bits);
  case ValueKind::Bool:
    return value.bits ? "true" : "false";
  case ValueKind::Pointer:
    return formatPointer(value.bits);
  case ValueKind::String:
  case ValueKind::Inet:    // decoded to its text
  case ValueKind::MacAddr: // decoded to its text
    return value.str;
  case ValueKind::Buffer:
    return formatBuffer({reinterpret_cast<const uint8_t *>(value.str.data()), value.str.size()});
  case ValueKind::Username:
    return usernameText(value.bits); // resolve.h
  case ValueKind::Timestamp:
    return timestampText(value.str, value.bits, value.boot_clock);
  case ValueKind::CgroupPath:
    return cgroupPathText(value.bits, value.str);
  case ValueKind::KStack: // symbolised now (stack_format.h)
  case ValueKind::UStack:
    return stackText(value, processSymbolizer());
  case ValueKind::KSym:
  case ValueKind::USym:
    return symbolText(value, processSymbolizer());
  case ValueKind::Sum: // decoded aggregates are Int, Stats, Hist or LHist values
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
    return value.is_signed ? std::to_string(value.asSigned()) : std::to_string(value.bits);
  case ValueKind::Hist:
  case ValueKind::LHist:
    return ""; // drawn by hist_format.h
  case ValueKind::TSeries:
    return ""; // drawn by tseries.h
  case ValueKind::Stats:
    return "{ .count = " + formatValue(value.fields.at(0)) +
           ", .average = " + formatValue(value.fields.at(1)) +
           ", .total = " + formatValue(value.fields.at(2)) + " }";
  case ValueKind::Tuple: {
    if (!value.names.empty()) { // a record: `{ .a = 1, .b = x }`, as bpftrace 0.25 prints it
      std::string text = "{";
      for (size_t i = 0; i < value.fields.size() && i < value.names.size(); ++i)
        text += (i ? ", ." : " .") + value.names[i] + " = " + formatValue(value.fields[i]);
      return text + " }";
    }
    std::string text = "(";
    for (size_t i = 0; i < value.fields.size(); ++i) {
      if (i)
        text += ", ";
      text += formatValue(value.fields[i]);
    }
    return text + ")";
  }
  case ValueKind::Array: { // `[1,2,3]`, as bpftrace prints arrays
    std::string text = "[";
    for (size_t i = 0; i < value.fields.size(); ++i)
      text += (i ? "," : "") + formatValue(value.fields[i]);
    return text + "]";
  }
  }
  return "";
}

template <typename T> static int threeWay(T a, T b) { return a < b ? -1 : (b < a ? 1 : 0); }

int compareValues(const Value &a, const Value &b) {
  if (a.kind != b.kind)
    return threeWay(static_cast<int>(a.kind), static_cast<int>(b.kind));
  switch (a.kind) {
  case ValueKind::None:
    return 0;
  case ValueKind::Int:
  case ValueKind::Count:
  case ValueKind::Bool:
  case ValueKind::Sum:
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
  case ValueKind::Stats:
  case ValueKind::Hist:
  case ValueKind::LHist:
  case ValueKind::TSeries: // by the latest interval
  case ValueKind::Username: // by uid, time, id
  case ValueKind::Timestamp:
  case ValueKind::CgroupPath:
  case ValueKind::Pointer: // by address
    if (a.is_signed || b.is_signed)
      return threeWay(a.asSigned(), b.asSigned());
    return threeWay(a.bits, b.bits);
  case ValueKind::String:
  case ValueKind::Buffer:
  case ValueKind::Inet:
  case ValueKind::MacAddr: {
    int c = a.str.compare(b.str); // char_traits<char> compares as unsigned char
    return threeWay(c, 0);
  }
  case ValueKind::Tuple:
  case ValueKind::Array:
    for (size_t i = 0; i < a.fields.size() && i < b.fields.size(); ++i)
      if (int c = compareValues(a.fields[i], b.fields[i]))
        return c;
    return threeWay(a.fields.size(), b.fields.size());
  case ValueKind::KStack: // by address, leaf first, then by pid
  case ValueKind::UStack:
  case ValueKind::KSym:
  case ValueKind::USym:
    for (size_t i = 0; i < a.addrs.size() && i < b.addrs.size(); ++i)
      if (a.addrs[i] != b.addrs[i])
        return threeWay(a.addrs[i], b.addrs[i]);
    if (a.addrs.size() != b.addrs.size())
      return threeWay(a.addrs.size(), b.addrs.size());
    return threeWay(a.bits, b.bits);
  }
  return 0;
}

} // namespace scry::runtime
