// kfunc_allowed(): whether a program type may call a kernel kfunc. The kernel keeps
// that in its kfunc id sets, which BTF does not describe, so the verifier is asked: a
// tiny program of the type calls the kfunc, and the refusal "calling kernel function
// ... is not allowed" means no (any later complaint, about arguments or references,
// means the call itself was allowed).
#pragma once

#include <string>

#include "btf/btf_types.h"

namespace scry::btf {

// The program types scry's probes are emitted as.
enum class KfuncProgType {
  Tracepoint,    // tracepoint
  PerfEvent,     // profile, interval, software, hardware, watchpoint
  Kprobe,        // kprobe, uprobe, usdt
  RawTracepoint, // BEGIN, END, self, raw_tp
  Tracing,       // fentry, fexit, tp_btf, iter
};

// Sets `allowed` for kfunc `name` in programs of `type`; false with `error` set when
// the kernel cannot be asked (no BTF, no such kfunc, the bpf() syscall refused).
bool probeKfuncAllowed(BtfTypes &btf, const std::string &name, KfuncProgType type,
                       bool &allowed, std::string &error);

} // namespace scry::btf
