// Which binaries the BIN of uprobe:BIN:... and usdt:BIN:... names (issue 4): a path, a
// program on $PATH, a library by name (the -p process's own first, then ld.so.cache),
// a glob over paths, `*` for every file the -p process maps (every running process's
// without -p), and, with -p, nothing at all for the process's executable.
#include <glob.h>

#include "btf/elf_file.h"
#include "btf/proc_maps.h"
#include "sema/probe_families.h"

namespace scry::sema {

using diag::DiagId;

std::vector<std::string> targetBinaries(FamilyContext &ctx, const ProbeSpec &spec,
                                        const std::string &bin) {
  const char *family = ast::probeKindName(spec.kind);
  int pid = ctx.options.pid;
  std::vector<std::string> paths;
  if (bin.empty() && pid > 0) {
    std::string exe = btf::pidExe(pid);
    if (exe.empty())
      ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range,
                      "cannot read the executable of process " + std::to_string(pid) +
                          " (-p): no such process, or no permission");
    else
      paths.push_back(exe);
    return paths;
  }
  if (bin == "*") {
    paths = btf::mappedFiles(pid);
    if (paths.empty())
      ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range,
                      pid > 0 ? "process " + std::to_string(pid) + " maps no executable files"
                              : "no running process maps an executable file");
    return paths;
  }
  if (bin.find_first_of("*?") != std::string::npos && bin.find('/') != std::string::npos) {
    std::string root = pid > 0 ? btf::pidRoot(pid) : "";
    glob_t g{};
    if (glob((root + bin).c_str(), 0, nullptr, &g) == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i)
        paths.emplace_back(g.gl_pathv[i]);
    globfree(&g);
  } else if (std::string path = btf::resolveBinary(bin, pid); !path.empty()) {
    paths.push_back(path);
  }
  if (paths.empty())
    ctx.diags.error(DiagId::ProbeTargetNotFound, spec.attach_point->range,
                    std::string(family) + " target file '" + bin +
                        "' does not exist or is not executable");
  return paths;
}

} // namespace scry::sema
