// Reading /proc/PID/{maps,exe,root,ns/mnt}. See proc_maps.h.
#include "btf/proc_maps.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace scry::btf {

namespace {

std::string procPath(int pid, const char *what) {
  return "/proc/" + std::to_string(pid) + "/" + what;
}

// The executable, file-backed mappings of one process, as it names them.
std::vector<std::string> executableMappings(int pid) {
  std::ifstream maps(procPath(pid, "maps"));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(maps, line)) {
    // address perms offset dev inode pathname
    std::istringstream fields(line);
    std::string range, perms, offset, dev, inode, path;
    fields >> range >> perms >> offset >> dev >> inode;
    std::getline(fields >> std::ws, path);
    if (perms.size() < 3 || perms[2] != 'x' || path.empty() || path[0] != '/')
      continue;
    if (path.size() > 10 && path.compare(path.size() - 10, 10, " (deleted)") == 0)
      continue; // replaced on disk since: nothing to read symbols from
    if (std::find(out.begin(), out.end(), path) == out.end())
      out.push_back(path);
  }
  return out;
}

std::string baseName(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "libc" matches libc.so.6 and libc-2.31.so; "libc.so.6" only itself; "c" as "libc".
bool libraryMatches(const std::string &file, std::string name) {
  if (file == name)
    return true;
  if (name.rfind("lib", 0) != 0)
    name = "lib" + name;
  return file.rfind(name + ".so", 0) == 0 || file.rfind(name + "-", 0) == 0 || file == name;
}

} // namespace

std::string pidRoot(int pid) {
  struct stat self {}, other {};
  if (stat("/proc/self/ns/mnt", &self) == 0 && stat(procPath(pid, "ns/mnt").c_str(), &other) == 0 &&
      self.st_ino == other.st_ino && self.st_dev == other.st_dev)
    return "";
  return procPath(pid, "root");
}

std::string pidExe(int pid) {
  char buf[4096];
  ssize_t n = readlink(procPath(pid, "exe").c_str(), buf, sizeof(buf) - 1);
  if (n <= 0)
    return "";
  std::string exe(buf, static_cast<size_t>(n));
  if (exe.size() > 10 && exe.compare(exe.size() - 10, 10, " (deleted)") == 0)
    return procPath(pid, "exe"); // still readable through the link
  return pidRoot(pid) + exe;
}

std::vector<std::string> mappedFiles(int pid) {
  if (pid > 0) {
    std::string root = pidRoot(pid);
    std::vector<std::string> out;
    for (const auto &path : executableMappings(pid))
      out.push_back(root + path);
    return out;
  }
  std::set<std::string> all;
  if (DIR *dir = opendir("/proc")) {
    while (dirent *entry = readdir(dir)) {
      if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0])))
        continue;
      int p = std::atoi(entry->d_name);
      std::string root = pidRoot(p);
      for (const auto &path : executableMappings(p))
        all.insert(root + path);
    }
    closedir(dir);
  }
  return {all.begin(), all.end()};
}

std::string findMappedLibrary(int pid, const std::string &name) {
  for (const auto &path : mappedFiles(pid))
    if (libraryMatches(baseName(path), name))
      return path;
  return "";
}

} // namespace scry::btf
