// Probe listing (-l, -lv). Sources per provider: tracefs events/ (tracepoint), BTF
// btf_trace_* typedefs (rawtracepoint), BTF FUNC entries (kprobe, fentry: the ftrace
// list available_filter_functions is EPERM on the 6.18 kernel here; kallsyms too for
// kprobes), BTF bpf_iter__* structs (iter), the perf event tables (software, hardware),
// and the named binary's ELF symbols and USDT notes (uprobe, usdt). See list.h.
#include "driver/list.h"

#include <algorithm>
#include <iostream>
#include <set>

#include "btf/elf_file.h"
#include "btf/format.h"
#include "btf/tracefs.h"
#include "driver/list_sources.h"
#include "sema/probe_families.h"
#include "support/demangle.h"
#include "support/strings.h"

namespace scry::driver {

namespace {

using Lines = std::map<std::string, std::vector<std::string>>; // probe -> argument lines

struct Pattern {
  std::string provider; // canonical provider name, or "" for every provider
  std::string rest;     // glob over what follows "provider:"
  std::string whole;    // a pattern without ':' matches whole names
};

bool providerWanted(const Pattern &p, const char *provider) {
  return p.provider.empty() || p.provider == provider;
}

bool matches(const Pattern &p, const std::string &provider, const std::string &rest) {
  if (!p.whole.empty()) {
    std::string last = rest.substr(rest.rfind(':') == std::string::npos ? 0 : rest.rfind(':') + 1);
    return support::globMatch(p.whole, provider + ":" + rest) ||
           support::globMatch(p.whole, rest) || support::globMatch(p.whole, last);
  }
  return support::globMatch(p.rest, rest);
}

std::vector<std::string> tracepointArgs(const std::string &name) {
  std::string error, text;
  std::string root = btf::ensureTracefs(error);
  size_t colon = name.find(':');
  std::vector<btf::FormatField> fields;
  int err = 0;
  if (root.empty() ||
      !btf::readWholeFile(root + "/events/" + name.substr(0, colon) + "/" +
                              name.substr(colon + 1) + "/format",
                          text, err) ||
      !btf::parseFormat(text, fields, error))
    return {};
  std::vector<std::string> out;
  for (const auto &f : fields)
    out.push_back(f.decl);
  return out;
}

std::vector<std::string> funcArgs(const btf::FuncInfo &info, bool with_ret) {
  std::vector<std::string> out;
  for (const auto &p : info.params)
    out.push_back(p.decl);
  if (with_ret && !info.ret_decl.empty())
    out.push_back(info.ret_decl);
  return out;
}

void listKernel(const Pattern &p, btf::TypeSource &types, bool verbose, Lines &out) {
  if (providerWanted(p, "tracepoint")) {
    std::vector<std::string> parts = support::split(p.rest, ':');
    bool split = p.whole.empty() && parts.size() == 2;
    for (const auto &tp : types.tracepoints(split ? parts[0] : "*", split ? parts[1] : "*"))
      if (split || matches(p, "tracepoint", tp))
        out["tracepoint:" + tp] = verbose ? tracepointArgs(tp) : std::vector<std::string>{};
  }
  if (providerWanted(p, "rawtracepoint"))
    for (const auto &ev : types.rawTracepoints("*"))
      if (matches(p, "rawtracepoint", ev)) {
        btf::FuncInfo info;
        std::string error;
        auto &args = out["rawtracepoint:" + ev];
        if (verbose && types.rawTracepoint(ev, info, error))
          args = funcArgs(info, false);
      }
  for (const char *family : {"kprobe", "fentry", "fexit"}) {
    if (!providerWanted(p, family))
      continue;
    std::string glob = p.whole.empty() && !p.rest.empty() ? p.rest : "*";
    bool kprobe = std::string(family) == "kprobe";
    for (const auto &fn : kprobe ? kprobeFunctions(types, glob) : types.kernelFunctions(glob))
      if (matches(p, family, fn)) {
        btf::FuncInfo info;
        std::string error;
        auto &args = out[std::string(family) + ":" + fn];
        if (verbose && types.kernelFunction(fn, info, error))
          args = funcArgs(info, std::string(family) == "fexit");
      }
  }
  if (providerWanted(p, "iter"))
    for (const auto &name : iterators(types, "*"))
      if (matches(p, "iter", name))
        out["iter:" + name] = verbose ? iteratorArgs(types, name) : std::vector<std::string>{};
  for (const auto &row : sema::perfEvents()) {
    const char *family = row.kind == sema::PerfKind::Software ? "software" : "hardware";
    if (providerWanted(p, family))
      for (const char *name : {row.name, row.alias})
        if (*name && matches(p, family, std::string(name) + ":"))
          out[std::string(family) + ":" + name + ":"];
  }
}

// uprobe:BIN:glob and usdt:BIN:glob; false when BIN cannot be read. With `verbose`, a
// uprobe's parameters from DWARF (none without debug info).
bool listUser(const Pattern &p, bool verbose, Lines &out) {
  size_t colon = p.rest.find(':');
  std::string bin = p.rest.substr(0, colon);
  std::string glob = colon == std::string::npos ? "*" : p.rest.substr(colon + 1);
  std::string path = btf::resolveBinary(bin, -1);
  btf::ElfInfo elf;
  std::string error;
  if (path.empty() || !btf::readElf(path, elf, error)) {
    std::cerr << "ERROR: " << (path.empty() ? "cannot find binary '" + bin + "'" : error) << "\n";
    return false;
  }
  if (p.provider == "uprobe") {
    // uprobe:BIN:cpp:GLOB matches demangled names (without parameters unless GLOB has a
    // '(') and prints them quoted, usable as attach points, as bpftrace does.
    bool cpp = glob.rfind("cpp:", 0) == 0;
    if (cpp)
      glob = glob.substr(4);
    for (const auto &sym : elf.functions) {
      if (!cpp) {
        if (support::globMatch(glob, sym.name))
          out["uprobe:" + path + ":" + sym.name] =
              verbose ? sema::uprobeArgDecls(path, sym.addr) : std::vector<std::string>{};
        continue;
      }
      std::string name = support::demangle(sym.name);
      std::string matched = glob.find('(') == std::string::npos ? name.substr(0, name.find('('))
                                                                 : name;
      if (sym.name.rfind("_Z", 0) == 0 && support::globMatch(glob, matched))
        out["uprobe:" + path + ":cpp:\"" + name + "\""] =
            verbose ? sema::uprobeArgDecls(path, sym.addr) : std::vector<std::string>{};
    }
    return true;
  }
  for (const auto &note : elf.usdt) {
    std::string name = note.provider + ":" + note.name;
    if (support::globMatch(glob, name) || support::globMatch(glob, note.name))
      out["usdt:" + path + ":" + name];
  }
  return true;
}

Pattern parsePattern(const std::string &text) {
  Pattern p;
  size_t colon = text.find(':');
  if (colon == std::string::npos) {
    p.whole = text.empty() ? "*" : text;
    return p;
  }
  std::string provider = text.substr(0, colon);
  p.rest = text.substr(colon + 1);
  ast::ProbeKind kind = ast::lookupProbeKind(provider);
  if (kind == ast::ProbeKind::Kfunc)
    kind = ast::ProbeKind::Fentry;
  if (kind == ast::ProbeKind::Kretfunc)
    kind = ast::ProbeKind::Fexit;
  p.provider = kind == ast::ProbeKind::Unknown ? provider : ast::probeKindName(kind);
  return p;
}

void print(const Lines &lines) {
  for (const auto &[probe, args] : lines) {
    std::cout << probe << "\n";
    for (const auto &arg : args)
      std::cout << "    " << arg << "\n";
  }
}

} // namespace

int listProbes(const std::string &pattern, bool verbose) {
  auto types = btf::makeKernelTypeSource();
  if (pattern.rfind("struct ", 0) == 0 || pattern.rfind("union ", 0) == 0) {
    std::string error;
    std::string text = types->dumpRecord(pattern, error);
    if (text.empty()) {
      std::cerr << "ERROR: " << error << "\n";
      return 1;
    }
    std::cout << text << "\n";
    return 0;
  }
  Lines lines;
  for (const auto &item : support::split(pattern.empty() ? "*" : pattern, ',')) {
    Pattern p = parsePattern(item);
    if (p.provider == "uprobe" || p.provider == "usdt") {
      if (!listUser(p, verbose, lines))
        return 1;
      continue;
    }
    listKernel(p, *types, verbose, lines);
  }
  print(lines);
  return 0;
}

int listProgramProbes(const std::vector<sema::ProbeSpec> &probes, btf::TypeSource &types,
                      bool verbose) {
  Lines lines;
  for (const auto &spec : probes) {
    auto &args = lines[spec.name];
    if (!verbose)
      continue;
    if (spec.kind == ast::ProbeKind::Tracepoint) {
      args = tracepointArgs(spec.category + ":" + spec.event);
      continue;
    }
    if (spec.kind == ast::ProbeKind::Iter) {
      args = iteratorArgs(types, spec.func);
      continue;
    }
    if (spec.kind == ast::ProbeKind::Uprobe) { // DWARF parameters (issue 4)
      args = sema::uprobeArgDecls(spec.path, spec.address);
      continue;
    }
    btf::FuncInfo info;
    std::string error;
    if (spec.kind == ast::ProbeKind::RawTracepoint && types.rawTracepoint(spec.func, info, error))
      args = funcArgs(info, false);
    else if ((spec.kind == ast::ProbeKind::Fentry || spec.kind == ast::ProbeKind::Fexit ||
              spec.kind == ast::ProbeKind::Kprobe) &&
             types.kernelFunction(spec.func, info, error))
      args = funcArgs(info, spec.kind == ast::ProbeKind::Fexit);
  }
  print(lines);
  return 0;
}

} // namespace scry::driver
