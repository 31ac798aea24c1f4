// The running kernel's version, for features that depend on it (uprobe_multi 6.6,
// BPF cookies on raw tracepoints 6.10). Read once, from uname(2).
#pragma once

#include <sys/utsname.h>

#include <cstdio>

namespace scry::support {

// Whether the running kernel is at least MAJOR.MINOR; false when uname cannot tell.
inline bool kernelAtLeast(int major, int minor) {
  static const int version = [] {
    utsname u{};
    int maj = 0, min = 0;
    if (uname(&u) != 0 || std::sscanf(u.release, "%d.%d", &maj, &min) != 2)
      return 0;
    return maj * 1000 + min;
  }();
  return version >= major * 1000 + minor;
}

} // namespace scry::support
