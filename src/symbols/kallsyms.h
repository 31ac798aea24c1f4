// Kernel symbols from /proc/kallsyms: address -> "name+offset" for kstack and ksym(),
// name -> address for kaddr(). Parsed once into a table sorted by address; lookups
// are binary searches. Needs kptr_restrict=0 or root to see real addresses (zeros
// otherwise: then nothing resolves).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scry::symbols {

struct KernelSymbol {
  uint64_t addr = 0;
  std::string name;
};

// A resolved kernel address.
struct KernelHit {
  const KernelSymbol *symbol = nullptr;
  uint64_t offset = 0; // from the symbol's start
};

class KernelSymbols {
public:
  // Parses kallsyms text ("ffffffff81000000 T _stext", optionally "\t[module]").
  // Absolute symbols (types a/A) and zero addresses are dropped: they name no code
  // or data a stack or pointer can point into.
  static KernelSymbols parse(std::string_view text);
  // Reads `path`; an empty table when it cannot be read.
  static KernelSymbols load(const std::string &path = "/proc/kallsyms");
  // The system's table, loaded from /proc/kallsyms on first use and kept.
  static const KernelSymbols &system();

  // The symbol that starts nearest at or below `addr`; none below the first symbol.
  // kallsyms has no sizes, so, as with bcc's resolver that bpftrace uses, an address
  // past a symbol's end still resolves to it (JIT'd BPF programs appear as
  // "bpf_prog_<tag>_<name>" symbols, so those frames resolve too).
  std::optional<KernelHit> resolve(uint64_t addr) const;
  // The address of the first symbol named `name`, in file order, as bpftrace's
  // kaddr() takes it.
  std::optional<uint64_t> address(std::string_view name) const;

  bool empty() const { return symbols_.empty(); }
  size_t size() const { return symbols_.size(); }

private:
  std::vector<KernelSymbol> symbols_; // in file order
  std::vector<uint32_t> by_addr_;     // indices, sorted by address (file order among equals)
  std::vector<uint32_t> by_name_;     // indices, sorted by name (file order among equals)
};

} // namespace scry::symbols
