// Unwind tables for dw_ustack: reading .eh_frame out of an ELF file with libelf, running
// each FDE (eh_frame.cpp, cfi_program.cpp) and laying the rows out by file offset. See
// unwind_table.h.
#include "symbols/unwind_table.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include "support/unique_fd.h"
#include "symbols/cfi_program.h"

namespace scry::symbols {

namespace {

// One FDE's rows, already at file offsets, within the shared row buffer.
struct FdeRows {
  uint64_t start = 0, end = 0; // file offsets, end exclusive
  size_t first = 0, count = 0; // in the buffer
};

// The executable segment holding all of [begin, end), or null.
const ElfSegment *segmentHolding(const std::vector<ElfSegment> &segments, uint64_t begin,
                                 uint64_t end) {
  for (const ElfSegment &seg : segments)
    if (seg.exec && begin >= seg.vaddr && end - seg.vaddr <= seg.filesz)
      return &seg;
  return nullptr;
}

// Appends `row` unless it says what the last one does. Offsets only grow: an FDE's rows
// lie in [start, end), and the next FDE starts at or after that end.
void push(std::vector<UnwindRow> &rows, const UnwindRow &row) {
  if (rows.empty() || !sameRules(rows.back(), row))
    rows.push_back(row);
}

UnwindRow noneAt(uint64_t offset) {
  UnwindRow row;
  row.offset = offset;
  return row;
}

struct ElfCloser {
  void operator()(Elf *elf) const { elf_end(elf); }
};

} // namespace

void buildUnwindRows(std::span<const uint8_t> eh_frame, uint64_t vaddr,
                     const std::vector<ElfSegment> &segments, std::vector<UnwindRow> &rows,
                     UnwindStats *stats) {
  UnwindStats local;
  UnwindStats &st = stats ? *stats : local;
  st = {};
  std::vector<UnwindRow> buffer; // every FDE's rows, FDE after FDE
  std::vector<FdeRows> fdes;
  st.eh_frame = walkEhFrame(eh_frame, vaddr, [&](const FdeInfo &fde) {
    const ElfSegment *seg = segmentHolding(segments, fde.pc_begin, fde.pc_end);
    if (fde.pc_begin == 0 || fde.pc_end == fde.pc_begin || !seg) {
      ++st.outside;
      return;
    }
    size_t first = buffer.size();
    if (!evaluateFde(fde, buffer)) {
      ++st.bad_programs;
      return;
    }
    // vaddr - seg.vaddr <= filesz, so the offsets cannot wrap for a sane segment; a
    // hostile p_offset only yields useless offsets.
    uint64_t delta = seg->offset - seg->vaddr;
    for (size_t i = first; i < buffer.size(); ++i)
      buffer[i].offset += delta;
    fdes.push_back({fde.pc_begin + delta, fde.pc_end + delta, first, buffer.size() - first});
  });

  std::stable_sort(fdes.begin(), fdes.end(),
                   [](const FdeRows &a, const FdeRows &b) { return a.start < b.start; });
  rows.clear();
  rows.reserve(buffer.size() + fdes.size());
  bool any = false;
  uint64_t prev_end = 0;
  for (const FdeRows &fde : fdes) {
    if (any && fde.start < prev_end) {
      ++st.overlapping;
      continue;
    }
    if (any && fde.start != prev_end)
      push(rows, noneAt(prev_end)); // the gap between two FDEs
    for (size_t i = fde.first; i < fde.first + fde.count; ++i)
      push(rows, buffer[i]);
    prev_end = fde.end;
    any = true;
  }
  if (any)
    push(rows, noneAt(prev_end));
}

bool buildUnwindTable(const std::string &path, std::vector<UnwindRow> &rows, std::string &error,
                      UnwindStats *stats) {
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
  if (ehdr.e_ident[EI_CLASS] != ELFCLASS64 || ehdr.e_machine != EM_X86_64) {
    error = path + " is not an x86_64 ELF file";
    return false;
  }
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf.get(), &shstrndx) != 0) {
    error = path + " has no section names";
    return false;
  }
  Elf_Scn *eh_frame = nullptr;
  GElf_Shdr shdr;
  for (Elf_Scn *scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    const char *name =
        gelf_getshdr(scn, &shdr) ? elf_strptr(elf.get(), shstrndx, shdr.sh_name) : nullptr;
    if (name && std::string_view(name) == ".eh_frame") {
      eh_frame = scn;
      break;
    }
  }
  // The x86_64 psABI gives .eh_frame its own type; GNU as still writes PROGBITS.
  if (!eh_frame || (shdr.sh_type != SHT_PROGBITS && shdr.sh_type != SHT_X86_64_UNWIND) ||
      (shdr.sh_flags & SHF_COMPRESSED)) {
    error = path + " has no .eh_frame section";
    return false;
  }
  Elf_Data *data = elf_rawdata(eh_frame, nullptr);
  if (!data || (data->d_size && !data->d_buf)) {
    error = path + ": cannot read .eh_frame: " + elf_errmsg(-1);
    return false;
  }
  std::vector<ElfSegment> segments;
  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) != 0)
    phnum = 0;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf.get(), static_cast<int>(i), &phdr) && phdr.p_type == PT_LOAD)
      segments.push_back(
          {phdr.p_vaddr, phdr.p_offset, phdr.p_filesz, phdr.p_memsz, (phdr.p_flags & PF_X) != 0});
  }
  std::span<const uint8_t> bytes(static_cast<const uint8_t *>(data->d_buf), data->d_size);
  buildUnwindRows(bytes, shdr.sh_addr, segments, rows, stats);
  return true;
}

} // namespace scry::symbols
