// Symbolisation of the addresses in stacks, ksym() and usym() values, for printing:
// kernel addresses through /proc/kallsyms (read on first use), user addresses through
// the process's /proc/PID/maps, captured when the programs first report the pid
// (EventKind::PidSeen) or, failing that, when first needed, and the mapped files' ELF
// symbols. The runtime keeps one Symbolizer for the whole run (processSymbolizer()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "symbols/kallsyms.h"
#include "symbols/user_symbols.h"

namespace scry::runtime {

// What one address resolved to; `resolved` false prints the address in hex.
struct Symbol {
  bool resolved = false;
  std::string name;    // the function or object (C++ names demangled)
  uint64_t offset = 0; // from its start
  std::string module;  // user addresses: the mapped file's path
};

class Symbolizer {
public:
  Symbol kernel(uint64_t addr);
  Symbol user(int pid, uint64_t addr);
  // Records `pid`'s mappings now, while it lives (PidSeen records); when it is already
  // gone, maps at least `binary` (if not "") from `file_base` (UserSymbols::setFallback).
  void capturePid(int pid, const std::string &binary = "", uint64_t file_base = 0);
  // Reads the maps of `pid` again (it has mapped more since), keeping what was captured
  // when the process is gone.
  void recapturePid(int pid) { user_.recapture(pid); }

  // Tests: a kernel table instead of /proc/kallsyms, and user mappings and files.
  void setKernelSymbols(symbols::KernelSymbols table) { kernel_ = std::move(table); }
  symbols::UserSymbols &userSymbols() { return user_; }

private:
  std::optional<symbols::KernelSymbols> kernel_;
  symbols::UserSymbols user_;
};

// The runtime's Symbolizer, shared by every value printed in this process.
Symbolizer &processSymbolizer();

} // namespace scry::runtime
