// Attaching the probe families beyond tracepoint and interval: raw tracepoints, perf
// events (profile/software/hardware), kprobes, fentry/fexit, uprobes and USDT, the
// multi-links, watchpoints and iterators. Private to src/runtime; Attachments::attach
// (attach.cpp) dispatches here by ProbeType. Each function adds the links it made (a
// perf event per CPU makes several) to `links` and returns true, or returns false with
// `error` saying why in the kernel's or the machine's terms.
#pragma once

#include <linux/perf_event.h>

#include <string>
#include <vector>

#include "object/object.h"
#include "runtime/attach.h"

struct bpf_object;

namespace scry::runtime {

struct AttachError {
  std::string reason; // "No such file or directory", or a sentence naming the cause
  std::string hint;   // what to do instead, or ""
};

// attach_kernel.cpp
bool attachRawTracepoint(bpf_program *prog, const object::ProgramDesc &desc, LinkSet &links,
                         AttachError &error);
bool attachPerfEvent(bpf_program *prog, const object::ProgramDesc &desc, LinkSet &links,
                     AttachError &error);
bool attachKprobe(bpf_program *prog, const object::ProgramDesc &desc, LinkSet &links,
                  AttachError &error);
bool attachFentry(bpf_program *prog, const object::ProgramDesc &desc, LinkSet &links,
                  AttachError &error);
// Whether the kernel can attach kprobes at all: a kprobe PMU or tracefs kprobe_events
// (both absent when CONFIG_KPROBES is off, as on the 6.18 Firecracker kernel here).
bool kernelHasKprobes();
// CPUs listed in /sys/devices/system/cpu/online ("0-1,4"); {0} when unreadable.
std::vector<int> onlineCpus();
// Attaches `prog` to the perf event `attr` describes, on `pid` (-1: every process) and
// `cpu` (-1: any); false with `error` set (the reason names perf_event_open or the attach).
bool attachPerfEventOn(bpf_program *prog, perf_event_attr &attr, int pid, int cpu,
                       LinkSet &links, AttachError &error);

// attach_user.cpp; `pid` -1 means every process.
bool attachUprobe(bpf_program *prog, const object::ProgramDesc &desc, int pid, LinkSet &links,
                  AttachError &error);
bool attachUsdt(bpf_program *prog, const object::ProgramDesc &desc, int pid, LinkSet &links,
                AttachError &error);

// attach_multi.cpp: uprobe_multi links made with bpf(BPF_LINK_CREATE) (kernel 6.6+;
// libbpf 1.1 has no API), or a uprobe per target with its cookie on older kernels;
// kprobe_multi through libbpf.
bool attachUprobeMulti(bpf_program *prog, const object::ProgramDesc &desc, int pid,
                       LinkSet &links, AttachError &error);
bool attachKprobeMulti(bpf_program *prog, const object::ProgramDesc &desc, LinkSet &links,
                       AttachError &error);
// Whether this kernel has uprobe_multi links (6.6+). The loader sets the program's
// expected attach type from it, before loading.
bool kernelHasUprobeMulti();
// Before loading: gives each UprobeMulti program the expected attach type that
// uprobe_multi links need, when the kernel has them (loader.cpp calls it).
void setMultiAttachTypes(bpf_object *bpf, const object::BpfObject &object);

// attach_watch.cpp
bool attachWatchpoint(bpf_program *prog, const object::ProgramDesc &desc, int pid,
                      LinkSet &links, AttachError &error);

// attach_iter.cpp
bool attachIter(bpf_program *prog, const object::ProgramDesc &desc, LinkSet &links,
                AttachError &error);

} // namespace scry::runtime
