// Probe listing (-l): every probe matching a pattern, or the probes a program attaches
// to, one per line and sorted; with -v each probe's arguments follow, one per line with
// four spaces of indent and their C types ("    const char * filename"), as bpftrace
// prints them. `-lv 'struct NAME'` prints a kernel type from BTF instead.
#pragma once

#include <string>
#include <vector>

#include "btf/type_source.h"
#include "sema/sema.h"

namespace scry::driver {

// PATTERN: comma-separated globs "provider:rest" (provider aliases allowed, e.g.
// 't:sched:*'); a pattern without ':' is matched against whole names. Returns the exit
// status (1 when nothing matched or a named binary is unreadable).
int listProbes(const std::string &pattern, bool verbose);

// The probes an already-expanded program would attach to.
int listProgramProbes(const std::vector<sema::ProbeSpec> &probes, btf::TypeSource &types,
                      bool verbose);

} // namespace scry::driver
