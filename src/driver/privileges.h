// The privileges a run needs, checked before anything is loaded, so a missing one is
// one clear line naming it and the probe that needs it rather than a kernel error code
// (issue 7). From the kernel's checks (observed on 6.18):
//   every program and map                  CAP_BPF
//   every probe (tracing programs, BEGIN)   CAP_PERFMON
//   tracepoints (reading tracefs), non-root CAP_DAC_READ_SEARCH
//   uprobe, uretprobe, usdt                 CAP_SYS_ADMIN
// CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON, as the kernel allows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ast/ast.h"

namespace scry::driver {

// The effective capabilities of this process as a bit set (bit N: capability N), or
// none when they cannot be read.
std::optional<uint64_t> effectiveCapabilities();

// The first privilege `program` needs that a process with `caps` (and effective uid
// `euid`) lacks, as an error message; "" when it has them all. Pure.
std::string missingPrivilege(const ast::Program &program, uint64_t caps, unsigned euid);

} // namespace scry::driver
