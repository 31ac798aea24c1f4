// Text for the values user space resolves when it prints them (object::ValueKind
// Username, Timestamp, CgroupPath): a uid's user name, a timestamp through a strftime
// format, a cgroup id's paths. The pure parts take their inputs (the passwd text, the
// boot time, the hierarchy roots) so tests need nothing from the machine.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace scry::runtime {

// The texts of Username, Timestamp and CgroupPath values, resolved on this machine:
// the user named in /etc/passwd (read once; the number when it names none, as ls -l
// shows an unknown owner); the time through `format`, boot-clock times made wall-clock
// with the boot time (read once); the cgroup's paths in the hierarchies of
// /proc/mounts (found paths are remembered, and checked before being reused).
std::string usernameText(uint64_t uid);
std::string timestampText(const std::string &format, uint64_t ns, bool boot_clock);
std::string cgroupPathText(uint64_t id, const std::string &filter);

// The name of `uid` in passwd-format `passwd`, or "" when it has none.
std::string userName(std::string_view passwd, uint64_t uid);

// strftime(3) of `ns` nanoseconds after `base` (the boot time as a wall-clock time for
// boot-clock timestamps, or the epoch), in local time unless `utc`. bpftrace's
// extensions are replaced first: %f microseconds (6 digits), %k nanoseconds (9), %l
// milliseconds (3) within the second. "(?)" when the result would be empty or too long.
std::string formatTimestamp(const std::string &format, uint64_t ns, timespec base, bool utc);

// The wall-clock time at which the boot clock read zero: CLOCK_REALTIME minus
// CLOCK_BOOTTIME, read back to back (the pair with the narrowest gap of a few tries).
timespec bootTime();

// A mounted cgroup hierarchy: its name ("unified" for cgroup2, else the mount
// directory's name, e.g. "cpu,cpuacct") and where it is mounted.
struct CgroupRoot {
  std::string name;
  std::string path;
};

// The cgroup hierarchies of /proc/mounts-format `mounts`: cgroup2 first, then cgroup
// v1 ones sorted by name.
std::vector<CgroupRoot> cgroupRoots(std::string_view mounts);

// bpftrace's cgroup_path() text: "name:path" for every root whose name matches the glob
// `filter` and under which a directory has inode `id`, joined by ","; the root itself is
// "/". Directories are walked; "" when no hierarchy has the id.
std::string cgroupPaths(uint64_t id, const std::string &filter,
                        const std::vector<CgroupRoot> &roots);

} // namespace scry::runtime
