// Everything the runtime prints for a script, in text (bpftrace 0.26's default) or
// JSON (-f json: one object per line, bpftrace 0.26's shapes):
//   printf text            text as is        {"type": "printf", "data": "..."}
//   print(value)           value + "\n"      {"type": "value", "data": V}
//   a map (print, exit)    @m[k]: v lines    {"type": "map"|"stats"|"hist", "data": {"@m": ...}}
//   attached probes        (stderr)          {"type": "attached_probes", "count": N, "data": {"probes": N}}
//   lost events            (stderr)          {"type": "lost_events", "count": N, "data": {"events": N}}
// Text details: hist/lhist maps print "@m[k]:", the rows, then a blank line; stats as
// "{ .count = 1, .average = 7, .total = 7 }". Entries are sorted as bpftrace sorts them
// (map_format.h) and print(@m, top, div) keeps the `top` last ones and divides by `div`.
// Empty maps print nothing. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/map_format.h"

namespace scry::runtime {

// Folded (issue 5): text, except that maps keyed by stacks print as folded stacks
// (folded_output.h) and the exit dump has no separator, so it feeds flamegraph.pl.
enum class OutputFormat { Text, Json, Folded };

// One map; top 0 keeps every entry, div 0 or 1 divides nothing.
std::string printMap(OutputFormat format, const object::MapDesc &desc,
                     std::vector<MapEntry> entries, uint64_t top = 0, uint64_t div = 0);
std::string printValue(OutputFormat format, const Value &value);
std::string printPrintf(OutputFormat format, const std::string &text);
// JSON only: the text forms go to stderr (runtime.cpp).
std::string printAttachedProbes(size_t count);
std::string printLostEvents(uint64_t count);
// The exit dump: text starts with bpftrace's "\n\n" separator; JSON has none.
std::string printExitMaps(OutputFormat format, std::vector<MapContents> maps);

// JSON pieces (json_output.cpp).
std::string jsonString(const std::string &text);
std::string jsonValue(const object::ValueType &type, const Value &value);
std::string jsonMap(const object::MapDesc &desc, const std::vector<MapEntry> &entries);

} // namespace scry::runtime
