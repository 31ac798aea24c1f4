// A user binary's DWARF through LLVM's DWARFContext: functions found by their entry
// address, parameters typed (dwarf_types.h) and placed in registers (sysv_abi.h). See
// debug_info.h.
#include "dwarf/debug_info.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>

#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/Object/ObjectFile.h>

#include "dwarf/dwarf_types.h"
#include "dwarf/sysv_abi.h"

namespace scry::dwarf {

namespace dw = llvm::dwarf;

namespace {

class LlvmDebugInfo : public DebugInfo {
public:
  LlvmDebugInfo(llvm::object::OwningBinary<llvm::object::ObjectFile> file)
      : file_(std::move(file)) {
    // Malformed DWARF is reported as "no function at ...", not printed by LLVM.
    auto quiet = [](llvm::Error e) { llvm::consumeError(std::move(e)); };
    context_ = llvm::DWARFContext::create(*file_.getBinary(),
                                          llvm::DWARFContext::ProcessDebugRelocations::Process,
                                          nullptr, "", quiet, quiet);
  }

  bool hasDwarf() const override { return context_->getNumCompileUnits() != 0; }

  bool functionAt(uint64_t addr, Function &out, std::string &error) override;

private:
  llvm::DWARFDie entryDie(uint64_t addr);
  void placeParams(const llvm::DWARFDie &func, Function &out);

  llvm::object::OwningBinary<llvm::object::ObjectFile> file_;
  std::unique_ptr<llvm::DWARFContext> context_;
  TypeConverter types_;
};

bool startsAt(const llvm::DWARFDie &die, uint64_t addr) {
  auto ranges = die.getAddressRanges();
  if (!ranges) {
    llvm::consumeError(ranges.takeError());
    return false;
  }
  for (const auto &range : *ranges)
    if (range.LowPC == addr)
      return true;
  return dw::toAddress(die.find(dw::DW_AT_entry_pc)) == addr;
}

// The DIE holding a subprogram's parameters: the concrete one, or the abstract one it
// came from (an out-of-line copy of an inline function may list none of its own).
std::vector<llvm::DWARFDie> paramDies(const llvm::DWARFDie &func) {
  std::vector<llvm::DWARFDie> params;
  for (const auto &child : func.children())
    if (child.getTag() == dw::DW_TAG_formal_parameter)
      params.push_back(child);
  if (params.empty())
    for (auto attr : {dw::DW_AT_abstract_origin, dw::DW_AT_specification})
      if (llvm::DWARFDie origin = func.getAttributeValueAsReferencedDie(attr))
        return paramDies(origin);
  return params;
}

llvm::DWARFDie paramType(const llvm::DWARFDie &param) {
  auto type = param.findRecursively({dw::DW_AT_type});
  return type ? param.getAttributeValueAsReferencedDie(*type) : llvm::DWARFDie();
}

} // namespace

llvm::DWARFDie LlvmDebugInfo::entryDie(uint64_t addr) {
  llvm::DWARFDie func = context_->getDIEsForAddress(addr).FunctionDIE;
  return func && startsAt(func, addr) ? func : llvm::DWARFDie();
}

bool LlvmDebugInfo::functionAt(uint64_t addr, Function &out, std::string &error) {
  llvm::DWARFDie func = entryDie(addr);
  if (!func) {
    char hex[24];
    std::snprintf(hex, sizeof(hex), "0x%llx", static_cast<unsigned long long>(addr));
    error = "no DWARF function starts at " + std::string(hex);
    return false;
  }
  out = Function{};
  const char *name = func.getName(llvm::DINameKind::ShortName);
  out.name = name ? name : "";
  placeParams(func, out);
  return true;
}

// Integer and pointer parameters take rdi, rsi, rdx, rcx, r8, r9 in order; a struct of
// 9-16 bytes takes two at once or, when fewer are left, goes on the stack whole, and
// later smaller parameters still take the registers left (ABI 3.2.3).
void LlvmDebugInfo::placeParams(const llvm::DWARFDie &func, Function &out) {
  auto ret = func.findRecursively({dw::DW_AT_type});
  unsigned used = ret && returnsInMemory(func.getAttributeValueAsReferencedDie(*ret)) ? 1 : 0;
  for (const auto &die : paramDies(func)) {
    Param p;
    const char *name = die.getName(llvm::DINameKind::ShortName);
    p.name = name ? name : "";
    llvm::DWARFDie type = paramType(die);
    p.decl = typeName(type) + (p.name.empty() ? "" : " " + p.name);
    p.type = types_.toType(type);
    ArgClass c = classifyArg(type);
    switch (c.kind) {
    case ArgClass::ByReference:
      p.type = ast::Type::pointer(p.type, ast::AddrSpace::User);
      [[fallthrough]];
    case ArgClass::Integer:
      if (used + c.eightbytes <= kArgRegs) {
        p.first_reg = static_cast<int>(used);
        p.regs = c.eightbytes;
        used += c.eightbytes;
      } else {
        p.unsupported = "passed on the stack (after the 6 argument registers)";
      }
      break;
    case ArgClass::Sse:
      used = std::min(used + c.eightbytes, kArgRegs);
      p.unsupported = c.why;
      break;
    case ArgClass::Memory:
    case ArgClass::None:
      p.unsupported = c.why;
      break;
    }
    if (p.unsupported.empty() && p.type.isNone()) { // still takes its registers
      p.unsupported = "scry has no type for '" + typeName(type) + "'";
      p.first_reg = -1;
      p.regs = 0;
    }
    out.params.push_back(std::move(p));
  }
}

std::shared_ptr<DebugInfo> DebugInfo::open(const std::string &path, std::string &error) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<DebugInfo>> opened;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = opened.find(path); it != opened.end())
    return it->second;
  auto file = llvm::object::ObjectFile::createObjectFile(path);
  if (!file) {
    error = "cannot read " + path + ": " + llvm::toString(file.takeError());
    return nullptr;
  }
  auto info = std::make_shared<LlvmDebugInfo>(std::move(*file));
  opened.emplace(path, info);
  return info;
}

} // namespace scry::dwarf
