// Symbols of a user-space ELF file (.symtab and .dynsym: functions and objects) for
// ustack, usym() and uaddr(), and its PT_LOAD segments, which relate the file offsets
// /proc/PID/maps reports to the virtual addresses symbols have. Read with libelf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scry::symbols {

struct ElfSym {
  std::string name; // as in the file (mangled)
  uint64_t addr = 0; // st_value
  uint64_t size = 0;
  bool is_func = false; // STT_FUNC or STT_GNU_IFUNC (else STT_OBJECT)
};

struct ElfSegment {
  uint64_t vaddr = 0, offset = 0, filesz = 0, memsz = 0;
  bool exec = false; // PF_X
};

// A resolved virtual address.
struct ElfHit {
  const ElfSym *symbol = nullptr;
  uint64_t offset = 0; // from the symbol's start
};

class ElfSymbols {
public:
  // Builds a table from symbols and segments (tests); symbols in any order.
  ElfSymbols(std::vector<ElfSym> symbols, std::vector<ElfSegment> segments, bool pie);
  ElfSymbols() = default;
  // Reads `path`; false with `error` set when it is missing or not an ELF file.
  static bool load(const std::string &path, ElfSymbols &out, std::string &error);

  // The symbol whose [addr, addr + size) holds `vaddr` (a zero-sized symbol only at its
  // own address); when symbols nest, the innermost. None outside every symbol.
  std::optional<ElfHit> resolve(uint64_t vaddr) const;
  // A defined symbol named `name` (functions first); null when absent.
  const ElfSym *find(std::string_view name) const;
  // The virtual address of file offset `offset`, through the PT_LOAD segment holding
  // it; none when no segment does.
  std::optional<uint64_t> vaddrOf(uint64_t offset) const;
  // ET_DYN (a PIE executable or a shared library): loaded at a base chosen at run time.
  bool pie() const { return pie_; }
  const std::vector<ElfSegment> &segments() const { return segments_; }

private:
  std::vector<ElfSym> by_addr_; // sorted by address, then size descending (outer first)
  std::vector<ElfSegment> segments_;
  bool pie_ = false;
};

} // namespace scry::symbols
