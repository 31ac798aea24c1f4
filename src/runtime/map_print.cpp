// Text output of maps and values, and the dispatch between text and JSON
// (see map_print.h; JSON pieces are in json_output.cpp).
#include "runtime/map_print.h"

#include <algorithm>

#include "runtime/aggregate.h"
#include "runtime/folded_output.h"
#include "runtime/hist_format.h"
#include "runtime/tseries.h"

namespace scry::runtime {

using object::ValueKind;

namespace {

// A key inside "[...]": a tuple key loses its outer parentheses, as in bpftrace.
std::string keyText(const Value &key) {
  std::string text = formatValue(key);
  if (key.kind == ValueKind::Tuple && text.size() >= 2)
    return text.substr(1, text.size() - 2);
  return text;
}

std::string textEntry(const object::MapDesc &desc, const MapEntry &entry) {
  std::string name = desc.name;
  if (desc.key.kind != ValueKind::None)
    name += "[" + keyText(entry.key) + "]";
  if (desc.value.kind == ValueKind::Hist || desc.value.kind == ValueKind::LHist)
    return name + ":\n" + drawHist(histRows(desc.value, entry.value.buckets)) + "\n";
  if (desc.value.kind == ValueKind::TSeries)
    return name + ":\n" + drawTseries(desc.value, entry.value, taiOffsetNs()) + "\n";
  return name + ": " + formatValue(entry.value) + "\n";
}

// Sorted, the last `top` kept, divided by `div`.
std::vector<MapEntry> selectEntries(const object::MapDesc &desc, std::vector<MapEntry> entries,
                                    uint64_t top, uint64_t div) {
  sortEntries(desc, entries);
  if (top && entries.size() > top)
    entries.erase(entries.begin(), entries.end() - static_cast<std::ptrdiff_t>(top));
  for (MapEntry &entry : entries)
    entry.value = divideValue(desc.value, std::move(entry.value), div);
  return entries;
}

} // namespace

std::string printMap(OutputFormat format, const object::MapDesc &desc,
                     std::vector<MapEntry> entries, uint64_t top, uint64_t div) {
  if (desc.value.kind == ValueKind::TSeries) { // the window shown, over every key
    windowTseries(desc.value, entries);
    std::erase_if(entries, [](const MapEntry &e) { return e.value.buckets.empty(); });
  }
  entries = selectEntries(desc, std::move(entries), top, div);
  if (entries.empty())
    return "";
  if (format == OutputFormat::Json)
    return jsonMap(desc, entries);
  if (format == OutputFormat::Folded && isFoldable(desc))
    return foldedMap(entries); // folded_output.h
  std::string text;
  for (const MapEntry &entry : entries)
    text += textEntry(desc, entry);
  return text;
}

std::string printValue(OutputFormat format, const Value &value) {
  if (format == OutputFormat::Json)
    return "{\"type\": \"value\", \"data\": " + jsonValue({}, value) + "}\n";
  return formatValue(value) + "\n";
}

std::string printPrintf(OutputFormat format, const std::string &text) {
  if (format == OutputFormat::Json)
    return "{\"type\": \"printf\", \"data\": " + jsonString(text) + "}\n";
  return text;
}

std::string printAttachedProbes(size_t count) {
  std::string n = std::to_string(count);
  return "{\"type\": \"attached_probes\", \"count\": " + n + ", \"data\": {\"probes\": " + n +
         "}}\n";
}

std::string printLostEvents(uint64_t count) {
  std::string n = std::to_string(count);
  return "{\"type\": \"lost_events\", \"count\": " + n + ", \"data\": {\"events\": " + n + "}}\n";
}

// bpftrace writes "\n\n" when the run ends, before the maps (see formatExitMaps).
std::string printExitMaps(OutputFormat format, std::vector<MapContents> maps) {
  std::sort(maps.begin(), maps.end(), [](const MapContents &a, const MapContents &b) {
    return a.desc->name < b.desc->name;
  });
  std::string text = format == OutputFormat::Text ? "\n\n" : "";
  for (MapContents &map : maps)
    text += printMap(format, *map.desc, std::move(map.entries));
  return text;
}

} // namespace scry::runtime
