// The BPF stack each program of an object uses, read from its instructions: what
// `-d stack` reports against the kernel's 512-byte limit.
#pragma once

#include <string>
#include <vector>

#include "object/object.h"

namespace scry::runtime {

struct StackUsage {
  std::string probe_name;
  unsigned bytes = 0;
};

constexpr unsigned kBpfStackLimit = 512;

// One entry per program, in the object's order; empty when the ELF cannot be opened.
std::vector<StackUsage> stackUsage(const object::BpfObject &object);

} // namespace scry::runtime
