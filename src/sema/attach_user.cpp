// Attach-point expansion of user-space probes: uprobe:BIN:func[+off], uprobe:BIN:0xADDR,
// uretprobe:BIN:func and usdt:BIN:[provider:]name. BIN is a path, a program on $PATH or
// a library name from ld.so.cache; symbols and USDT notes are read from its ELF file and
// each function is resolved to the file offset the kernel's uprobe needs.
#include <charconv>
#include <cstdio>
#include <set>

#include "btf/elf_file.h"
#include "sema/probe_families.h"
#include "support/strings.h"

namespace scry::sema {

using ast::ProbeKind;
using diag::DiagId;

namespace {

bool parseHex(const std::string &s, uint64_t &out) {
  if (s.rfind("0x", 0) != 0)
    return false;
  auto [ptr, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), out, 16);
  return s.size() > 2 && ec == std::errc() && ptr == s.data() + s.size();
}

bool parseOffset(const std::string &s, uint64_t &out) {
  if (parseHex(s, out))
    return true;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 10);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

// Resolves and reads BIN; reports and returns false when it cannot.
bool openBinary(FamilyContext &ctx, const ProbeSpec &spec, const std::string &bin,
                std::string &path, btf::ElfInfo &elf) {
  path = btf::resolveBinary(bin, ctx.options.pid);
  const char *family = ast::probeKindName(spec.kind);
  if (path.empty()) {
    ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range,
                    std::string(family) + " target file '" + bin +
                        "' does not exist or is not executable");
    return false;
  }
  std::string error;
  if (!btf::readElf(path, elf, error)) {
    ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range, error);
    return false;
  }
  return true;
}

void symbolNotFound(FamilyContext &ctx, const ProbeSpec &spec, const std::string &path,
                    const std::string &func, const btf::ElfInfo &elf) {
  auto &d = ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range,
                            "Could not resolve symbol: " + path + ":" + func);
  std::vector<std::string> names;
  for (const auto &sym : elf.functions)
    names.push_back(sym.name);
  std::string guess = support::closestMatch(func, names);
  if (!guess.empty())
    d.hint("did you mean '" + guess + "'?");
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// One uprobe at virtual address `addr` (a symbol's address plus `off`).
bool place(FamilyContext &ctx, ProbeSpec &s, const btf::ElfInfo &elf, uint64_t addr) {
  if (!elf.fileOffset(addr, s.offset)) {
    ctx.diags.error(DiagId::InvalidAttachPoint, s.attach_point->range,
                    "address " + hex(addr) + " is not in an executable segment of " +
                        s.path);
    return false;
  }
  return true;
}

} // namespace

void expandUprobe(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                  std::vector<ProbeSpec> &out) {
  spec.is_return = spec.kind == ProbeKind::Uretprobe;
  const char *family = spec.is_return ? "uretprobe" : "uprobe";
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    std::string(family) + " probe must have the form " + family +
                        ":binary:function[+offset] or " + family + ":binary:0xADDRESS");
    return;
  }
  btf::ElfInfo elf;
  if (!openBinary(ctx, spec, parts[1], spec.path, elf))
    return;
  if (spec.is_return && elf.is_go) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    "uretprobe refused on Go binary " + spec.path +
                        ": Go moves goroutine stacks, and the return address a uretprobe "
                        "rewrites would crash the program")
        .hint("probe the function's return instructions with uprobe:" + parts[1] +
              ":FUNCTION+OFFSET instead");
    return;
  }
  const std::string &target = parts[2];
  uint64_t addr = 0;
  if (parseHex(target, addr)) {
    spec.func = target;
    spec.name = std::string(family) + ":" + spec.path + ":" + target;
    if (place(ctx, spec, elf, addr))
      out.push_back(std::move(spec));
    return;
  }
  size_t plus = target.find('+');
  std::string func = target.substr(0, plus);
  uint64_t off = 0;
  if (plus != std::string::npos && (!parseOffset(target.substr(plus + 1), off) || spec.is_return)) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    spec.is_return ? "Offset not allowed for uretprobe probes"
                                   : "Invalid offset in " + target);
    return;
  }
  bool wildcard = func.find_first_of("*?") != std::string::npos;
  std::vector<const btf::ElfSymbol *> syms;
  if (wildcard) {
    for (const auto &sym : elf.functions)
      if (support::globMatch(func, sym.name))
        syms.push_back(&sym);
  } else if (const btf::ElfSymbol *sym = elf.find(func)) {
    syms.push_back(sym);
  }
  if (syms.empty())
    return symbolNotFound(ctx, spec, spec.path, func, elf);
  for (const btf::ElfSymbol *sym : syms) {
    if (off && sym->size && off >= sym->size) {
      ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                      "Offset " + std::to_string(off) + " is past the end of " + sym->name +
                          " (" + std::to_string(sym->size) + " bytes)");
      return;
    }
    ProbeSpec s = spec;
    s.func = sym->name;
    s.name = std::string(family) + ":" + spec.path + ":" + sym->name +
             (off ? "+" + std::to_string(off) : "");
    if (place(ctx, s, elf, sym->addr + off))
      out.push_back(std::move(s));
  }
}

void expandUsdt(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                std::vector<ProbeSpec> &out) {
  if (parts.size() < 3 || parts.size() > 4 || parts[1].empty() || parts.back().empty()) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    "usdt probe must have the form usdt:binary:[provider:]name");
    return;
  }
  btf::ElfInfo elf;
  if (!openBinary(ctx, spec, parts[1], spec.path, elf))
    return;
  std::string provider = parts.size() == 4 ? parts[2] : "*";
  const std::string &name = parts.back();
  std::set<std::pair<std::string, std::string>> matched;
  for (const auto &note : elf.usdt)
    if (support::globMatch(provider, note.provider) && support::globMatch(name, note.name))
      matched.emplace(note.provider, note.name);
  if (matched.empty()) {
    auto &d = ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range,
                              "usdt probe " + (parts.size() == 4 ? provider + ":" : "") + name +
                                  " not found in " + spec.path);
    std::set<std::string> all;
    for (const auto &note : elf.usdt)
      all.insert(note.provider + ":" + note.name);
    d.hint(all.empty() ? spec.path + " has no USDT probes"
                       : "its probes are: " +
                             support::join(std::vector<std::string>(all.begin(), all.end()), ", "));
    return;
  }
  for (const auto &[prov, probe_name] : matched) {
    ProbeSpec s = spec;
    s.category = prov;
    s.func = probe_name;
    s.name = "usdt:" + spec.path + ":" + prov + ":" + probe_name;
    out.push_back(std::move(s));
  }
}

} // namespace scry::sema
