// Reading the script's maps out of the kernel at exit: every key with
// bpf_map_get_next_key, every value with bpf_map_lookup_elem (one copy per possible
// CPU for per-CPU maps), decoded with the types codegen described.
#pragma once

#include <string>
#include <vector>

#include "object/object.h"
#include "runtime/map_format.h"

struct bpf_map;
struct bpf_object;

namespace scry::runtime {

// Reads one map. A scalar map (key kind None) is looked up under its all-zero key.
// Returns false with `error` set when the map cannot be read or decoded.
bool readMap(const bpf_map *map, const object::MapDesc &desc, int ncpus, MapContents &contents,
             std::string &error);

// Reads every map of `object`; maps that cannot be read get a WARNING on stderr naming
// them and are left out.
std::vector<MapContents> readMaps(bpf_object *bpf, const object::BpfObject &object);

} // namespace scry::runtime
