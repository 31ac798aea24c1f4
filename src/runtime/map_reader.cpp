// Map reading through the bpf() syscall wrappers of libbpf. See map_reader.h.
#include "runtime/map_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "runtime/tseries.h"

namespace scry::runtime {

namespace {

struct MapLayout {
  int fd = -1;
  uint32_t key_size = 0;
  uint32_t value_size = 0;  // one CPU's copy, as the map was created
  size_t lookup_size = 0;   // what a lookup writes: all CPUs' copies for a per-CPU map
  uint32_t max_entries = 0;
};

MapLayout layoutOf(const bpf_map *map, const object::MapDesc &desc, int ncpus) {
  MapLayout layout;
  layout.fd = bpf_map__fd(map);
  layout.key_size = bpf_map__key_size(map);
  layout.value_size = bpf_map__value_size(map);
  layout.max_entries = bpf_map__max_entries(map);
  layout.lookup_size = layout.value_size;
  if (desc.per_cpu)
    layout.lookup_size = (static_cast<size_t>(layout.value_size) + 7) / 8 * 8 * ncpus;
  return layout;
}

// Looks `key` up and appends the entry; false with `error` set on a decoding failure.
// A key that vanished since it was listed is skipped.
bool addEntry(const MapLayout &layout, const object::MapDesc &desc, int ncpus,
              std::span<const uint8_t> key, MapContents &contents, std::string &error) {
  std::vector<uint8_t> value(layout.lookup_size);
  if (bpf_map_lookup_elem(layout.fd, key.data(), value.data()) != 0) {
    if (errno == ENOENT)
      return true;
    error = std::string("lookup failed: ") + std::strerror(errno);
    return false;
  }
  MapEntry entry;
  if (desc.key.kind != object::ValueKind::None) {
    auto decoded_key = decodeValue(desc.key, key);
    if (!decoded_key) {
      error = "key does not match its description";
      return false;
    }
    entry.key = std::move(*decoded_key);
  }
  auto decoded_value = decodeMapValue(desc, value, layout.value_size, ncpus);
  if (!decoded_value) {
    error = "value does not match its description";
    return false;
  }
  entry.value = std::move(*decoded_value);
  contents.entries.push_back(std::move(entry));
  return true;
}

} // namespace

bool readMap(const bpf_map *map, const object::MapDesc &desc, int ncpus, MapContents &contents,
             std::string &error) {
  MapLayout layout = layoutOf(map, desc, ncpus);
  contents.desc = &desc;
  contents.entries.clear();
  bool is_tseries = desc.value.kind == object::ValueKind::TSeries;
  if (desc.key.kind == object::ValueKind::None && !is_tseries) {
    std::vector<uint8_t> zero_key(layout.key_size, 0);
    return addEntry(layout, desc, ncpus, zero_key, contents, error);
  }
  std::vector<uint8_t> key(layout.key_size), next(layout.key_size);
  const void *prev = nullptr;
  // Keys deleted while we walk restart the walk from the beginning; bound it.
  size_t budget = (static_cast<size_t>(layout.max_entries) + 1) * 4;
  while (budget-- > 0 && bpf_map_get_next_key(layout.fd, prev, next.data()) == 0) {
    if (!addEntry(layout, desc, ncpus, next, contents, error))
      return false;
    key.swap(next);
    prev = key.data();
  }
  if (is_tseries) // an entry per key and interval so far: one per key
    contents.entries = mergeTseriesSlots(std::move(contents.entries));
  return true;
}

std::vector<MapContents> readMaps(bpf_object *bpf, const object::BpfObject &object) {
  std::vector<MapContents> maps;
  int ncpus = libbpf_num_possible_cpus();
  if (ncpus < 1) {
    std::cerr << "WARNING: cannot count the possible CPUs; maps are not printed\n";
    return maps;
  }
  for (const object::MapDesc &desc : object.maps) {
    const bpf_map *map = bpf_object__find_map_by_name(bpf, desc.elf_name.c_str());
    MapContents contents;
    std::string error;
    if (!map)
      error = "not in the BPF object";
    else if (!readMap(map, desc, ncpus, contents, error))
      contents.entries.clear();
    if (!error.empty()) {
      std::cerr << "WARNING: cannot print map '" << desc.name << "' ('" << desc.elf_name
                << "'): " << error << "\n";
      continue;
    }
    maps.push_back(std::move(contents));
  }
  return maps;
}

} // namespace scry::runtime
