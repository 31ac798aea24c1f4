// Integer typedefs every Linux kernel defines the same way on x86-64 (u32, pid_t,
// uint64_t, __be16, size_t, ...): tracepoint formats use them, and scripts may cast to
// them (`(uint64_t)x`, `let $p: pid_t`) without loading BTF.
#pragma once

#include <string_view>

namespace scry::support {

struct IntTypedef {
  unsigned bits;
  bool is_signed;
};

// The width and signedness of integer typedef `name`; false for any other name.
bool integerTypedef(std::string_view name, IntTypedef &out);

} // namespace scry::support
