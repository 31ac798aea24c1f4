// -f folded (issue 5): maps keyed by stacks printed in the "folded" form Brendan
// Gregg's flamegraph.pl reads, one line per key:
//
//   @[kstack] = count()        ->  root_fn;caller;leaf_fn 42
//   @[comm, ustack, kstack]    ->  bash;main;readline;__libc_read;ksys_read;vfs_read 3
//
// Frames are symbol names without offsets, root first; the key's other parts come
// first, in order, then its user stacks, then its kernel stacks, so a sample reads
// from the process down into the kernel. An empty stack is "[unknown]". Only maps whose
// value is one integer (count, sum, min, max, avg, an integer) are folded; others
// print as text. bpftrace has no such output; this is scry's. Pure.
#pragma once

#include <string>
#include <vector>

#include "runtime/map_format.h"

namespace scry::runtime {

// The map has a stack in its key and an integer value.
bool isFoldable(const object::MapDesc &desc);
// The folded lines of `entries`, in their order.
std::string foldedMap(const std::vector<MapEntry> &entries);

} // namespace scry::runtime
