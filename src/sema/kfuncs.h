// Which probes call kernel kfuncs (comm(pid)); see checker_kfuncs.cpp. The kernel
// refuses kfunc calls in raw_tp programs, so attach-point expansion and codegen keep
// such tracepoint probes out of the shared raw_tp programs (raw_attach, the syscall
// group of codegen/probe_groups.h).
#pragma once

#include "ast/ast.h"

namespace scry::sema {

// Whether `probe`'s predicate or body calls a function built on a kfunc.
bool probeCallsKfuncs(const ast::Probe &probe);

} // namespace scry::sema
