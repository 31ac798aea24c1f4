// JSON forms of values and maps, as bpftrace 0.26 writes them (output/json.cpp):
// objects spaced ({"a": 1, "b": 2}), arrays not ([1,"two"]); map keys are strings, a
// tuple key without its parentheses and spaces ("1,x"); integers a double cannot hold
// exactly are written as strings; hist buckets are closed intervals.
#include <cstdio>

#include "runtime/hist_format.h"
#include "runtime/map_print.h"
#include "runtime/tseries.h"

namespace scry::runtime {

using object::ValueKind;

std::string jsonString(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (static_cast<unsigned char>(c) <= 0x1f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

namespace {

constexpr double kTwoTo63 = 9223372036854775808.0;

std::string jsonInt(uint64_t bits, bool is_signed) {
  if (is_signed) {
    auto v = static_cast<int64_t>(bits);
    auto d = static_cast<double>(v);
    bool exact = d < kTwoTo63 && d >= -kTwoTo63 && static_cast<int64_t>(d) == v;
    return exact ? std::to_string(v) : jsonString(std::to_string(v));
  }
  auto d = static_cast<double>(bits);
  bool exact = d < 2 * kTwoTo63 && static_cast<uint64_t>(d) == bits;
  return exact ? std::to_string(bits) : jsonString(std::to_string(bits));
}

std::string jsonHist(const object::ValueType &type, const Value &value) {
  std::string out = "[";
  bool first = true;
  for (const HistRow &row : histRows(type, value.buckets)) {
    out += first ? "{" : ",{";
    first = false;
    if (row.min)
      out += "\"min\": " + jsonInt(static_cast<uint64_t>(*row.min), true) + ", ";
    if (row.max)
      out += "\"max\": " + jsonInt(static_cast<uint64_t>(*row.max), true) + ", ";
    out += "\"count\": " + std::to_string(row.count) + "}";
  }
  return out + "]";
}

// A key as text, bpftrace-style: the text form without tuple parentheses or spaces.
std::string jsonKey(const Value &key) {
  std::string text = formatValue(key);
  if (key.kind == ValueKind::Tuple && text.size() >= 2)
    text = text.substr(1, text.size() - 2);
  std::erase(text, ' ');
  return jsonString(text);
}

const char *jsonMapType(ValueKind kind) {
  switch (kind) {
  case ValueKind::Hist:
  case ValueKind::LHist:
    return "hist";
  case ValueKind::Avg:
  case ValueKind::Stats:
    return "stats";
  case ValueKind::TSeries:
    return "tseries";
  case ValueKind::None:
  case ValueKind::Int:
  case ValueKind::Bool:
  case ValueKind::String:
  case ValueKind::Tuple:
  case ValueKind::Array:
  case ValueKind::Count:
  case ValueKind::Sum:
  case ValueKind::Min:
  case ValueKind::Max:
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
    break;
  }
  return "map";
}

} // namespace

std::string jsonValue(const object::ValueType &type, const Value &value) {
  switch (value.kind) {
  case ValueKind::None:
    return "null";
  case ValueKind::Int:
  case ValueKind::Count:
  case ValueKind::Sum:
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
    return jsonInt(value.bits, value.is_signed);
  case ValueKind::Bool:
    return value.bits ? "true" : "false";
  case ValueKind::String:
  case ValueKind::Inet:
  case ValueKind::MacAddr:
    return jsonString(value.str);
  case ValueKind::Username: // resolved to text, a string as in bpftrace
  case ValueKind::Timestamp:
  case ValueKind::CgroupPath:
  case ValueKind::KStack: // stacks and symbols: their text (stack_format.h)
  case ValueKind::UStack:
  case ValueKind::KSym:
  case ValueKind::USym:
    return jsonString(formatValue(value));
  case ValueKind::Pointer:
    // A number, not the text's hex (bpftrace 0.22 #3475: JSON leaves symbolic values
    // numeric); a kernel address a double cannot hold becomes a decimal string. Keys
    // are text, so a pointer key is "0xffff..." (jsonKey).
    return jsonInt(value.bits, false);
  case ValueKind::Buffer: {
    // bpftrace writes a buffer as an array of its bytes as (signed) chars: [104,105].
    std::string out = "[";
    for (size_t i = 0; i < value.str.size(); ++i)
      out += (i ? "," : "") + std::to_string(static_cast<int>(static_cast<signed char>(value.str[i])));
    return out + "]";
  }
  case ValueKind::Tuple: {
    // A record is an object, as bpftrace prints records and structs.
    const auto &names = type.names.empty() ? value.names : type.names;
    bool record = !names.empty();
    std::string out = record ? "{" : "[";
    for (size_t i = 0; i < value.fields.size(); ++i) {
      const object::ValueType &field = i < type.fields.size() ? type.fields[i] : type;
      out += i ? (record ? ", " : ",") : "";
      if (record && i < names.size())
        out += "\"" + names[i] + "\": ";
      out += jsonValue(field, value.fields[i]);
    }
    return out + (record ? "}" : "]");
  }
  case ValueKind::Array: { // [1,2,3]
    std::string out = "[";
    for (size_t i = 0; i < value.fields.size(); ++i)
      out += (i ? "," : "") +
             jsonValue(type.fields.empty() ? type : type.fields[0], value.fields[i]);
    return out + "]";
  }
  case ValueKind::Stats:
    return "{\"count\": " + jsonValue(type, value.fields.at(0)) +
           ", \"average\": " + jsonValue(type, value.fields.at(1)) +
           ", \"total\": " + jsonValue(type, value.fields.at(2)) + "}";
  case ValueKind::Hist:
  case ValueKind::LHist:
    return jsonHist(type, value);
  case ValueKind::TSeries:
    return jsonTseries(type, value, taiOffsetNs());
  }
  return "null";
}

std::string jsonMap(const object::MapDesc &desc, const std::vector<MapEntry> &entries) {
  std::string data;
  if (desc.key.kind == ValueKind::None) {
    data = jsonValue(desc.value, entries.front().value);
  } else {
    data = "{";
    for (size_t i = 0; i < entries.size(); ++i)
      data += (i ? ", " : "") + jsonKey(entries[i].key) + ": " +
              jsonValue(desc.value, entries[i].value);
    data += "}";
  }
  return std::string("{\"type\": \"") + jsonMapType(desc.value.kind) + "\", \"data\": {" +
         jsonString(desc.name) + ": " + data + "}}\n";
}

} // namespace scry::runtime
