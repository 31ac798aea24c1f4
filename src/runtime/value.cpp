// Decoding, printing and ordering of values read back from BPF maps and records.
#include "runtime/value.h"

#include "runtime/aggregate.h"

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
  return Value::makeTuple(std::move(fields));
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
  case ValueKind::String: {
    const char *text = reinterpret_cast<const char *>(bytes.data());
    return Value::makeString(std::string(text, strnlen(text, size)));
  }
  case ValueKind::Tuple:
    return decodeTuple(type, bytes);
  case ValueKind::Sum:
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
  case ValueKind::Stats:
  case ValueKind::Hist:
  case ValueKind::LHist:
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
  case ValueKind::String:
    return value.str;
  case ValueKind::Sum: // decoded aggregates are Int, Stats, Hist or LHist values
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
    return value.is_signed ? std::to_string(value.asSigned()) : std::to_string(value.bits);
  case ValueKind::Hist:
  case ValueKind::LHist:
    return ""; // drawn by hist_format.h
  case ValueKind::Stats:
    return "{ .count = " + formatValue(value.fields.at(0)) +
           ", .average = " + formatValue(value.fields.at(1)) +
           ", .total = " + formatValue(value.fields.at(2)) + " }";
  case ValueKind::Tuple: {
    std::string text = "(";
    for (size_t i = 0; i < value.fields.size(); ++i) {
      if (i)
        text += ", ";
      text += formatValue(value.fields[i]);
    }
    return text + ")";
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
    if (a.is_signed || b.is_signed)
      return threeWay(a.asSigned(), b.asSigned());
    return threeWay(a.bits, b.bits);
  case ValueKind::String: {
    int c = a.str.compare(b.str); // char_traits<char> compares as unsigned char
    return threeWay(c, 0);
  }
  case ValueKind::Tuple:
    for (size_t i = 0; i < a.fields.size() && i < b.fields.size(); ++i)
      if (int c = compareValues(a.fields[i], b.fields[i]))
        return c;
    return threeWay(a.fields.size(), b.fields.size());
  }
  return 0;
}

} // namespace scry::runtime
