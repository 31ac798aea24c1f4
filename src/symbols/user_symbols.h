// User-space symbolisation: a process's address -> "function+offset" through the
// /proc/PID/maps captured while the process lived and the mapped files' ELF symbols.
// Capturing early (the runtime does when a pid first appears in a ustack or usym) is
// what lets stacks of processes that have exited since still resolve.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "symbols/elf_symbols.h"
#include "symbols/proc_maps.h"

namespace scry::symbols {

struct UserHit {
  std::string name;   // demangled
  uint64_t offset = 0; // from the symbol's start
  std::string module;  // the mapped file's path, as /proc/PID/maps names it
};

class UserSymbols {
public:
  // Reads /proc/`pid`/maps now, unless already captured. False when the process is
  // gone (nothing is recorded then, so a later capture may still succeed).
  bool capture(int pid);
  // Reads them again, replacing what was captured, unless the process is gone.
  void recapture(int pid);
  bool captured(int pid) const { return maps_.count(pid) != 0; }
  // Installs `pid`'s mappings, or the symbols of the file at `path` (tests).
  void setMaps(int pid, std::vector<Mapping> maps) { maps_[pid] = std::move(maps); }
  void setElf(const std::string &path, ElfSymbols elf);
  // For a process that is gone before it could be captured: maps `path`'s segments as
  // the kernel maps a file whose offset 0 lands at `file_base` (what a uprobe on it
  // learns), so at least the frames in that file resolve. Ignored once captured.
  void setFallback(int pid, const std::string &path, uint64_t file_base);

  // The function or object holding `addr` in process `pid`: captured first when it
  // was not (the process may still live). None when nothing maps the address or its
  // file has no symbol there.
  std::optional<UserHit> resolve(int pid, uint64_t addr);

private:
  // The symbols of `path` (read once; null when unreadable). `pid` names a process
  // whose mount namespace to try (/proc/PID/root) when the path does not open here.
  const ElfSymbols *elf(const std::string &path, int pid);

  std::map<int, std::vector<Mapping>> maps_;
  std::map<std::string, std::unique_ptr<ElfSymbols>> elves_; // null: unreadable
};

} // namespace scry::symbols
