// Checks of -p and -c. See processes.h.
#include "driver/processes.h"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "btf/elf_file.h"
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

std::vector<std::string> commandFiles(const std::string &path) {
  std::vector<std::string> files{path};
  btf::ElfInfo info;
  std::string error;
  if (!btf::readElf(path, info, error))
    return files;
  if (!info.interpreter.empty())
    files.push_back(info.interpreter);
  for (const std::string &library : info.needed)
    if (std::string found = btf::findInLdCache(library); !found.empty())
      files.push_back(found);
  return files;
}

} // namespace scry::driver
