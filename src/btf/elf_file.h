// User-space binaries for uprobes and USDT: function symbols from .symtab and .dynsym,
// virtual address to file offset through the PT_LOAD segments, USDT notes
// (.note.stapsdt), Go detection (.go.buildinfo), and finding a binary or a library by
// name (PATH, then ld.so.cache). Read with libelf; nothing here needs root.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scry::btf {

struct ElfSymbol {
  std::string name;
  uint64_t addr = 0; // st_value: the virtual address
  uint64_t size = 0;
};

struct UsdtNote {
  std::string provider, name;
  uint64_t pc = 0;        // the probe's address (before prelink adjustment)
  uint64_t semaphore = 0; // 0 when the probe has none
  std::string args;       // "-4@%edi 8@%rsi", as sys/sdt.h wrote it
};

struct ElfInfo {
  std::vector<ElfSymbol> functions; // defined STT_FUNC/STT_GNU_IFUNC, sorted by name, unique
  std::vector<UsdtNote> usdt;       // in note order
  bool is_go = false;               // has a .go.buildinfo section
  struct Segment {
    uint64_t vaddr, memsz, offset;
  };
  std::vector<Segment> exec_segments; // PT_LOAD with PF_X
  // The dynamic linker (.interp) and the libraries DT_NEEDED names, as written
  // ("libc.so.6"); dw_ustack loads their unwind tables for -c's command.
  std::string interpreter;
  std::vector<std::string> needed;

  // The file offset of virtual address `addr`, or false when no executable segment
  // holds it.
  bool fileOffset(uint64_t addr, uint64_t &offset) const;
  const ElfSymbol *find(const std::string &name) const;
};

// Reads `path`; false with `error` set when it is missing or not an ELF file.
bool readElf(const std::string &path, ElfInfo &out, std::string &error);

// Resolves the BIN of `uprobe:BIN:...`: a path is kept as given, a bare name is looked
// up in $PATH and then as a library in /etc/ld.so.cache ("libc" -> the path of
// libc.so.6). With `pid` > 0, paths are reached through /proc/PID/root when the process
// is in another mount namespace, and library names are first looked up among the files
// the process maps (/proc/PID/maps). Returns "" when nothing matches.
std::string resolveBinary(const std::string &name, int pid);

// The library `name` ("libc", "libc.so.6", "libssl") from an ld.so.cache file (the new
// "glibc-ld.so.cache1.1" format), preferring x86-64 entries; "" when absent.
std::string findInLdCache(const std::string &name, const std::string &cache_path = "/etc/ld.so.cache");

} // namespace scry::btf
