// Grouping attach points into shared programs. See probe_groups.h.
#include "codegen/probe_groups.h"

#include "codegen/probe_sections.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace scry::codegen {

namespace {

struct SyscallRow {
  const char *name;
  uint32_t nr;
};

// From the build machine's headers (cmake/SyscallTable.cmake).
constexpr SyscallRow kHeaderSyscalls[] = {
#define SCRY_SYSCALL(name, nr) {#name, nr},
#include "syscall_numbers.inc"
#undef SCRY_SYSCALL
};

// Tracepoints named after the kernel's function rather than the __NR_ macro, and x86-64
// syscalls newer than Debian 12's headers (6.1); numbers from arch/x86/entry/syscalls/
// syscall_64.tbl, each checked on 6.18 through its tracepoint's __syscall_nr.
constexpr SyscallRow kExtraSyscalls[] = {
    {"newstat", 4},          {"newfstat", 5},          {"newlstat", 6},
    {"newuname", 63},        {"sendfile64", 40},       {"umount", 166},
    {"uretprobe", 335},      {"uprobe", 336},          {"cachestat", 451},
    {"fchmodat2", 452},      {"map_shadow_stack", 453}, {"futex_wake", 454},
    {"futex_wait", 455},     {"futex_requeue", 456},   {"statmount", 457},
    {"listmount", 458},      {"lsm_get_self_attr", 459}, {"lsm_set_self_attr", 460},
    {"lsm_list_modules", 461}, {"mseal", 462},         {"setxattrat", 463},
    {"getxattrat", 464},     {"listxattrat", 465},     {"removexattrat", 466},
    {"open_tree_attr", 467}, {"file_getattr", 468},    {"file_setattr", 469},
};

bool usesArgs(ast::Node *node) {
  if (auto *builtin = ast::dyn_cast<ast::Builtin>(node))
    if (builtin->id == ast::BuiltinId::Args)
      return true;
  bool found = false;
  ast::forEachChild(node, [&](ast::Node *child) { found = found || usesArgs(child); });
  return found;
}

bool probeUsesArgs(const ast::Probe *probe) {
  return (probe->predicate && usesArgs(probe->predicate)) || usesArgs(probe->body);
}

// Two tracepoints whose records lay out every field alike can share a body reading args.
std::string layoutKey(const sema::ProbeSpec &spec) {
  std::string key;
  if (!spec.args)
    return key;
  for (const auto &field : spec.args->fields)
    key += field.name + "@" + std::to_string(field.offset) + ":" + field.type.str() +
           (field.data_loc ? "d" : "") + ";";
  return key;
}

// The syscall number of a syscalls:sys_enter_X/sys_exit_X spec, or -1.
int syscallOf(const sema::ProbeSpec &spec, bool &is_exit) {
  if (spec.category != "syscalls")
    return -1;
  const std::string &event = spec.event;
  if (event.rfind("sys_enter_", 0) == 0) {
    is_exit = false;
    return syscallNumber(event.substr(10));
  }
  if (event.rfind("sys_exit_", 0) == 0) {
    is_exit = true;
    return syscallNumber(event.substr(9));
  }
  return -1;
}

// Splits the tracepoints of one probe (indices `members`, one layout) into groups.
void groupTracepoints(const std::vector<sema::ProbeSpec> &probes,
                      const std::vector<size_t> &members, bool uses_args,
                      std::vector<ProgramGroup> &out) {
  ProgramGroup rest{GroupMode::Cookie, {}, false, {}, uses_args};
  ProgramGroup sys[2] = {{GroupMode::Syscalls, {}, false, {}, uses_args},
                         {GroupMode::Syscalls, {}, true, {}, uses_args}};
  for (size_t i : members) {
    bool is_exit = false;
    int nr = syscallOf(probes[i], is_exit);
    if (nr < 0 || static_cast<uint32_t>(nr) >= kMaxSyscallNr) {
      rest.specs.push_back(i);
      continue;
    }
    sys[is_exit].specs.push_back(i);
    sys[is_exit].nrs.push_back(static_cast<uint32_t>(nr));
  }
  for (auto &group : sys) {
    if (group.specs.size() >= kMinRawSyscalls) {
      out.push_back(std::move(group));
      continue;
    }
    rest.specs.insert(rest.specs.end(), group.specs.begin(), group.specs.end());
  }
  if (rest.specs.empty())
    return;
  if (rest.specs.size() == 1)
    rest.mode = GroupMode::Single;
  out.push_back(std::move(rest));
}

} // namespace

