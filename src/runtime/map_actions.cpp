// print/clear/zero of a map on request of a ring-buffer record. See map_actions.h.
#include "runtime/map_actions.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <vector>

#include "runtime/map_reader.h"

namespace scry::runtime {

namespace {

std::vector<std::vector<uint8_t>> allKeys(int fd, uint32_t key_size, uint32_t max_entries) {
  std::vector<std::vector<uint8_t>> keys;
  std::vector<uint8_t> key(key_size), next(key_size);
  const void *prev = nullptr;
  while (keys.size() <= max_entries && bpf_map_get_next_key(fd, prev, next.data()) == 0) {
    keys.push_back(next);
    key = next;
    prev = key.data();
  }
  return keys;
}

} // namespace

bool clearMap(const bpf_map *map, std::string &error) {
  int fd = bpf_map__fd(map);
  // Collect first: deleting while walking restarts get_next_key from the beginning.
  for (const auto &key : allKeys(fd, bpf_map__key_size(map), bpf_map__max_entries(map))) {
    if (bpf_map_delete_elem(fd, key.data()) != 0 && errno != ENOENT) {
      error = std::string("cannot delete an element: ") + std::strerror(errno);
      return false;
    }
  }
  return true;
}

bool zeroMap(const bpf_map *map, const object::MapDesc &desc, int ncpus, std::string &error) {
  int fd = bpf_map__fd(map);
  size_t value_size = bpf_map__value_size(map);
  if (desc.per_cpu)
    value_size = (value_size + 7) / 8 * 8 * static_cast<size_t>(ncpus);
  std::vector<uint8_t> zeros(value_size, 0);
  for (const auto &key : allKeys(fd, bpf_map__key_size(map), bpf_map__max_entries(map))) {
    if (bpf_map_update_elem(fd, key.data(), zeros.data(), BPF_EXIST) != 0 && errno != ENOENT) {
      error = std::string("cannot zero an element: ") + std::strerror(errno);
      return false;
    }
  }
  return true;
}

std::string runMapAction(bpf_object *bpf, const object::BpfObject &object,
                         const EventResult &action, OutputFormat format) {
  const object::MapDesc &desc = object.maps.at(action.map_index);
  const bpf_map *map = bpf_object__find_map_by_name(bpf, desc.elf_name.c_str());
  int ncpus = libbpf_num_possible_cpus();
  std::string error, text;
  if (!map || ncpus < 1) {
    error = "not in the BPF object";
  } else if (action.action == object::EventKind::ClearMap) {
    clearMap(map, error);
  } else if (action.action == object::EventKind::ZeroMap) {
    zeroMap(map, desc, ncpus, error);
  } else {
    MapContents contents;
    if (readMap(map, desc, ncpus, contents, error))
      text = printMap(format, desc, std::move(contents.entries), action.top, action.div);
  }
  if (!error.empty())
    std::cerr << "WARNING: map '" << desc.name << "': " << error << "\n";
  return text;
}

} // namespace scry::runtime
