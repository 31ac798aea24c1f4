// Reading a user-space ELF file's symbols and segments with libelf. See elf_symbols.h.
#include "symbols/elf_symbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "support/unique_fd.h"

namespace scry::symbols {

namespace {

void readSymbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr &shdr, std::vector<ElfSym> &out) {
  Elf_Data *data = elf_getdata(scn, nullptr);
  if (!data || shdr.sh_entsize == 0)
    return;
  size_t count = shdr.sh_size / shdr.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym sym;
    if (!gelf_getsym(data, static_cast<int>(i), &sym))
      continue;
    int type = GELF_ST_TYPE(sym.st_info);
    bool is_func = type == STT_FUNC || type == STT_GNU_IFUNC;
    if ((!is_func && type != STT_OBJECT) || sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
      continue;
    const char *name = elf_strptr(elf, shdr.sh_link, sym.st_name);
    if (name && *name)
      out.push_back({name, sym.st_value, sym.st_size, is_func});
  }
}

// RAII for libelf's handle.
struct ElfCloser {
  void operator()(Elf *elf) const { elf_end(elf); }
};

} // namespace

ElfSymbols::ElfSymbols(std::vector<ElfSym> symbols, std::vector<ElfSegment> segments, bool pie)
    : by_addr_(std::move(symbols)), segments_(std::move(segments)), pie_(pie) {
  // Outer (larger) symbols before the ones nested in them, so the innermost holding an
  // address is the last candidate at or below it; duplicates (.symtab and .dynsym
  // both list exported functions) collapse to one.
  std::sort(by_addr_.begin(), by_addr_.end(), [](const ElfSym &a, const ElfSym &b) {
    if (a.addr != b.addr)
      return a.addr < b.addr;
    if (a.size != b.size)
      return a.size > b.size;
    if (a.is_func != b.is_func)
      return a.is_func;
    return a.name < b.name;
  });
  by_addr_.erase(std::unique(by_addr_.begin(), by_addr_.end(),
                             [](const ElfSym &a, const ElfSym &b) {
                               return a.addr == b.addr && a.size == b.size;
                             }),
                 by_addr_.end());
}

bool ElfSymbols::load(const std::string &path, ElfSymbols &out, std::string &error) {
  support::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  elf_version(EV_CURRENT);
  std::unique_ptr<Elf, ElfCloser> elf(elf_begin(fd.get(), ELF_C_READ, nullptr));
  GElf_Ehdr ehdr;
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF || !gelf_getehdr(elf.get(), &ehdr)) {
    error = path + " is not an ELF file";
    return false;
  }
  std::vector<ElfSym> symbols;
  for (Elf_Scn *scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) && (shdr.sh_type == SHT_SYMTAB || shdr.sh_type == SHT_DYNSYM))
      readSymbols(elf.get(), scn, shdr, symbols);
  }
  std::vector<ElfSegment> segments;
  size_t phnum = 0;
  elf_getphdrnum(elf.get(), &phnum);
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf.get(), static_cast<int>(i), &phdr) && phdr.p_type == PT_LOAD)
      segments.push_back({phdr.p_vaddr, phdr.p_offset, phdr.p_filesz, phdr.p_memsz,
                          (phdr.p_flags & PF_X) != 0});
  }
  out = ElfSymbols(std::move(symbols), std::move(segments), ehdr.e_type == ET_DYN);
  return true;
}

std::optional<ElfHit> ElfSymbols::resolve(uint64_t vaddr) const {
  auto it = std::upper_bound(by_addr_.begin(), by_addr_.end(), vaddr,
                             [](uint64_t a, const ElfSym &s) { return a < s.addr; });
  // Walk down from the nearest start: the first symbol that holds vaddr is the
  // innermost. Symbols rarely nest more than a couple deep; stop after a few.
  for (int steps = 0; it != by_addr_.begin() && steps < 8; ++steps) {
    --it;
    bool holds = it->size == 0 ? vaddr == it->addr : vaddr - it->addr < it->size;
    if (holds)
      return ElfHit{&*it, vaddr - it->addr};
  }
  return std::nullopt;
}

const ElfSym *ElfSymbols::find(std::string_view name) const {
  const ElfSym *found = nullptr;
  for (const ElfSym &sym : by_addr_) {
    if (sym.name != name)
      continue;
    if (sym.is_func)
      return &sym;
    if (!found)
      found = &sym;
  }
  return found;
}

std::optional<uint64_t> ElfSymbols::vaddrOf(uint64_t offset) const {
  for (const ElfSegment &seg : segments_)
    if (offset >= seg.offset && offset - seg.offset < std::max(seg.filesz, seg.memsz))
      return seg.vaddr + (offset - seg.offset);
  return std::nullopt;
}

} // namespace scry::symbols
