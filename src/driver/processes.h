// -p PID and -c CMD, checked before anything is compiled so that a bad one is one clear
// line (issue 7): a PID that does not exist, a command that cannot be split, found or
// executed. The child itself is started by runtime/child.h once the object is built.
#pragma once

#include <string>
#include <vector>

namespace scry::driver {

// Prints an ERROR line and returns false when process `pid` does not exist.
bool checkPid(int pid);

struct Command {
  std::string path;              // the executable, found as execvp would find it
  std::vector<std::string> argv; // split like a shell does (support/shell_words.h)
};

// Prints an ERROR line and returns false when `line` cannot be run.
bool prepareCommand(const std::string &line, Command &command);

// dw_ustack (issue 5): the files a command will map before it runs any code of its own
// — the executable, its dynamic linker and the libraries it names (DT_NEEDED, found in
// ld.so.cache) — so that their unwind tables are loaded before it starts.
std::vector<std::string> commandFiles(const std::string &path);

} // namespace scry::driver
