// User-space symbolisation through captured mappings and ELF symbols. See
// user_symbols.h.
#include "symbols/user_symbols.h"

#include <filesystem>

#include "support/demangle.h"

namespace scry::symbols {

bool UserSymbols::capture(int pid) {
  if (pid <= 0 || captured(pid))
    return pid > 0;
  std::vector<Mapping> maps = readProcMaps(pid);
  if (maps.empty())
    return false;
  maps_[pid] = std::move(maps);
  return true;
}

void UserSymbols::recapture(int pid) {
  std::vector<Mapping> maps = readProcMaps(pid);
  if (pid > 0 && !maps.empty())
    maps_[pid] = std::move(maps);
}

void UserSymbols::setElf(const std::string &path, ElfSymbols elf) {
  elves_[path] = std::make_unique<ElfSymbols>(std::move(elf));
}

const ElfSymbols *UserSymbols::elf(const std::string &path, int pid) {
  auto it = elves_.find(path);
  if (it != elves_.end())
    return it->second.get();
  auto table = std::make_unique<ElfSymbols>();
  std::string error;
  bool ok = ElfSymbols::load(path, *table, error);
  if (!ok && pid > 0) // a process in another mount namespace (a container)
    ok = ElfSymbols::load("/proc/" + std::to_string(pid) + "/root" + path, *table, error);
  if (!ok)
    table.reset();
  return (elves_[path] = std::move(table)).get();
}

void UserSymbols::setFallback(int pid, const std::string &given, uint64_t file_base) {
  if (pid <= 0 || captured(pid))
    return;
  // A probe's binary as the user wrote it, maybe relative: resolve() only trusts
  // mappings of absolute paths, as /proc/PID/maps has them.
  std::error_code ec;
  std::string path = given;
  if (!path.empty() && path[0] != '/')
    if (auto absolute = std::filesystem::absolute(path, ec); !ec)
      path = absolute.lexically_normal().string();
  const ElfSymbols *table = elf(path, -1);
  if (!table)
    return;
  // The probe fired in an executable segment: its distance between file offset and
  // virtual address turns `file_base` into the load bias, which places every segment
  // (data too, for usym() of a variable) where the kernel mapped it.
  uint64_t bias = file_base;
  for (const ElfSegment &seg : table->segments())
    if (seg.exec) {
      bias = file_base + seg.offset - seg.vaddr;
      break;
    }
  std::vector<Mapping> maps;
  for (const ElfSegment &seg : table->segments())
    maps.push_back({bias + seg.vaddr, bias + seg.vaddr + seg.memsz, seg.offset, path});
  maps_[pid] = std::move(maps);
}

std::optional<UserHit> UserSymbols::resolve(int pid, uint64_t addr) {
  capture(pid);
  auto it = maps_.find(pid);
  if (it == maps_.end())
    return std::nullopt;
  const Mapping *m = findMapping(it->second, addr);
  if (!m || m->path.empty() || m->path[0] != '/')
    return std::nullopt; // anonymous memory, [vdso], [stack], JIT code...
  const ElfSymbols *table = elf(m->path, pid);
  if (!table)
    return std::nullopt;
  std::optional<uint64_t> vaddr = table->vaddrOf(addr - m->start + m->offset);
  if (!vaddr)
    return std::nullopt;
  std::optional<ElfHit> hit = table->resolve(*vaddr);
  if (!hit)
    return std::nullopt;
  return UserHit{support::demangle(hit->symbol->name), hit->offset, m->path};
}

} // namespace scry::symbols
