// Checks of -p and -c. See processes.h.
#include "driver/processes.h"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "runtime/child.h"
#include "support/shell_words.h"

namespace scry::driver {

bool checkPid(int pid) {
  if (kill(pid, 0) == 0 || errno == EPERM)
    return true;
  std::cerr << "ERROR: -p " << pid << ": no such process\n";
  return false;
}

bool prepareCommand(const std::string &line, Command &command) {
  std::string error;
  if (!support::splitShellWords(line, command.argv, error)) {
    std::cerr << "ERROR: -c: " << error << "\n";
    return false;
  }
  command.path = runtime::findCommand(command.argv.front(), error);
  if (command.path.empty()) {
    std::cerr << "ERROR: -c: " << error << "\n";
    return false;
  }
  return true;
}

} // namespace scry::driver
