// The map dump printed at exit, in bpftrace's text format, from entries already read
// out of the kernel. Pure: the kernel side is map_reader.h.
//
//   @name: value               scalar map (key kind None)
//   @name[k1, k2]: value       keyed map; strings unquoted, tuple keys without parens
//
// Maps are printed in name order; empty maps are not printed. Entries of Int and Count
// maps are sorted by value (ascending, signedness respected), others by key.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "object/object.h"
#include "runtime/value.h"

namespace scry::runtime {

struct MapEntry {
  Value key; // kind None for a scalar map
  Value value;
};

struct MapContents {
  const object::MapDesc *desc = nullptr;
  std::vector<MapEntry> entries;
};

// Decodes one map value as the kernel returns it. For a per-CPU map `bytes` holds
// `ncpus` copies, each `value_size` bytes rounded up to 8; Count and Int copies are
// summed (wrapping at 64 bits), other kinds take CPU 0's copy.
std::optional<Value> decodeMapValue(const object::MapDesc &desc, std::span<const uint8_t> bytes,
                                    uint32_t value_size, int ncpus);

// Orders entries as bpftrace prints them (see the file comment); ties keep key order.
void sortEntries(const object::MapDesc &desc, std::vector<MapEntry> &entries);

// One map's lines, entries sorted; "" when the map is empty.
std::string formatMap(const object::MapDesc &desc, std::vector<MapEntry> entries);

// Everything printed at exit: the "\n\n" separator bpftrace writes when the run ends,
// then every non-empty map in name order.
std::string formatExitMaps(std::vector<MapContents> maps);

} // namespace scry::runtime
