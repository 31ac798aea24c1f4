// Grouping attach points into shared programs. See probe_groups.h.
#include "codegen/probe_groups.h"

#include "codegen/body_classes.h"
#include "codegen/probe_sections.h"
#include "sema/kfuncs.h"
#include "sema/probe_builtins.h"

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

bool probeUsesArgs(const ast::Probe *probe) { return sema::probeReadsArgs(*probe); }

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

// `indices` split by how many times their key was seen before: the first of each key,
// then the second ones, and so on (a probe class may name one target twice).
template <class Key>
std::vector<std::vector<size_t>> byOccurrence(const std::vector<size_t> &indices, Key key) {
  std::vector<std::vector<size_t>> layers;
  std::map<std::string, size_t> seen;
  for (size_t i : indices) {
    size_t n = seen[key(i)]++;
    if (n == layers.size())
      layers.emplace_back();
    layers[n].push_back(i);
  }
  return layers;
}

// Splits the tracepoints of one probe (indices `members`, one layout) into groups.
void groupTracepoints(const std::vector<sema::ProbeSpec> &probes,
                      const std::vector<size_t> &members, bool uses_args,
                      std::vector<ProgramGroup> &out) {
  // A raw_tp program may not call kfuncs (sema/kfuncs.h): no syscall group then.
  bool calls_kfuncs = sema::probeCallsKfuncs(*probes[members.front()].probe);
  ProgramGroup rest{GroupMode::Cookie, {}, false, {}, uses_args};
  ProgramGroup sys[2] = {{GroupMode::Syscalls, {}, false, {}, uses_args},
                         {GroupMode::Syscalls, {}, true, {}, uses_args}};
  for (size_t i : members) {
    bool is_exit = false;
    int nr = syscallOf(probes[i], is_exit);
    // A syscall traced twice (two probes of one class, body_classes.h) keeps its
    // second attach point out: the table names one attach point per syscall.
    auto &nrs = sys[is_exit].nrs;
    if (nr < 0 || static_cast<uint32_t>(nr) >= kMaxSyscallNr || calls_kfuncs ||
        std::find(nrs.begin(), nrs.end(), static_cast<uint32_t>(nr)) != nrs.end()) {
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
  // Those that can attach as raw tracepoints share a raw_tp program (issue 4).
  ProgramGroup raw{GroupMode::RawCookie, {}, false, {}, uses_args};
  ProgramGroup perf = rest;
  perf.specs.clear();
  for (size_t i : rest.specs)
    (probes[i].raw_attach ? raw : perf).specs.push_back(i);
  if (!raw.specs.empty())
    out.push_back(std::move(raw));
  // The kernel attaches a program once per perf-event tracepoint (EEXIST): a tracepoint
  // named by two probes of one class goes to another copy of the program.
  for (auto &layer : byOccurrence(perf.specs, [&](size_t i) {
         return probes[i].category + ":" + probes[i].event;
       })) {
    ProgramGroup group = perf;
    group.specs = std::move(layer);
    if (group.specs.size() == 1)
      group.mode = GroupMode::Single;
    out.push_back(std::move(group));
  }
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

std::string syscallName(uint32_t nr) {
  for (const auto &row : kHeaderSyscalls) // the macro's name, not the tracepoint's
    if (row.nr == nr)
      return row.name;
  for (const auto &row : kExtraSyscalls)
    if (row.nr == nr)
      return row.name;
  return "";
}

std::string groupSection(const ProgramGroup &group, const sema::ProbeSpec &first) {
  switch (group.mode) {
  case GroupMode::Single:
    return sectionFor(first);
  case GroupMode::Cookie:
    return "tracepoint";
  case GroupMode::RawCookie:
    return "raw_tp"; // each link names its tracepoint
  case GroupMode::Syscalls:
    return group.sys_exit ? "raw_tp/sys_exit" : "raw_tp/sys_enter";
  case GroupMode::UprobeMulti:
    return first.is_return ? "uretprobe" : "uprobe";
  case GroupMode::KprobeMulti:
    return first.is_return ? "kretprobe.multi" : "kprobe.multi";
  }
  return sectionFor(first);
}

std::vector<object::ProgramDesc> describeGroup(const ProgramGroup &group,
                                               const std::vector<sema::ProbeSpec> &probes,
                                               const std::string &function) {
  std::vector<object::ProgramDesc> descs;
  if (group.mode == GroupMode::UprobeMulti || group.mode == GroupMode::KprobeMulti) {
    const sema::ProbeSpec &first = probes[group.specs.front()];
    object::ProgramDesc desc;
    desc.function = function;
    desc.type = group.mode == GroupMode::UprobeMulti ? object::ProbeType::UprobeMulti
                                                     : object::ProbeType::KprobeMulti;
    desc.probe_name = first.attach_point->text; // what the user wrote, for errors
    desc.is_return = first.is_return;
    desc.suggestion = first.suggestion;
    desc.attach_points = static_cast<uint32_t>(group.specs.size());
    for (size_t k = 0; k < group.specs.size(); ++k) {
      const sema::ProbeSpec &spec = probes[group.specs[k]];
      desc.multi.push_back({spec.path, spec.offset, spec.func, k});
    }
    descs.push_back(std::move(desc));
    return descs;
  }
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
    if (group.mode == GroupMode::RawCookie) {
      desc.type = object::ProbeType::RawTracepoint;
      desc.target = probes[group.specs[k]].event;
    }
    desc.has_cookie = group.mode == GroupMode::Cookie || group.mode == GroupMode::RawCookie;
    desc.cookie = k;
    descs.push_back(std::move(desc));
  }
  return descs;
}

namespace {

// Splits a run of one body's kprobes or uprobes (indices `run`) into multi-link groups,
// by args layout when the body reads `args`; groups of one stay Single.
void groupMulti(const std::vector<sema::ProbeSpec> &probes, const std::vector<size_t> &run,
                GroupMode mode, std::vector<ProgramGroup> &out) {
  bool uses_args = probeUsesArgs(probes[run.front()].probe);
  // A target named twice (by two probes of one class) goes to a link of its own.
  for (const auto &layer : byOccurrence(run, [&](size_t k) {
         return probes[k].path + "\n" + probes[k].func + "\n" + std::to_string(probes[k].offset);
       })) {
    std::map<std::string, std::vector<size_t>> by_layout;
    std::vector<std::string> order;
    for (size_t k : layer) {
      std::string key = uses_args ? layoutKey(probes[k]) : "";
      auto [it, inserted] = by_layout.try_emplace(key);
      if (inserted)
        order.push_back(key);
      it->second.push_back(k);
    }
    for (const auto &key : order) {
      const auto &members = by_layout[key];
      out.push_back(
          {members.size() > 1 ? mode : GroupMode::Single, members, false, {}, uses_args});
    }
  }
}

// Whether probes[i] can share a multi-link with the probe's other kprobes or uprobes:
// uprobe_multi takes offsets, kprobe_multi only function entries and returns.
GroupMode multiMode(const sema::ProbeSpec &spec) {
  if (spec.kind == ast::ProbeKind::Uprobe || spec.kind == ast::ProbeKind::Uretprobe)
    return GroupMode::UprobeMulti;
  if ((spec.kind == ast::ProbeKind::Kprobe || spec.kind == ast::ProbeKind::Kretprobe) &&
      spec.offset == 0)
    return GroupMode::KprobeMulti;
  return GroupMode::Single;
}

// Groups the attach points `members` (in source order) that run one body.
void groupBody(const std::vector<sema::ProbeSpec> &probes, const std::vector<size_t> &members,
               std::vector<ProgramGroup> &out) {
  size_t i = 0;
  while (i < members.size()) {
    const sema::ProbeSpec &spec = probes[members[i]];
    std::vector<size_t> run{members[i]};
    size_t end = i + 1;
    if (GroupMode mode = multiMode(spec); mode != GroupMode::Single) {
      for (; end < members.size() && probes[members[end]].kind == spec.kind &&
             multiMode(probes[members[end]]) == mode;
           ++end)
        run.push_back(members[end]);
      groupMulti(probes, run, mode, out);
      i = end;
      continue;
    }
    if (spec.kind != ast::ProbeKind::Tracepoint) {
      out.push_back({GroupMode::Single, run, false, {}, false});
      ++i;
      continue;
    }
    // The run of tracepoints, split by record layout when args is read.
    bool uses_args = probeUsesArgs(spec.probe);
    std::map<std::string, std::vector<size_t>> by_layout;
    std::vector<std::string> order;
    for (end = i; end < members.size() && probes[members[end]].kind == ast::ProbeKind::Tracepoint;
         ++end) {
      std::string key = uses_args ? layoutKey(probes[members[end]]) : "";
      auto [it, inserted] = by_layout.try_emplace(key);
      if (inserted)
        order.push_back(key);
      it->second.push_back(members[end]);
    }
    for (const auto &key : order)
      groupTracepoints(probes, by_layout[key], uses_args, out);
    i = end;
  }
}

} // namespace

std::vector<ProgramGroup> groupProbes(const std::vector<sema::ProbeSpec> &probes,
                                      const BodyClasses *bodies) {
  // The attach points of each body, in source order; a body is a probe's, or its
  // class's when probes differ only in literals (body_classes.h).
  std::vector<const ast::Probe *> order;
  std::unordered_map<const ast::Probe *, std::vector<size_t>> members;
  for (size_t i = 0; i < probes.size(); ++i) {
    const ast::Probe *body = bodies ? bodies->classOf(probes[i].probe) : probes[i].probe;
    auto [it, inserted] = members.try_emplace(body);
    if (inserted)
      order.push_back(body);
    it->second.push_back(i);
  }
  std::vector<ProgramGroup> out;
  for (const ast::Probe *body : order)
    groupBody(probes, members[body], out);
  std::stable_sort(out.begin(), out.end(), [](const ProgramGroup &a, const ProgramGroup &b) {
    return a.specs.front() < b.specs.front();
  });
  return out;
}

} // namespace scry::codegen
