// Attach-point expansion of USDT probes: usdt:BIN:[provider:]name, with globs in the
// provider and the name, and usdt:*:name (every binary the -p process maps, or every
// running process's without -p). Probes are read from each binary's .note.stapsdt; libbpf
// decodes their arguments and activates semaphores at attach.
#include <set>

#include "btf/elf_file.h"
#include "sema/probe_families.h"
#include "support/strings.h"

namespace scry::sema {

using diag::DiagId;

void expandUsdt(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                std::vector<ProbeSpec> &out) {
  if (parts.size() < 3 || parts.size() > 4 || parts[1].empty() || parts.back().empty()) {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    "usdt probe must have the form usdt:binary:[provider:]name");
    return;
  }
  std::string provider = parts.size() == 4 ? parts[2] : "*";
  const std::string &name = parts.back();
  std::vector<std::string> binaries = targetBinaries(ctx, spec, parts[1]);
  bool many = binaries.size() > 1;
  std::set<std::string> all;
  std::string last_path;
  size_t before = out.size();
  for (const std::string &path : binaries) {
    btf::ElfInfo elf;
    std::string error;
    if (!btf::readElf(path, elf, error)) {
      if (!many)
        ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range, error);
      continue;
    }
    last_path = path;
    std::set<std::pair<std::string, std::string>> matched;
    for (const auto &note : elf.usdt) {
      all.insert(note.provider + ":" + note.name);
      if (support::globMatch(provider, note.provider) && support::globMatch(name, note.name))
        matched.emplace(note.provider, note.name);
    }
    for (const auto &[prov, probe_name] : matched) {
      ProbeSpec s = spec;
      s.path = path;
      s.category = prov;
      s.func = probe_name;
      s.name = "usdt:" + path + ":" + prov + ":" + probe_name;
      out.push_back(std::move(s));
    }
  }
  if (out.size() != before || last_path.empty())
    return;
  std::string where = many ? "the binaries of " + parts[1] : last_path;
  std::string hint = all.empty() ? where + " has no USDT probes"
                     : many      ? ""
                                 : "its probes are: " +
                                  support::join(std::vector<std::string>(all.begin(), all.end()), ", ");
  reportMissing(ctx, spec, DiagId::ProbeTargetNotFound,
                "usdt probe " + (parts.size() == 4 ? provider + ":" : "") + name +
                    " not found in " + where,
                hint);
}

} // namespace scry::sema
