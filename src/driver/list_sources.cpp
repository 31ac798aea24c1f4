// Sources of probe names for -l beyond tracefs and BTF prototypes. See list_sources.h.
#include "driver/list_sources.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "sema/probe_families.h"
#include "support/strings.h"

namespace scry::driver {

namespace {

bool isCopy(const std::string &name) {
  return name.find('.') != std::string::npos || name.rfind("__pfx_", 0) == 0;
}

// available_filter_functions ("name" or "name [module]"); false when it cannot be read.
bool ftraceFunctions(const std::string &glob, std::set<std::string> &out) {
  for (const char *path : {"/sys/kernel/tracing/available_filter_functions",
                           "/sys/kernel/debug/tracing/available_filter_functions"}) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
      continue;
    do {
      std::string name = line.substr(0, line.find(' '));
      if (!isCopy(name) && support::globMatch(glob, name))
        out.insert(name);
    } while (std::getline(in, line));
    return true;
  }
  return false;
}

void kallsymsFunctions(const std::string &glob, std::set<std::string> &out) {
  std::ifstream in("/proc/kallsyms");
  std::string line;
  while (std::getline(in, line)) {
    // "ffffffff81000000 T _stext" or "... t name\t[module]"
    std::istringstream fields(line);
    std::string addr, type, name;
    fields >> addr >> type >> name;
    if ((type == "T" || type == "t") && !isCopy(name) && support::globMatch(glob, name))
      out.insert(name);
  }
}

} // namespace

std::vector<std::string> kprobeFunctions(btf::TypeSource &types, const std::string &glob) {
  std::set<std::string> names;
  if (!ftraceFunctions(glob, names)) {
    for (auto &fn : types.kernelFunctions(glob))
      names.insert(fn);
    kallsymsFunctions(glob, names);
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> iterators(btf::TypeSource &types, const std::string &glob) {
  return sema::iteratorNames(types, glob);
}

std::vector<std::string> iteratorArgs(btf::TypeSource &types, const std::string &name) {
  btf::FuncInfo info;
  std::string error;
  std::vector<std::string> out;
  if (!types.kernelFunction("bpf_iter_" + name, info, error))
    return out;
  for (size_t i = 1; i < info.params.size(); ++i) // params[0] is the meta
    out.push_back(info.params[i].decl);
  return out;
}

} // namespace scry::driver
