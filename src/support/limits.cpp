// Resource limits; see limits.h.
#include "support/limits.h"

#include <sys/resource.h>

namespace scry::support {

namespace {

std::string limitText(rlim_t value) {
  return value == RLIM_INFINITY ? "unlimited" : std::to_string(value);
}

} // namespace

void raiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
    return;
  limit.rlim_cur = limit.rlim_max;
  // An unlimited hard limit is refused (fs.nr_open caps it): then stay where we are.
  setrlimit(RLIMIT_NOFILE, &limit);
}

std::string fileLimitText() {
  rlimit limit{};
  std::string now;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0)
    now = " (RLIMIT_NOFILE is " + limitText(limit.rlim_cur) + ", hard limit " +
          limitText(limit.rlim_max) + ")";
  return "out of file descriptors" + now +
         ": scry needs one per map, program and attached probe; raise the limit with "
         "`ulimit -n`";
}

} // namespace scry::support
