// Attach-point expansion of iterators and watchpoints (issue 4):
//   iter:NAME[:PIN]             a BPF iterator over kernel objects (bpf_iter__NAME in BTF);
//                               `ctx` is typed from that struct
//   watchpoint:ADDR:LEN:MODE    a hardware breakpoint on ADDR (a user address in the -p
//                               process, else a kernel address), LEN 1/2/4/8 bytes,
//                               MODE w, rw or x (what x86-64's debug registers can do)
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

#include <charconv>
#include <cstdio>

#include "sema/probe_families.h"
#include "support/strings.h"

namespace scry::sema {

using ast::ProbeKind;
using diag::DiagId;

namespace {

bool parseNumber(const std::string &s, uint64_t &out) {
  bool hex = s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0;
  const char *begin = s.data() + (hex ? 2 : 0);
  auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), out, hex ? 16 : 10);
  return ptr != begin && ec == std::errc() && ptr == s.data() + s.size();
}

void invalid(FamilyContext &ctx, const ProbeSpec &spec, const std::string &message,
             const std::string &hint = "") {
  auto &d = ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range, message);
  if (!hint.empty())
    d.hint(hint);
}

// HW_BREAKPOINT_* for MODE, or 0 when x86-64 cannot watch that way (Intel SDM vol. 3,
// 17.2.4: write, read-or-write, or execute; never read alone, never execute with data).
uint32_t breakpointType(const std::string &mode) {
  bool r = false, w = false, x = false;
  for (char c : mode) {
    bool &bit = c == 'r' ? r : c == 'w' ? w : x;
    if ((c != 'r' && c != 'w' && c != 'x') || bit)
      return 0;
    bit = true;
  }
  if (x)
    return r || w ? 0 : HW_BREAKPOINT_X;
  if (w)
    return r ? HW_BREAKPOINT_RW : HW_BREAKPOINT_W;
  return 0;
}

} // namespace

std::vector<std::string> iteratorNames(btf::TypeSource &types, const std::string &glob) {
  std::vector<std::string> names;
  for (const auto &func : types.kernelFunctions("bpf_iter_*")) {
    std::string name = func.substr(sizeof("bpf_iter_") - 1);
    std::string error;
    if (!name.empty() && support::globMatch(glob, name) &&
        types.kernelRecord("struct bpf_iter__" + name, ast::AddrSpace::Kernel, error))
      names.push_back(name); // a bpf_iter_NAME function without the struct is a kfunc
  }
  return names;
}

void expandIter(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                std::vector<ProbeSpec> &out) {
  if (parts.size() < 2 || parts.size() > 3 || parts[1].empty() ||
      (parts.size() == 3 && parts[2].empty()))
    return invalid(ctx, spec, "iter probe must have the form iter:NAME or iter:NAME:PIN");
  std::string name = parts[1];
  if (name.find_first_of("*?") != std::string::npos) {
    std::vector<std::string> names = iteratorNames(ctx.types, name);
    if (names.empty())
      return reportMissing(ctx, spec, DiagId::ProbeTargetNotFound,
                           "No iterators matched: " + name);
    if (names.size() > 1)
      return invalid(ctx, spec,
                     "iter:" + name + " matches " + std::to_string(names.size()) +
                         " iterators, and an iter probe must be the only probe",
                     "name one of: " + support::join(names, ", "));
    name = names.front();
  }
  std::string error;
  spec.args = ctx.types.kernelRecord("struct bpf_iter__" + name, ast::AddrSpace::Kernel, error);
  if (!spec.args) {
    std::string guess = support::closestMatch(name, iteratorNames(ctx.types, "*"));
    return reportMissing(ctx, spec, DiagId::ProbeTargetNotFound,
                         "iter " + name + " not available: the kernel's BTF has no struct bpf_iter__" +
                             name,
                         guess.empty() ? "" : "did you mean iter:" + guess + "?");
  }
  spec.func = name;
  spec.path = parts.size() == 3 ? parts[2] : "";
  spec.name = "iter:" + name;
  out.push_back(std::move(spec));
}

void expandWatchpoint(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                      std::vector<ProbeSpec> &out) {
  const char *form = "watchpoint probe must have the form watchpoint:ADDRESS:LENGTH:MODE";
  if (parts.size() != 4)
    return invalid(ctx, spec, form, "e.g. watchpoint:0x10000000:8:w");
  uint64_t addr = 0, len = 0;
  if (!parseNumber(parts[1], addr) || addr == 0)
    return invalid(ctx, spec, "Invalid watchpoint address: " + parts[1],
                   "give an absolute address, e.g. 0x10000000");
  if (!parseNumber(parts[2], len) || (len != 1 && len != 2 && len != 4 && len != 8))
    return invalid(ctx, spec, "Invalid watchpoint length: " + parts[2],
                   "the length must be 1, 2, 4 or 8 bytes");
  uint32_t type = breakpointType(parts[3]);
  if (!type)
    return invalid(ctx, spec, "Invalid watchpoint mode: " + parts[3],
                   "x86-64 can watch w (write), rw (read or write) or x (execute)");
  if (type == HW_BREAKPOINT_X && len != 8)
    return invalid(ctx, spec, "An x (execute) watchpoint must have length 8",
                   "x86-64 execute breakpoints cover one instruction: use LENGTH 8");
  if (addr % len != 0) {
    char aligned[32];
    std::snprintf(aligned, sizeof(aligned), "0x%llx",
                  static_cast<unsigned long long>(addr - addr % len));
    return invalid(ctx, spec, "Watchpoint address " + parts[1] + " is not aligned to its length " +
                                  std::to_string(len),
                   "x86-64 debug registers watch aligned ranges: try " + std::string(aligned));
  }
  char name[96];
  std::snprintf(name, sizeof(name), "watchpoint:0x%llx:%llu:%s",
                static_cast<unsigned long long>(addr), static_cast<unsigned long long>(len),
                parts[3].c_str());
  spec.name = name;
  spec.offset = addr;
  spec.perf_type = PERF_TYPE_BREAKPOINT;
  spec.perf_config = type;
  spec.perf_period = len;
  out.push_back(std::move(spec));
}

} // namespace scry::sema
