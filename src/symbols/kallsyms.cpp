// Kernel symbol table from kallsyms text. See kallsyms.h.
#include "symbols/kallsyms.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace scry::symbols {

namespace {

std::string_view nextField(std::string_view &line) {
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    line = {};
    return {};
  }
  size_t end = line.find_first_of(" \t", start);
  std::string_view field = line.substr(start, end == std::string_view::npos ? end : end - start);
  line = end == std::string_view::npos ? std::string_view{} : line.substr(end);
  return field;
}

bool parseHex(std::string_view text, uint64_t &out) {
  if (text.empty() || text.size() > 16)
    return false;
  uint64_t v = 0;
  for (char c : text) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0)
      return false;
    v = v << 4 | static_cast<uint64_t>(d);
  }
  out = v;
  return true;
}

} // namespace

KernelSymbols KernelSymbols::parse(std::string_view text) {
  KernelSymbols table;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    uint64_t addr = 0;
    std::string_view addr_text = nextField(line), type = nextField(line), name = nextField(line);
    if (!parseHex(addr_text, addr) || type.size() != 1 || name.empty())
      continue;
    if (addr == 0 || type == "a" || type == "A")
      continue;
    table.symbols_.push_back({addr, std::string(name)});
  }
  size_t n = table.symbols_.size();
  table.by_addr_.resize(n);
  for (size_t i = 0; i < n; ++i)
    table.by_addr_[i] = static_cast<uint32_t>(i);
  table.by_name_ = table.by_addr_;
  const auto &syms = table.symbols_;
  std::stable_sort(table.by_addr_.begin(), table.by_addr_.end(),
                   [&](uint32_t a, uint32_t b) { return syms[a].addr < syms[b].addr; });
  std::stable_sort(table.by_name_.begin(), table.by_name_.end(),
                   [&](uint32_t a, uint32_t b) { return syms[a].name < syms[b].name; });
  return table;
}

KernelSymbols KernelSymbols::load(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    return {};
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

const KernelSymbols &KernelSymbols::system() {
  static const KernelSymbols table = load();
  return table;
}

std::optional<KernelHit> KernelSymbols::resolve(uint64_t addr) const {
  // The last symbol starting at or below addr; among several at one address, the
  // first in file order (upper_bound, then back to the first of the equal run).
  auto it = std::upper_bound(by_addr_.begin(), by_addr_.end(), addr,
                             [&](uint64_t a, uint32_t i) { return a < symbols_[i].addr; });
  if (it == by_addr_.begin())
    return std::nullopt;
  --it;
  uint64_t start = symbols_[*it].addr;
  while (it != by_addr_.begin() && symbols_[*(it - 1)].addr == start)
    --it;
  return KernelHit{&symbols_[*it], addr - start};
}

std::optional<uint64_t> KernelSymbols::address(std::string_view name) const {
  auto it = std::lower_bound(by_name_.begin(), by_name_.end(), name,
                             [&](uint32_t i, std::string_view n) { return symbols_[i].name < n; });
  if (it == by_name_.end() || symbols_[*it].name != name)
    return std::nullopt;
  return symbols_[*it].addr;
}

} // namespace scry::symbols
