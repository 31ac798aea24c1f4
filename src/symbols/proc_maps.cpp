// Parsing /proc/PID/maps. See proc_maps.h.
#include "symbols/proc_maps.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace scry::symbols {

namespace {

bool parseHexField(std::string_view text, uint64_t &out) {
  if (text.empty() || text.size() > 16)
    return false;
  std::string s(text);
  char *end = nullptr;
  out = std::strtoull(s.c_str(), &end, 16);
  return end && *end == '\0';
}

// Splits off the next whitespace-separated field.
std::string_view field(std::string_view &line) {
  size_t start = line.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    line = {};
    return {};
  }
  size_t end = line.find(' ', start);
  std::string_view f = line.substr(start, end == std::string_view::npos ? end : end - start);
  line = end == std::string_view::npos ? std::string_view{} : line.substr(end);
  return f;
}

} // namespace

std::vector<Mapping> parseProcMaps(std::string_view text) {
  std::vector<Mapping> maps;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    std::string_view range = field(line), perms = field(line), offset = field(line);
    std::string_view device = field(line), inode = field(line);
    size_t dash = range.find('-');
    size_t colon = device.find(':');
    Mapping m;
    uint64_t major = 0, minor = 0;
    if (dash == std::string_view::npos || perms.size() != 4 ||
        !parseHexField(range.substr(0, dash), m.start) ||
        !parseHexField(range.substr(dash + 1), m.end) || !parseHexField(offset, m.offset) ||
        m.end <= m.start || colon == std::string_view::npos ||
        !parseHexField(device.substr(0, colon), major) ||
        !parseHexField(device.substr(colon + 1), minor) || inode.empty() ||
        inode.find_first_not_of("0123456789") != std::string_view::npos)
      continue;
    m.dev = static_cast<uint32_t>(major << 20 | minor);
    m.inode = std::strtoull(std::string(inode).c_str(), nullptr, 10);
    m.executable = perms[2] == 'x';
    // The path is the rest of the line (it may contain spaces), leading blanks trimmed.
    size_t path = line.find_first_not_of(' ');
    if (path != std::string_view::npos)
      m.path = std::string(line.substr(path));
    maps.push_back(std::move(m));
  }
  return maps;
}

std::vector<Mapping> readProcMaps(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
  if (!in)
    return {};
  std::ostringstream text;
  text << in.rdbuf();
  return parseProcMaps(text.str());
}

const Mapping *findMapping(const std::vector<Mapping> &maps, uint64_t addr) {
  for (const Mapping &m : maps)
    if (addr >= m.start && addr < m.end)
      return &m;
  return nullptr;
}

} // namespace scry::symbols