int syscallNumber(const std::string &name) {
  static const std::unordered_map<std::string, uint32_t> table = [] {
    std::unordered_map<std::string, uint32_t> t;
    for (const auto &row : kHeaderSyscalls)
      t.emplace(row.name, row.nr);
    for (const auto &row : kExtraSyscalls)
      t.emplace(row.name, row.nr);
    return t;
  }();
  auto it = table.find(name);
  return it == table.end() ? -1 : static_cast<int>(it->second);
}

std::string groupSection(const ProgramGroup &group, const sema::ProbeSpec &first) {
  switch (group.mode) {
  case GroupMode::Single:
    return sectionFor(first);
  case GroupMode::Cookie:
    return "tracepoint";
  case GroupMode::Syscalls:
    return group.sys_exit ? "raw_tp/sys_exit" : "raw_tp/sys_enter";
  }
  return sectionFor(first);
}

std::vector<object::ProgramDesc> describeGroup(const ProgramGroup &group,
                                               const std::vector<sema::ProbeSpec> &probes,
                                               const std::string &function) {
  std::vector<object::ProgramDesc> descs;
  if (group.mode == GroupMode::Syscalls) {
    const sema::ProbeSpec &first = probes[group.specs.front()];
    object::ProgramDesc desc;
    desc.function = function;
    desc.type = object::ProbeType::RawTracepoint;
    desc.target = group.sys_exit ? "sys_exit" : "sys_enter";
    // Errors name what the user wrote, e.g. tracepoint:syscalls:sys_enter_*.
    desc.probe_name = "tracepoint:" + first.category + ":" +
                      (group.sys_exit ? "sys_exit_*" : "sys_enter_*");
    desc.attach_points = static_cast<uint32_t>(group.specs.size());
    descs.push_back(std::move(desc));
    return descs;
  }
  for (size_t k = 0; k < group.specs.size(); ++k) {
    object::ProgramDesc desc;
    desc.function = function;
    describeProgram(probes[group.specs[k]], desc); // probe_sections.cpp
    desc.has_cookie = group.mode == GroupMode::Cookie;
    desc.cookie = k;
    descs.push_back(std::move(desc));
  }
  return descs;
}

std::vector<ProgramGroup> groupProbes(const std::vector<sema::ProbeSpec> &probes) {
  std::vector<ProgramGroup> out;
  size_t i = 0;
  while (i < probes.size()) {
    const sema::ProbeSpec &spec = probes[i];
    if (spec.kind != ast::ProbeKind::Tracepoint) {
      out.push_back({GroupMode::Single, {i}, false, {}, false});
      ++i;
      continue;
    }
    // The run of tracepoints of this probe, split by record layout when args is read.
    bool uses_args = probeUsesArgs(spec.probe);
    std::map<std::string, std::vector<size_t>> by_layout;
    std::vector<std::string> order;
    size_t end = i;
    for (; end < probes.size() && probes[end].probe == spec.probe &&
           probes[end].kind == ast::ProbeKind::Tracepoint;
         ++end) {
      std::string key = uses_args ? layoutKey(probes[end]) : "";
      auto [it, inserted] = by_layout.try_emplace(key);
      if (inserted)
        order.push_back(key);
      it->second.push_back(end);
    }
    for (const auto &key : order)
      groupTracepoints(probes, by_layout[key], uses_args, out);
    i = end;
  }
  std::stable_sort(out.begin(), out.end(), [](const ProgramGroup &a, const ProgramGroup &b) {
    return a.specs.front() < b.specs.front();
  });
  return out;
}

} // namespace scry::codegen
