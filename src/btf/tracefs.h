// Access to tracefs for the type source: mounting it, reading format files and listing
// the events/ tree. The events/ layout is documented in Documentation/trace/events.rst.
#pragma once

#include <string>
#include <vector>

namespace scry::btf {

// Default tracefs mount point (Linux 4.1+; older kernels only had debugfs/tracing).
inline constexpr const char *kTracefsRoot = "/sys/kernel/tracing";

// Whether `name` can be a tracefs category or event directory name (non-empty, no '/',
// not "." or ".."), so that joining it into a path cannot leave events/.
bool isEventName(const std::string &name);

// Reads the whole file at `path`; returns false with `err` set to the errno otherwise.
bool readWholeFile(const std::string &path, std::string &out, int &err);

// Names of the subdirectories of `dir`, unsorted; empty when it cannot be listed.
std::vector<std::string> listSubdirs(const std::string &dir);

// Whether `path` exists and is a directory.
bool isDirectory(const std::string &path);

} // namespace scry::btf
