// tracefs access: the mount on first use (Debian 12 with Linux 6.18 does not mount it at
// boot), format file reads with exact errno, and directory listings of events/.
#include "btf/tracefs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "btf/type_source.h"
#include "support/unique_fd.h"

namespace scry::btf {

bool isEventName(const std::string &name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

bool readWholeFile(const std::string &path, std::string &out, int &err) {
  support::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    err = errno;
    return false;
  }
  out.clear();
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = errno;
      return false;
    }
    if (n == 0)
      return true;
    out.append(buf, static_cast<size_t>(n));
  }
}

bool isDirectory(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> listSubdirs(const std::string &dir) {
  std::vector<std::string> out;
  DIR *d = ::opendir(dir.c_str());
  if (d == nullptr)
    return out;
  while (const dirent *ent = ::readdir(d)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..")
      continue;
    bool is_dir =
        ent->d_type == DT_DIR || (ent->d_type == DT_UNKNOWN && isDirectory(dir + "/" + name));
    if (is_dir)
      out.push_back(std::move(name));
  }
  ::closedir(d);
  return out;
}

namespace {

// What to tell the user after `what` failed with `err`.
std::string remedy(int err) {
  switch (err) {
  case EPERM:
  case EACCES:
    return " (scry needs root)";
  case ENODEV:
    return " (the kernel has no tracefs: CONFIG_TRACING is off)";
  default:
    return " (try: mount -t tracefs nodev /sys/kernel/tracing)";
  }
}

} // namespace

std::string ensureTracefs(std::string &error) {
  const std::string root = kTracefsRoot;
  const std::string events = root + "/events";
  struct stat st;
  if (::stat(events.c_str(), &st) == 0)
    return root;
  if (errno != ENOENT) {
    int err = errno;
    error = "cannot access " + events + ": " + std::strerror(err) + remedy(err);
    return "";
  }
  if (::mount("nodev", root.c_str(), "tracefs", 0, nullptr) != 0) {
    int err = errno;
    // EBUSY: someone else mounted it meanwhile.
    if (err != EBUSY || ::stat(events.c_str(), &st) != 0) {
      error = "cannot mount tracefs at " + root + ": " + std::strerror(err) + remedy(err);
      return "";
    }
  }
  if (::stat(events.c_str(), &st) != 0) {
    int err = errno;
    error = "tracefs mounted at " + root + " but " + events + " is missing: " + std::strerror(err);
    return "";
  }
  return root;
}

} // namespace scry::btf
