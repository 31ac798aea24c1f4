// Uprobe `args` typed from the binary's DWARF (issue 4): the probed function's
// parameters, each in the argument registers the x86-64 System V ABI gives it. Codegen
// copies rdi, rsi, rdx, rcx, r8, r9 from pt_regs into an args record of 6 u64 slots in
// that order (emit_uprobe_args.cpp), so a parameter sits at 8 * its first register and a
// 9-16 byte struct spans its two registers' slots as it did in memory. Parameters passed
// elsewhere (the stack, SSE registers) are listed in ProbeSpec::args_unreadable.
#include <cstdio>

#include "dwarf/debug_info.h"
#include "sema/probe_families.h"

namespace scry::sema {

namespace {

constexpr uint32_t kSlotSize = 8;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

} // namespace

void typeUprobeArgs(ProbeSpec &spec) {
  if (!spec.args_error.empty())
    return; // an offset into the function: arguments may be gone from their registers
  std::string error;
  auto info = dwarf::DebugInfo::open(spec.path, error);
  if (!info) {
    spec.args_error = error;
    return;
  }
  if (!info->hasDwarf()) {
    spec.args_error = spec.path + " has no DWARF debug info";
    return;
  }
  dwarf::Function func;
  if (!info->functionAt(spec.address, func, error)) {
    spec.args_error = "no DWARF debug info for " + spec.func + " (at " + hex(spec.address) +
                      ") in " + spec.path;
    return;
  }
  auto rec = std::make_shared<ast::RecordType>();
  rec->name = "uprobe " + spec.func + " args";
  rec->size = dwarf::kArgRegs * kSlotSize;
  for (const auto &p : func.params) {
    if (p.name.empty())
      continue;
    if (p.first_reg < 0) {
      spec.args_unreadable[p.name] = p.unsupported;
      continue;
    }
    rec->fields.push_back({p.name, p.type, static_cast<uint32_t>(p.first_reg) * kSlotSize, false});
  }
  spec.args = std::move(rec);
}

std::vector<std::string> uprobeArgDecls(const std::string &path, uint64_t address) {
  std::string error;
  auto info = dwarf::DebugInfo::open(path, error);
  dwarf::Function func;
  std::vector<std::string> out;
  if (info && info->hasDwarf() && info->functionAt(address, func, error))
    for (const auto &p : func.params)
      out.push_back(p.decl);
  return out;
}

} // namespace scry::sema
