// cgroupId(): name_to_handle_at(2) on a cgroup2 directory gives an 8-byte handle that
// is the kernfs node id (kernel 5.5+: the same id bpf_get_current_cgroup_id() reads).
#include "support/cgroup.h"

#include <fcntl.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstring>

namespace scry::support {

namespace {

constexpr long kCgroup2Magic = 0x63677270; // CGROUP2_SUPER_MAGIC (linux/magic.h)

// struct file_handle with room for the handle, without a flexible array member.
struct CgroupHandle {
  unsigned int handle_bytes = 64;
  int handle_type = 0;
  unsigned char bytes[64] = {};
};

} // namespace

bool cgroupId(const std::string &path, uint64_t &id, std::string &error) {
  struct statfs fs = {};
  if (statfs(path.c_str(), &fs) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (fs.f_type != kCgroup2Magic) {
    error = "not a directory of a cgroup v2 (cgroup2) filesystem";
    return false;
  }
  CgroupHandle handle;
  int mount_id = 0;
  if (name_to_handle_at(AT_FDCWD, path.c_str(), reinterpret_cast<file_handle *>(&handle),
                        &mount_id, 0) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (handle.handle_bytes != sizeof(id)) {
    error = "unexpected file handle of " + std::to_string(handle.handle_bytes) + " bytes";
    return false;
  }
  std::memcpy(&id, handle.bytes, sizeof(id));
  return true;
}

} // namespace scry::support
