// Reading user-space ELF files with libelf, and finding binaries and libraries by name.
// See elf_file.h.
#include "btf/elf_file.h"
#include "btf/proc_maps.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "support/strings.h"
#include "support/unique_fd.h"

namespace scry::btf {

namespace {

void readSymbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr &shdr, std::vector<ElfSymbol> &out) {
  Elf_Data *data = elf_getdata(scn, nullptr);
  if (!data || shdr.sh_entsize == 0)
    return;
  size_t count = shdr.sh_size / shdr.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym sym;
    if (!gelf_getsym(data, static_cast<int>(i), &sym))
      continue;
    int type = GELF_ST_TYPE(sym.st_info);
    if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
        sym.st_value == 0)
      continue;
    const char *name = elf_strptr(elf, shdr.sh_link, sym.st_name);
    if (name && *name)
      out.push_back({name, sym.st_value, sym.st_size});
  }
}

void readUsdtNotes(Elf_Scn *scn, std::vector<UsdtNote> &out) {
  Elf_Data *data = elf_getdata(scn, nullptr);
  if (!data)
    return;
  size_t offset = 0, name_off = 0, desc_off = 0;
  GElf_Nhdr nhdr;
  while ((offset = gelf_getnote(data, offset, &nhdr, &name_off, &desc_off)) > 0) {
    const char *base = static_cast<const char *>(data->d_buf);
    if (nhdr.n_type != 3 || nhdr.n_namesz != 8 || std::strcmp(base + name_off, "stapsdt") != 0 ||
        nhdr.n_descsz < 3 * 8 + 3)
      continue;
    const char *desc = base + desc_off;
    const char *end = desc + nhdr.n_descsz;
    UsdtNote note;
    std::memcpy(&note.pc, desc, 8);
    std::memcpy(&note.semaphore, desc + 16, 8);
    const char *s = desc + 24;
    note.provider = std::string(s, strnlen(s, end - s));
    s += note.provider.size() + 1;
    if (s < end) {
      note.name = std::string(s, strnlen(s, end - s));
      s += note.name.size() + 1;
    }
    if (s < end)
      note.args = std::string(s, strnlen(s, end - s));
    out.push_back(std::move(note));
  }
}

void readNeeded(Elf *elf, Elf_Scn *scn, const GElf_Shdr &shdr, std::vector<std::string> &out) {
  Elf_Data *data = elf_getdata(scn, nullptr);
  if (!data || shdr.sh_entsize == 0)
    return;
  size_t count = shdr.sh_size / shdr.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    GElf_Dyn dyn;
    if (!gelf_getdyn(data, static_cast<int>(i), &dyn) || dyn.d_tag == DT_NULL)
      break;
    if (dyn.d_tag != DT_NEEDED)
      continue;
    const char *name = elf_strptr(elf, shdr.sh_link, dyn.d_un.d_val);
    if (name && *name)
      out.push_back(name);
  }
}

void readSections(Elf *elf, ElfInfo &out) {
  size_t shstrndx = 0;
  elf_getshdrstrndx(elf, &shstrndx);
  for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr))
      continue;
    const char *name = elf_strptr(elf, shstrndx, shdr.sh_name);
    std::string_view section = name ? name : "";
    if (shdr.sh_type == SHT_SYMTAB || shdr.sh_type == SHT_DYNSYM)
      readSymbols(elf, scn, shdr, out.functions);
    else if (shdr.sh_type == SHT_NOTE && section == ".note.stapsdt")
      readUsdtNotes(scn, out.usdt);
    if (section == ".go.buildinfo")
      out.is_go = true;
    if (shdr.sh_type == SHT_DYNAMIC)
      readNeeded(elf, scn, shdr, out.needed);
    if (section == ".interp" && shdr.sh_type == SHT_PROGBITS) {
      Elf_Data *data = elf_getdata(scn, nullptr);
      if (data && data->d_buf && data->d_size > 0)
        out.interpreter = std::string(static_cast<const char *>(data->d_buf),
                                      strnlen(static_cast<const char *>(data->d_buf), data->d_size));
    }
  }
}

