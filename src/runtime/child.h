// The processes a run is tied to (issue 7). scry -c CMD: the command is forked before
// anything is attached but held before execve (on a pipe, no ptrace) until every probe
// is attached, so it is traced from its first instruction; the run ends when it does.
// While held it dies with scry (PR_SET_PDEATHSIG and the pipe's EOF), so a killed scry
// never leaves it stopped; once running it is its own process, ended with SIGTERM (then
// SIGKILL) only if scry ends first. scry -p PID: the run ends when PID does (pidfd).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace scry::runtime {

class ChildProcess {
public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;
  // A child still running is ended (SIGTERM, SIGKILL after 1 s) and reaped.
  ~ChildProcess();

  // Forks the command, held. `path` is the program to execute (already resolved),
  // `argv` its arguments, argv[0] included. Returns false with `error` set.
  bool spawn(const std::string &path, const std::vector<std::string> &argv, std::string &error);
  pid_t pid() const { return pid_; }

  // Lets the command run. Returns false, with `error` naming why, when execve failed.
  bool resume(std::string &error);

  // Whether it has ended (it is then reaped); never blocks.
  bool ended();

private:
  pid_t pid_ = -1;
  int go_fd_ = -1;   // write end: a byte lets the child execve, EOF makes it exit
  int exec_fd_ = -1; // read end: EOF once execve succeeded, else the child's errno
  bool reaped_ = false;
};

// -p PID: tells when that process ends.
class ProcessWatch {
public:
  ProcessWatch() = default;
  ProcessWatch(const ProcessWatch &) = delete;
  ProcessWatch &operator=(const ProcessWatch &) = delete;
  ~ProcessWatch();

  // Returns false with `error` set when PID does not exist or cannot be watched.
  bool open(int pid, std::string &error);
  bool ended();

private:
  int fd_ = -1;
};

// The executable a command name refers to, as execvp would pick it: a name with a '/'
// as is, else the first executable regular file of that name in $PATH. "" with
// `error` set ("command 'x' not found", "'x' is not executable") when there is none.
std::string findCommand(const std::string &name, std::string &error);

} // namespace scry::runtime
