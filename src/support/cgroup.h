// cgroup v2 ids, for cgroupid("/sys/fs/cgroup/...") in scripts: the id is the
// directory's kernfs node id, which the kernel hands out as its file handle (and
// which bpf_get_current_cgroup_id() returns for the tasks inside it).
#pragma once

#include <cstdint>
#include <string>

namespace scry::support {

// The cgroup id of directory `path` in a cgroup v2 filesystem. Returns false with
// `error` set when the path does not exist or is not in a cgroup2 mount.
bool cgroupId(const std::string &path, uint64_t &id, std::string &error);

} // namespace scry::support
