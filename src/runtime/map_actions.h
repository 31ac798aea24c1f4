// The map functions the runtime carries out when their ring-buffer record arrives,
// in order with printf output: print(@m, top, div) reads the map now and formats it;
// clear(@m) deletes every key; zero(@m) sets every value (every CPU's copy) to zero.
#pragma once

#include <string>

#include "object/object.h"
#include "runtime/events.h"
#include "runtime/map_print.h"

struct bpf_map;
struct bpf_object;

namespace scry::runtime {

// Returns what to print (print only); failures are reported on stderr as WARNINGs
// naming the map.
std::string runMapAction(bpf_object *bpf, const object::BpfObject &object,
                         const EventResult &action, OutputFormat format);

// Both return false with `error` set when the kernel refuses.
bool clearMap(const bpf_map *map, std::string &error);
bool zeroMap(const bpf_map *map, const object::MapDesc &desc, int ncpus, std::string &error);

} // namespace scry::runtime
