// Attach-point expansion of uprobes: uprobe:BIN:func[+off], uprobe:BIN:0xADDR,
// uprobe:BIN:cpp:"ns::f*", uretprobe:BIN:func, and with -p uprobe:func. BIN names one
// or more binaries (attach_binaries.cpp); symbols are read from each ELF file and every
// function is resolved to the file offset the kernel's uprobe needs.
//
// C++: `uprobe:BIN:cpp:PATTERN` matches PATTERN against demangled names, without their
// parameter lists unless PATTERN has a '(' (as bpftrace does); a PATTERN with "::" or
// '(' also matches demangled names without the cpp part, since no C symbol has those.
// `func` is the demangled name; `probe` keeps the mangled symbol, which is unique.
#include <charconv>
#include <cstdio>

#include "btf/elf_file.h"
#include "sema/probe_builtins.h"
#include "sema/probe_families.h"
#include "support/demangle.h"
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

// How a function pattern is matched against a binary's symbols.
struct Matcher {
  std::string pattern;
  bool wildcard = false;
  bool demangled = false; // also against demangled names
  bool with_params = false; // ... with their parameter lists

  bool matches(const std::string &symbol) const {
    if (wildcard ? support::globMatch(pattern, symbol) : pattern == symbol)
      return true;
    if (!demangled || symbol.rfind("_Z", 0) != 0)
      return false;
    std::string name = support::demangle(symbol);
    if (!with_params)
      name = name.substr(0, name.find('('));
    return wildcard ? support::globMatch(pattern, name) : pattern == name;
  }
};

std::vector<const btf::ElfSymbol *> findSymbols(const btf::ElfInfo &elf, const Matcher &m) {
  std::vector<const btf::ElfSymbol *> syms;
  if (!m.wildcard && !m.demangled) {
    if (const btf::ElfSymbol *sym = elf.find(m.pattern))
      syms.push_back(sym);
    return syms;
  }
  for (const auto &sym : elf.functions)
    if (m.matches(sym.name))
      syms.push_back(&sym);
  return syms;
}

void symbolNotFound(FamilyContext &ctx, const ProbeSpec &spec, const std::string &path,
                    const std::string &func, const btf::ElfInfo *elf) {
  std::vector<std::string> names;
  if (elf)
    for (const auto &sym : elf->functions)
      names.push_back(sym.name);
  std::string guess = support::closestMatch(func, names);
  reportMissing(ctx, spec, DiagId::ProbeTargetNotFound,
                "Could not resolve symbol: " + path + ":" + func,
                guess.empty() ? "" : "did you mean '" + guess + "'?");
}

} // namespace

void expandUprobe(FamilyContext &ctx, ProbeSpec spec, std::vector<std::string> parts,
                  std::vector<ProbeSpec> &out) {
  spec.is_return = spec.kind == ProbeKind::Uretprobe;
  const char *family = spec.is_return ? "uretprobe" : "uprobe";
  // With -p the binary may be left out: the process's executable (as in bpftrace).
  if (ctx.options.pid > 0 && (parts.size() == 2 || (parts.size() == 3 && parts[1] == "cpp")))
    parts.insert(parts.begin() + 1, "");
  bool cpp = parts.size() == 4 && parts[2] == "cpp";
  if ((parts.size() != 3 && !cpp) || (parts[1].empty() && ctx.options.pid <= 0) ||
      parts.back().empty()) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    std::string(family) + " probe must have the form " + family +
                        ":binary:[cpp:]function[+offset] or " + family + ":binary:0xADDRESS")
        .hint(parts.size() == 4 ? "the only language is cpp" : "with -p PID the binary may be "
                                                                "left out: " + std::string(family) +
                                                                ":function");
    return;
  }
  const std::string &target = parts.back();
  size_t plus = target.find('+');
  uint64_t off = 0, addr = 0;
  bool is_addr = parseHex(target, addr);
  if (!is_addr && plus != std::string::npos &&
      (!parseOffset(target.substr(plus + 1), off) || spec.is_return)) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    spec.is_return ? "Offset not allowed for uretprobe probes"
                                   : "Invalid offset in " + target);
    return;
  }
  Matcher m;
  m.pattern = target.substr(0, is_addr ? std::string::npos : plus);
  m.wildcard = m.pattern.find_first_of("*?") != std::string::npos;
  m.demangled = cpp || m.pattern.find("::") != std::string::npos ||
                m.pattern.find('(') != std::string::npos;
  m.with_params = m.pattern.find('(') != std::string::npos;
  std::vector<std::string> binaries = targetBinaries(ctx, spec, parts[1]);
  bool many = binaries.size() > 1;
  size_t before = out.size();
  std::string last_path;
  btf::ElfInfo last_elf;
  for (const std::string &path : binaries) {
    btf::ElfInfo elf;
    std::string error;
    if (!btf::readElf(path, elf, error)) {
      if (!many) // with `*` or a glob, files that are not ELF are not what was meant
        ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range, error);
      continue;
    }
    ProbeSpec base = spec;
    base.path = path;
    if (spec.is_return && elf.is_go) {
      if (many)
        continue;
      ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                      "uretprobe refused on Go binary " + path +
                          ": Go moves goroutine stacks, and the return address a uretprobe "
                          "rewrites would crash the program")
          .hint("probe the function's return instructions with uprobe:" + parts[1] +
                ":FUNCTION+OFFSET instead");
      return;
    }
    if (is_addr) {
      base.func = target;
      base.name = std::string(family) + ":" + path + ":" + target;
      base.address = addr;
      if (place(ctx, base, elf, addr))
        out.push_back(std::move(base));
      continue;
    }
    for (const btf::ElfSymbol *sym : findSymbols(elf, m)) {
      if (off && sym->size && off >= sym->size) {
        ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                        "Offset " + std::to_string(off) + " is past the end of " + sym->name +
                            " (" + std::to_string(sym->size) + " bytes)");
        return;
      }
      ProbeSpec s = base;
      s.func = support::demangle(sym->name);
      s.name = std::string(family) + ":" + path + ":" + (cpp ? "cpp:" : "") + sym->name +
               (off ? "+" + std::to_string(off) : "");
      s.address = sym->addr;
      if (off)
        s.args_error = "arguments are typed at the function's entry only, not at +" +
                       std::to_string(off);
      if (place(ctx, s, elf, sym->addr + off))
        out.push_back(std::move(s));
    }
    last_path = path;
    last_elf = std::move(elf);
  }
  if (out.size() == before && !is_addr && !last_path.empty()) // some binary was read
    symbolNotFound(ctx, spec, many ? parts[1] : last_path, m.pattern, many ? nullptr : &last_elf);
  if (!spec.is_return && probeReadsArgs(*spec.probe)) // DWARF is read only for args
    for (size_t k = before; k < out.size(); ++k)
      typeUprobeArgs(out[k]); // attach_uprobe_args.cpp
}

} // namespace scry::sema
