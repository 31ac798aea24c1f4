// /proc/PID/maps: which file (and which offset of it) each user address range of a
// process maps, so a user stack's addresses can be symbolised from the files' ELF
// symbols, even after the process has exited.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scry::symbols {

struct Mapping {
  uint64_t start = 0, end = 0; // [start, end)
  uint64_t offset = 0;         // file offset mapped at `start`
  std::string path;            // "/usr/lib/x86_64-linux-gnu/libc.so.6", "[vdso]", or ""
  // The file's device, in the kernel's encoding (major << 20 | minor, as its inodes'
  // super_block.s_dev holds it), and inode number; dw_ustack's tables are keyed by them.
  uint32_t dev = 0;
  uint64_t inode = 0;
  bool executable = false; // the 'x' permission
};

// Parses maps text ("55d0c6e00000-55d0c6e02000 r--p 00000000 fe:01 1234  /bin/cat").
// Malformed lines are skipped. Mappings keep the file's (ascending) order.
std::vector<Mapping> parseProcMaps(std::string_view text);
// Reads /proc/`pid`/maps; empty when the process is gone or unreadable.
std::vector<Mapping> readProcMaps(int pid);
// The mapping holding `addr`, or null.
const Mapping *findMapping(const std::vector<Mapping> &maps, uint64_t addr);

} // namespace scry::symbols
