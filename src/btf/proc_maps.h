// What a running process has mapped, for uprobes and USDT probes with -p PID (issue 4):
// its executable, the files mapped executable into it (/proc/PID/maps), and how to
// reach them from scry's mount namespace. As bpftrace does, paths of a process in
// another mount namespace (a container) are reached through /proc/PID/root.
#pragma once

#include <string>
#include <vector>

namespace scry::btf {

// "" when process `pid` shares scry's mount namespace, else "/proc/PID/root": the
// prefix that turns a path the process sees into one scry can open.
std::string pidRoot(int pid);

// The executable of process `pid` (/proc/PID/exe), as scry reaches it; "" when the
// process does not exist or cannot be read.
std::string pidExe(int pid);

// The files mapped executable into process `pid` (its binary and shared libraries), as
// scry reaches them, in the order of /proc/PID/maps without repeats. With `pid` <= 0,
// those of every running process (for uprobe:*:FUNC without -p), sorted.
std::vector<std::string> mappedFiles(int pid);

// The library `name` ("libc", "libc.so.6", "c") among the files process `pid` maps
// (libc -> /usr/lib/x86_64-linux-gnu/libc.so.6), as scry reaches it; "" when none.
std::string findMappedLibrary(int pid, const std::string &name);

} // namespace scry::btf
