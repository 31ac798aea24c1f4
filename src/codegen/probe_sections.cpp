// Probe family -> program type, section and attach metadata. See probe_sections.h.
// libbpf 1.1 picks the program type from the section prefix: raw_tp (BEGIN/END/self, run
// by BPF_PROG_TEST_RUN), tracepoint/, perf_event, tp_btf/ and fentry/ (the BTF target is
// resolved at load), raw_tp/, kprobe/, kretprobe/, uprobe, uretprobe, usdt.
#include "codegen/probe_sections.h"

namespace scry::codegen {

using ast::ProbeKind;
using object::ProbeType;

ProbeType probeTypeFor(const sema::ProbeSpec &spec) {
  switch (spec.kind) {
  case ProbeKind::Begin:
    return ProbeType::Begin;
  case ProbeKind::End:
    return ProbeType::End;
  case ProbeKind::Interval:
    return ProbeType::Interval;
  case ProbeKind::Tracepoint:
    return ProbeType::Tracepoint;
  case ProbeKind::RawTracepoint:
    return ProbeType::RawTracepoint;
  case ProbeKind::Profile:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
    return ProbeType::PerfEvent;
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
    return ProbeType::Kprobe;
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
    return ProbeType::Fentry;
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
    return ProbeType::Uprobe;
  case ProbeKind::Usdt:
    return ProbeType::Usdt;
  case ProbeKind::Self:
    return ProbeType::Signal;
  case ProbeKind::Watchpoint:
    return ProbeType::Watchpoint;
  case ProbeKind::Iter:
    return ProbeType::Iter;
  case ProbeKind::Unknown:
    break; // sema refuses it
  }
  return ProbeType::Begin;
}

std::string sectionFor(const sema::ProbeSpec &spec) {
  switch (probeTypeFor(spec)) {
  case ProbeType::Begin:
  case ProbeType::End:
  case ProbeType::Signal:
    return "raw_tp";
  case ProbeType::Interval:
  case ProbeType::PerfEvent:
  case ProbeType::Watchpoint:
    return "perf_event";
  case ProbeType::Iter:
    return "iter/" + spec.func; // libbpf resolves BTF's bpf_iter_<func> at load
  case ProbeType::UprobeMulti: // made by probe_groups.cpp, never from one spec
    return "uprobe";
  case ProbeType::KprobeMulti:
    return "kprobe.multi";
  case ProbeType::Tracepoint:
    return "tracepoint/" + spec.category + "/" + spec.event;
  case ProbeType::RawTracepoint:
    return (spec.raw_tp ? "raw_tp/" : "tp_btf/") + spec.func;
  case ProbeType::Kprobe:
    return (spec.is_return ? "kretprobe/" : "kprobe/") + spec.func;
  case ProbeType::Fentry:
    return (spec.is_return ? "fexit/" : "fentry/") + spec.func;
  case ProbeType::Uprobe:
    return spec.is_return ? "uretprobe" : "uprobe";
  case ProbeType::Usdt:
    return "usdt";
  }
  return "raw_tp";
}

bool runsInProcess(ProbeType type) {
  return type == ProbeType::Begin || type == ProbeType::End || type == ProbeType::Signal;
}

void describeProgram(const sema::ProbeSpec &spec, object::ProgramDesc &desc) {
  desc.type = probeTypeFor(spec);
  desc.probe_name = spec.name;
  desc.period_ns = spec.period_ns;
  desc.is_return = spec.is_return;
  desc.path = spec.path;
  desc.offset = spec.offset;
  desc.perf_type = spec.perf_type;
  desc.perf_config = spec.perf_config;
  desc.perf_period = spec.perf_period;
  desc.perf_freq = spec.perf_freq;
  desc.suggestion = spec.suggestion;
  switch (desc.type) {
  case ProbeType::Tracepoint:
    desc.target = spec.category + ":" + spec.event;
    break;
  case ProbeType::Usdt:
    desc.target = spec.category + ":" + spec.func;
    break;
  case ProbeType::RawTracepoint:
  case ProbeType::Kprobe:
  case ProbeType::Fentry:
  case ProbeType::Uprobe:
    desc.target = spec.func;
    break;
  case ProbeType::Iter:
    desc.target = spec.func; // desc.path: the pin, if any
    break;
  case ProbeType::Begin:
  case ProbeType::End:
  case ProbeType::Interval:
  case ProbeType::PerfEvent:
  case ProbeType::Signal:
  case ProbeType::UprobeMulti:
  case ProbeType::KprobeMulti:
  case ProbeType::Watchpoint:
    break;
  }
}

} // namespace scry::codegen
