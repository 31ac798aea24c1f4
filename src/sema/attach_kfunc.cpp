// Attach-point expansion of kernel function probes: kprobe:func[+off], kprobe:mod:func,
// kretprobe:func, fentry/fexit (and the old names kfunc/kretfunc). Functions and their
// prototypes come from vmlinux BTF's FUNC entries (available_filter_functions is EPERM
// on the 6.18 kernel here); kprobe arguments are mapped onto x86-64 registers.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "sema/probe_families.h"
#include "support/strings.h"

namespace scry::sema {

using ast::ProbeKind;
using diag::DiagId;

namespace {

bool isReturn(ProbeKind kind) {
  return kind == ProbeKind::Kretprobe || kind == ProbeKind::Fexit || kind == ProbeKind::Kretfunc;
}

bool isFentry(ProbeKind kind) {
  return kind == ProbeKind::Fentry || kind == ProbeKind::Fexit || kind == ProbeKind::Kfunc ||
         kind == ProbeKind::Kretfunc;
}

// "func+0x10" / "func+16" -> func, offset; false on a malformed offset.
bool splitOffset(const std::string &text, std::string &func, uint64_t &offset) {
  size_t plus = text.find('+');
  func = text.substr(0, plus);
  offset = 0;
  if (plus == std::string::npos)
    return true;
  std::string off = text.substr(plus + 1);
  int base = off.rfind("0x", 0) == 0 ? 16 : 10;
  const char *begin = off.data() + (base == 16 ? 2 : 0);
  auto [ptr, ec] = std::from_chars(begin, off.data() + off.size(), offset, base);
  return !off.empty() && ec == std::errc() && ptr == off.data() + off.size();
}

void notFound(FamilyContext &ctx, const ProbeSpec &spec, const std::string &func, bool fentry) {
  std::string prefix = func.substr(0, std::min<size_t>(func.size(), 4));
  std::string guess = support::closestMatch(func, ctx.types.kernelFunctions(prefix + "*"));
  reportMissing(ctx, spec, DiagId::ProbeTargetNotFound,
                std::string(fentry ? "fentry" : "kprobe") + " target function '" + func +
                    "' not found in kernel BTF",
                guess.empty() ? "" : "did you mean '" + guess + "'?");
}

// One function: types its args (and fexit's retval) and records the suggestion.
bool describe(FamilyContext &ctx, ProbeSpec &s, bool wildcard) {
  bool fentry = isFentry(s.kind);
  btf::FuncInfo info;
  std::string error;
  bool known = ctx.types.kernelFunction(s.func, info, error);
  if (!known && (fentry || !wildcard)) {
    if (!wildcard)
      notFound(ctx, s, s.func, fentry);
    return false;
  }
  const char *family = fentry ? (s.is_return ? "fexit" : "fentry")
                              : (s.is_return ? "kretprobe" : "kprobe");
  s.name = std::string(family) + ":" + s.func;
  if (!fentry && s.offset)
    s.name += "+" + std::to_string(s.offset);
  if (known && !(s.is_return && !fentry))
    s.args = argsRecord(std::string(family) + " " + s.func + " args", info, !fentry);
  if (known && fentry && s.is_return)
    s.retval = info.ret;
  s.suggestion = suggestTracepoint(ctx.types, s.func, s.is_return);
  return true;
}

} // namespace

void expandKernelFunction(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                          std::vector<ProbeSpec> &out) {
  bool fentry = isFentry(spec.kind);
  spec.is_return = isReturn(spec.kind);
  if (spec.kind == ProbeKind::Kfunc)
    spec.kind = ProbeKind::Fentry;
  if (spec.kind == ProbeKind::Kretfunc)
    spec.kind = ProbeKind::Fexit;
  const char *form = fentry ? "fentry[:module]:function" : "kprobe[:module]:function[+offset]";
  if (parts.size() < 2 || parts.size() > 3 || parts.back().empty()) {
    spec.name = parts[0];
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    std::string(ast::probeKindName(spec.kind)) + " probe must have the form " +
                        form);
    return;
  }
  std::string func;
  if (!splitOffset(parts.back(), func, spec.offset) || func.empty()) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    "Invalid offset in " + parts.back());
    return;
  }
  if (spec.offset && (fentry || spec.is_return)) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    std::string("Offset not allowed for ") + ast::probeKindName(spec.kind) +
                        " probes");
    return;
  }
  if (func.rfind("0x", 0) == 0) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    "kprobes on raw addresses are not supported")
        .hint("name the function instead: kprobe:function+offset");
    return;
  }
  bool wildcard = func.find_first_of("*?") != std::string::npos;
  std::vector<std::string> funcs =
      wildcard ? ctx.types.kernelFunctions(func) : std::vector<std::string>{func};
  size_t before = out.size();
  for (const auto &f : funcs) {
    ProbeSpec s = spec;
    s.func = f;
    if (describe(ctx, s, wildcard))
      out.push_back(std::move(s));
  }
  if (wildcard && out.size() == before)
    reportMissing(ctx, spec, DiagId::ProbeTargetNotFound, "No kernel functions matched: " + func);
}

std::string suggestTracepoint(btf::TypeSource &types, const std::string &func, bool is_return) {
  std::vector<std::string> found;
  auto add = [&](const std::string &name) {
    if (std::find(found.begin(), found.end(), name) == found.end())
      found.push_back(name);
  };
  static const char *const kPrefixes[] = {"__x64_sys_", "__ia32_sys_", "__se_sys_", "__do_sys_",
                                          "do_sys_",    "ksys_",       "sys_"};
  for (const char *prefix : kPrefixes) {
    std::string p = prefix;
    if (func.rfind(p, 0) != 0 || func.size() == p.size())
      continue;
    std::string call = func.substr(p.size());
    std::string bare = call;
    while (!bare.empty() && std::isdigit(static_cast<unsigned char>(bare.back())))
      bare.pop_back();
    const char *dir = is_return ? "sys_exit_" : "sys_enter_";
    for (const auto &c : {bare, call})
      if (!c.empty() && types.hasTracepoint("syscalls", dir + c))
        add("tracepoint:syscalls:" + std::string(dir) + c);
    break;
  }
  for (const auto &tp : types.tracepoints("*", func))
    add("tracepoint:" + tp);
  btf::FuncInfo info;
  std::string error;
  if (found.empty() && types.rawTracepoint(func, info, error))
    add("rawtracepoint:" + func);
  return support::join(found, " or ");
}

} // namespace scry::sema
