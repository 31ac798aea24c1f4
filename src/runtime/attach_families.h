// Attaching the probe families beyond tracepoint and interval: raw tracepoints, perf
// events (profile/software/hardware), kprobes, fentry/fexit, uprobes and USDT. Private to
// src/runtime; Attachments::attach (attach.cpp) dispatches here by ProbeType. Each
// function appends the links it made (a perf event per CPU makes several) and returns
// true, or returns false with `error` saying why in the kernel's or the machine's terms.
#pragma once

#include <string>
#include <vector>

#include "object/object.h"
#include "runtime/attach.h"

namespace scry::runtime {

struct AttachError {
  std::string reason; // "No such file or directory", or a sentence naming the cause
  std::string hint;   // what to do instead, or ""
};

// attach_kernel.cpp
bool attachRawTracepoint(bpf_program *prog, const object::ProgramDesc &desc,
                         std::vector<BpfLinkPtr> &links, AttachError &error);
bool attachPerfEvent(bpf_program *prog, const object::ProgramDesc &desc,
                     std::vector<BpfLinkPtr> &links, AttachError &error);
bool attachKprobe(bpf_program *prog, const object::ProgramDesc &desc,
                  std::vector<BpfLinkPtr> &links, AttachError &error);
bool attachFentry(bpf_program *prog, const object::ProgramDesc &desc,
                  std::vector<BpfLinkPtr> &links, AttachError &error);
// Whether the kernel can attach kprobes at all: a kprobe PMU or tracefs kprobe_events
// (both absent when CONFIG_KPROBES is off, as on the 6.18 Firecracker kernel here).
bool kernelHasKprobes();

// attach_user.cpp; `pid` -1 means every process.
bool attachUprobe(bpf_program *prog, const object::ProgramDesc &desc, int pid,
                  std::vector<BpfLinkPtr> &links, AttachError &error);
bool attachUsdt(bpf_program *prog, const object::ProgramDesc &desc, int pid,
                std::vector<BpfLinkPtr> &links, AttachError &error);

} // namespace scry::runtime
