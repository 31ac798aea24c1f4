// Attaching user-space probe families: uprobes/uretprobes at a file offset that sema
// resolved from the ELF symbol tables, and USDT probes through libbpf's USDT manager
// (which fills the __bpf_usdt_specs map that codegen declared). See attach_families.h.
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runtime/attach_families.h"

namespace scry::runtime {

bool attachUprobe(bpf_program *prog, const object::ProgramDesc &desc, int pid,
                  LinkSet &links, AttachError &error) {
  bpf_link *link = bpf_program__attach_uprobe(prog, desc.is_return, pid, desc.path.c_str(),
                                              desc.offset);
  if (!link) {
    error.reason = std::strerror(errno);
    return false;
  }
  links.links.emplace_back(link);
  return true;
}

bool attachUsdt(bpf_program *prog, const object::ProgramDesc &desc, int pid,
                LinkSet &links, AttachError &error) {
  size_t colon = desc.target.find(':');
  std::string provider = desc.target.substr(0, colon);
  std::string name = colon == std::string::npos ? "" : desc.target.substr(colon + 1);
  bpf_link *link =
      bpf_program__attach_usdt(prog, pid, desc.path.c_str(), provider.c_str(), name.c_str(), nullptr);
  if (!link) {
    error.reason = std::strerror(errno);
    if (errno == ENOENT)
      error.hint = "no USDT note " + desc.target + " in " + desc.path;
    return false;
  }
  links.links.emplace_back(link);
  return true;
}

} // namespace scry::runtime
