// User-space resolution of username, strftime() and cgroup_path() values (resolve.h).
#include "runtime/resolve.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

#include "support/strings.h"

namespace scry::runtime {

namespace {

constexpr uint64_t kNsPerSec = 1000000000ULL;

std::string digits(uint64_t v, int width) {
  std::string s = std::to_string(v);
  return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
}

// Replaces %f, %k and %l; keeps %% (so "%%f" stays a literal "%f") and the rest.
std::string expandExtensions(const std::string &format, uint64_t ns_in_second) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    char c = format[++i];
    if (c == 'f')
      out += digits(ns_in_second / 1000, 6);
    else if (c == 'k')
      out += digits(ns_in_second, 9);
    else if (c == 'l')
      out += digits(ns_in_second / 1000000, 3);
    else
      out += std::string("%") + c;
  }
  return out;
}

bool sameInode(const std::string &path, uint64_t id) {
  struct stat st = {};
  return ::stat(path.c_str(), &st) == 0 && st.st_ino == id;
}

// The path of the directory with inode `id` under `root`, relative to it ("/" for the
// root), or "". Found paths are remembered, and checked again before being reused.
std::string findCgroup(uint64_t id, const std::string &root) {
  static std::mutex mutex;
  static std::map<std::pair<uint64_t, std::string>, std::string> found;
  std::lock_guard lock(mutex);
  auto key = std::make_pair(id, root);
  if (auto it = found.find(key); it != found.end() && sameInode(root + it->second, id))
    return it->second;
  if (sameInode(root, id))
    return found[key] = "/";
  namespace fs = std::filesystem;
  std::error_code ec;
  auto options = fs::directory_options::skip_permission_denied;
  for (fs::recursive_directory_iterator it(root, options, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_directory(ec) || it->is_symlink(ec))
      continue;
    if (sameInode(it->path().string(), id))
      return found[key] = it->path().string().substr(root.size());
  }
  return "";
}

const std::string &passwdText() {
  static const std::string text = [] {
    std::string s;
    support::readFile("/etc/passwd", s);
    return s;
  }();
  return text;
}

} // namespace

std::string userName(std::string_view passwd, uint64_t uid) {
  std::string wanted = std::to_string(uid);
  for (const auto &line : support::split(std::string(passwd), '\n')) {
    auto fields = support::split(line, ':');
    if (fields.size() >= 3 && fields[2] == wanted)
      return fields[0];
  }
  return "";
}

std::string formatTimestamp(const std::string &format, uint64_t ns, timespec base, bool utc) {
  uint64_t total = static_cast<uint64_t>(base.tv_nsec) + ns;
  time_t seconds = base.tv_sec + static_cast<time_t>(total / kNsPerSec);
  struct tm tm = {};
  if (!(utc ? gmtime_r(&seconds, &tm) : localtime_r(&seconds, &tm)))
    return "(?)";
  std::string expanded = expandExtensions(format, total % kNsPerSec);
  char text[1024];
  size_t n = strftime(text, sizeof text, expanded.c_str(), &tm);
  return n == 0 ? "(?)" : std::string(text, n);
}

timespec bootTime() {
  timespec best = {};
  int64_t best_gap = INT64_MAX;
  for (int i = 0; i < 5; ++i) {
    timespec before = {}, boot = {}, after = {};
    clock_gettime(CLOCK_REALTIME, &before);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    clock_gettime(CLOCK_REALTIME, &after);
    int64_t b = before.tv_sec * static_cast<int64_t>(kNsPerSec) + before.tv_nsec;
    int64_t a = after.tv_sec * static_cast<int64_t>(kNsPerSec) + after.tv_nsec;
    if (a - b >= best_gap)
      continue;
    best_gap = a - b;
    int64_t base = b + (a - b) / 2 - (boot.tv_sec * static_cast<int64_t>(kNsPerSec) + boot.tv_nsec);
    best.tv_sec = static_cast<time_t>(base / static_cast<int64_t>(kNsPerSec));
    best.tv_nsec = static_cast<long>(base % static_cast<int64_t>(kNsPerSec));
  }
  return best;
}

std::vector<CgroupRoot> cgroupRoots(std::string_view mounts) {
  std::vector<CgroupRoot> v2, v1;
  for (const auto &line : support::split(std::string(mounts), '\n')) {
    auto fields = support::split(line, ' ');
    if (fields.size() < 3)
      continue;
    if (fields[2] == "cgroup2")
      v2.push_back({"unified", fields[1]});
    else if (fields[2] == "cgroup")
      v1.push_back({std::filesystem::path(fields[1]).filename().string(), fields[1]});
  }
  std::sort(v1.begin(), v1.end(),
            [](const CgroupRoot &a, const CgroupRoot &b) { return a.name < b.name; });
  v2.insert(v2.end(), v1.begin(), v1.end());
  return v2;
}

std::string cgroupPaths(uint64_t id, const std::string &filter,
                        const std::vector<CgroupRoot> &roots) {
  std::string out;
  for (const CgroupRoot &root : roots) {
    if (!support::globMatch(filter, root.name))
      continue;
    std::string path = findCgroup(id, root.path);
    if (!path.empty())
      out += (out.empty() ? "" : ",") + root.name + ":" + path;
  }
  return out;
}

std::string usernameText(uint64_t uid) {
  std::string name = userName(passwdText(), uid);
  return name.empty() ? std::to_string(uid) : name; // as ls -l shows an unknown owner
}

std::string timestampText(const std::string &format, uint64_t ns, bool boot_clock) {
  static const timespec boot = bootTime();
  return formatTimestamp(format, ns, boot_clock ? boot : timespec{}, false);
}

std::string cgroupPathText(uint64_t id, const std::string &filter) {
  std::string mounts;
  support::readFile("/proc/mounts", mounts);
  return cgroupPaths(id, filter, cgroupRoots(mounts));
}

} // namespace scry::runtime