void readSegments(Elf *elf, ElfInfo &out) {
  size_t count = 0;
  elf_getphdrnum(elf, &count);
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf, static_cast<int>(i), &phdr) && phdr.p_type == PT_LOAD &&
        (phdr.p_flags & PF_X))
      out.exec_segments.push_back({phdr.p_vaddr, phdr.p_memsz, phdr.p_offset});
  }
}

} // namespace

bool ElfInfo::fileOffset(uint64_t addr, uint64_t &offset) const {
  for (const Segment &seg : exec_segments)
    if (addr >= seg.vaddr && addr < seg.vaddr + seg.memsz) {
      offset = addr - seg.vaddr + seg.offset;
      return true;
    }
  return false;
}

const ElfSymbol *ElfInfo::find(const std::string &name) const {
  auto it = std::lower_bound(functions.begin(), functions.end(), name,
                             [](const ElfSymbol &s, const std::string &n) { return s.name < n; });
  return it != functions.end() && it->name == name ? &*it : nullptr;
}

bool readElf(const std::string &path, ElfInfo &out, std::string &error) {
  elf_version(EV_CURRENT);
  support::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  Elf *elf = elf_begin(fd.get(), ELF_C_READ, nullptr);
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    if (elf)
      elf_end(elf);
    error = path + " is not an ELF file";
    return false;
  }
  out = ElfInfo{};
  readSections(elf, out);
  readSegments(elf, out);
  elf_end(elf);
  std::sort(out.functions.begin(), out.functions.end(),
            [](const ElfSymbol &a, const ElfSymbol &b) { return a.name < b.name; });
  out.functions.erase(std::unique(out.functions.begin(), out.functions.end(),
                                  [](const ElfSymbol &a, const ElfSymbol &b) {
                                    return a.name == b.name;
                                  }),
                      out.functions.end());
  return true;
}

std::string findInLdCache(const std::string &name, const std::string &cache_path) {
  std::string data;
  if (!support::readFile(cache_path, data))
    return "";
  constexpr std::string_view kMagic = "glibc-ld.so.cache1.1";
  size_t start = data.find(kMagic); // after the old format's table, when both are present
  constexpr size_t kHeader = 48, kEntry = 24;
  if (start == std::string::npos || data.size() < start + kHeader)
    return "";
  uint32_t nlibs = 0;
  std::memcpy(&nlibs, data.data() + start + 20, 4);
  std::string best;
  for (uint32_t i = 0; i < nlibs; ++i) {
    size_t e = start + kHeader + size_t(i) * kEntry;
    if (e + kEntry > data.size())
      break;
    int32_t flags;
    uint32_t key, value;
    std::memcpy(&flags, data.data() + e, 4);
    std::memcpy(&key, data.data() + e + 4, 4);
    std::memcpy(&value, data.data() + e + 8, 4);
    if (key >= data.size() || value >= data.size())
      continue;
    std::string soname = data.c_str() + key;
    bool match = soname == name || soname.rfind(name + ".so", 0) == 0 ||
                 soname.rfind("lib" + name + ".so", 0) == 0;
    if (!match)
      continue;
    bool x86_64 = (flags & 0xff00) == 0x0300; // FLAG_X8664_LIB64
    if (best.empty() || x86_64)
      best = data.c_str() + value;
    if (x86_64)
      break;
  }
  return best;
}

std::string resolveBinary(const std::string &name, int pid) {
  std::string root = pid > 0 ? pidRoot(pid) : "";
  if (name.find('/') != std::string::npos)
    return access((root + name).c_str(), F_OK) == 0 ? root + name : "";
  // A library the process has mapped is the one it runs (bpftrace: bcc_procutils_which_so).
  if (pid > 0 && name.rfind("lib", 0) == 0)
    if (std::string lib = findMappedLibrary(pid, name); !lib.empty())
      return lib;
  const char *path_env = std::getenv("PATH");
  for (const auto &dir : support::split(path_env ? path_env : "/usr/bin:/bin", ':')) {
    std::string candidate = root + dir + "/" + name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  if (pid > 0)
    if (std::string lib = findMappedLibrary(pid, name); !lib.empty())
      return lib;
  std::string lib = findInLdCache(name, root + "/etc/ld.so.cache");
  return lib.empty() ? "" : root + lib;
}

} // namespace scry::btf
