#include "export/exposition.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "runtime/hist_format.h"
#include "runtime/value.h"

namespace scry::exporter {

using object::ValueKind;
using runtime::Value;

namespace {

enum class Family { None, Counter, Gauge, Histogram, Summary };

Family familyOf(ValueKind kind) {
  switch (kind) {
  case ValueKind::Count:
  case ValueKind::Sum:
    return Family::Counter;
  case ValueKind::Int:
  case ValueKind::Bool:
  case ValueKind::Min:
  case ValueKind::Max:
  case ValueKind::Avg:
  case ValueKind::Pointer: // a number to Prometheus; in hex only as a label (formatValue)
    return Family::Gauge;
  case ValueKind::Hist:
  case ValueKind::LHist:
    return Family::Histogram;
  case ValueKind::Stats:
    return Family::Summary;
  case ValueKind::None:
  case ValueKind::String:
  case ValueKind::Tuple:
  case ValueKind::Array:  // printed as text, [1,2,3]
  case ValueKind::Buffer: // buf(), ntop(), macaddr(): text, not numbers
  case ValueKind::Inet:
  case ValueKind::MacAddr:
  case ValueKind::Username: // username, strftime(), cgroup_path(): printed as text
  case ValueKind::Timestamp:
  case ValueKind::CgroupPath:
  case ValueKind::KStack: // stacks and symbols: printed as text (issue 5)
  case ValueKind::UStack:
  case ValueKind::KSym:
  case ValueKind::USym:
  case ValueKind::TSeries: // Prometheus keeps its own series: scrape a plain map instead
    return Family::None;
  }
  return Family::None;
}

const char *typeName(Family family) {
  switch (family) {
  case Family::Counter: return "counter";
  case Family::Gauge: return "gauge";
  case Family::Histogram: return "histogram";
  case Family::Summary: return "summary";
  case Family::None: return "unknown";
  }
  return "unknown";
}

std::string number(const Value &value) {
  if (value.is_signed)
    return std::to_string(value.asSigned());
  return std::to_string(value.bits);
}

// `{a="x",b="y"}` from the map's key (and `extra`, e.g. le="7", last); "" for none.
std::string labels(const object::MapDesc &desc, const Value &key, const std::string &extra = "") {
  std::vector<const Value *> parts;
  if (desc.key.kind == ValueKind::Tuple)
    for (const Value &field : key.fields)
      parts.push_back(&field);
  else if (desc.key.kind != ValueKind::None)
    parts.push_back(&key);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string name = i < desc.key_names.size() ? desc.key_names[i] : "key" + std::to_string(i);
    out += (out.empty() ? "" : ",") + name + "=\"" + escapeLabelValue(runtime::formatValue(*parts[i])) +
           "\"";
  }
  if (!extra.empty())
    out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

std::string escapeHelp(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void header(std::string &out, const std::string &name, Family family, const std::string &help,
            Format format) {
  // Prometheus 0.0.4 names a counter family by its sample name (with _total);
  // OpenMetrics by the name without it.
  std::string family_name =
      family == Family::Counter && format == Format::Prometheus ? name + "_total" : name;
  out += "# HELP " + family_name + " " + escapeHelp(help) + "\n";
  out += "# TYPE " + family_name + " " + typeName(family) + "\n";
}

void histogram(std::string &out, const std::string &name, const object::MapDesc &desc,
               const runtime::MapEntry &entry) {
  const Value &value = entry.value;
  auto buckets = static_cast<uint32_t>(value.buckets.size());
  uint64_t cumulative = 0;
  for (uint32_t i = 0; i < buckets; ++i) {
    cumulative += value.buckets[i];
    std::optional<int64_t> upper = runtime::bucketUpperBound(desc.value, i, buckets);
    // The integers of [lo, hi) are those <= hi - 1.
    std::string le = upper ? std::to_string(*upper - 1) : "+Inf";
    out += name + "_bucket" + labels(desc, entry.key, "le=\"" + le + "\"") + " " +
           std::to_string(cumulative) + "\n";
  }
  out += name + "_sum" + labels(desc, entry.key) + " " + std::to_string(value.sum) + "\n";
  out += name + "_count" + labels(desc, entry.key) + " " + std::to_string(value.bits) + "\n";
}

void summary(std::string &out, const std::string &name, const object::MapDesc &desc,
             const runtime::MapEntry &entry) {
  // stats(): fields count, average, total.
  const std::vector<Value> &fields = entry.value.fields;
  if (fields.size() != 3)
    return;
  out += name + "_sum" + labels(desc, entry.key) + " " + number(fields[2]) + "\n";
  out += name + "_count" + labels(desc, entry.key) + " " + number(fields[0]) + "\n";
}

void family(std::string &out, const runtime::MapContents &map, Format format) {
  const object::MapDesc &desc = *map.desc;
  Family family = familyOf(desc.value.kind);
  if (family == Family::None)
    return;
  std::string name = metricName(desc.name);
  header(out, name, family, "The map " + desc.name + " of the script", format);
  std::vector<runtime::MapEntry> entries = map.entries;
  std::stable_sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
    return runtime::compareValues(a.key, b.key) < 0;
  });
  for (const runtime::MapEntry &entry : entries) {
    switch (family) {
    case Family::Counter:
      out += name + "_total" + labels(desc, entry.key) + " " + number(entry.value) + "\n";
      break;
    case Family::Gauge:
      out += name + labels(desc, entry.key) + " " + number(entry.value) + "\n";
      break;
    case Family::Histogram:
      histogram(out, name, desc, entry);
      break;
    case Family::Summary:
      summary(out, name, desc, entry);
      break;
    case Family::None:
      break;
    }
  }
}

void self(std::string &out, const ScrapeInfo &info, Format format) {
  header(out, "scry_info", Family::Gauge, "The scry version and the script it runs", format);
  out += "scry_info{script=\"" + escapeLabelValue(info.script) + "\",version=\"" +
         escapeLabelValue(info.version) + "\"} 1\n";
  header(out, "scry_lost_events", Family::Counter,
         "Events the BPF programs could not send to scry (ring buffer full)", format);
  out += "scry_lost_events_total " + std::to_string(info.lost_events) + "\n";
  header(out, "scry_map_full_updates", Family::Counter,
         "Map updates dropped because the map was full", format);
  for (const auto &[map, count] : info.map_full_updates)
    out += "scry_map_full_updates_total{map=\"" + escapeLabelValue(map) + "\"} " +
           std::to_string(count) + "\n";
}

} // namespace

std::string render(const std::vector<runtime::MapContents> &maps, const ScrapeInfo &info,
                   Format format) {
  std::string out;
  self(out, info, format);
  for (const runtime::MapContents &map : maps)
    if (map.desc)
      family(out, map, format);
  if (format == Format::OpenMetrics)
    out += "# EOF\n";
  return out;
}

const char *contentType(Format format) {
  switch (format) {
  case Format::Prometheus: return "text/plain; version=0.0.4; charset=utf-8";
  case Format::OpenMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8";
  }
  return "text/plain";
}

Format negotiate(const std::string &accept) {
  return accept.find("application/openmetrics-text") != std::string::npos ? Format::OpenMetrics
                                                                           : Format::Prometheus;
}

std::string metricName(const std::string &map_name) {
  std::string base = map_name.size() > 1 && map_name[0] == '@' ? map_name.substr(1) : "map";
  for (char &c : base)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      c = '_';
  return "scry_" + base;
}

std::string escapeLabelValue(const std::string &value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

} // namespace scry::exporter
