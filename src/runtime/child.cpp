// -c's held child and -p's process watch. See child.h.
#include "runtime/child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "support/strings.h"

namespace scry::runtime {

namespace {

// After fork, in the child: only async-signal-safe calls until execve.
[[noreturn]] void runChild(int go_fd, int exec_fd, pid_t parent, const char *path,
                           char *const argv[]) {
  // Held, the child must not outlive scry: killed with it, and the check closes the
  // race with a parent that died before prctl.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(127);
  // scry's own dispositions (SIGPIPE ignored, the run's handlers) are not the command's.
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGUSR1, SIGCHLD})
    signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  char go = 0;
  ssize_t n;
  while ((n = read(go_fd, &go, 1)) < 0 && errno == EINTR) {
  }
  if (n != 1) // scry gave up (an error before attaching) or died
    _exit(127);
  close(go_fd);
  // Running, the command is its own process: a killed scry leaves it be.
  prctl(PR_SET_PDEATHSIG, 0);
  execv(path, argv);
  int err = errno;
  ssize_t ignored = write(exec_fd, &err, sizeof err);
  (void)ignored;
  _exit(127);
}

void closeFd(int &fd) {
  if (fd >= 0)
    close(fd);
  fd = -1;
}

} // namespace

bool ChildProcess::spawn(const std::string &path, const std::vector<std::string> &argv,
                         std::string &error) {
  int go[2], exec_status[2];
  if (pipe2(go, O_CLOEXEC) != 0 || pipe2(exec_status, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }
  // Everything the child needs, built before fork: it may only make syscalls after.
  std::vector<char *> args;
  for (const std::string &arg : argv)
    args.push_back(const_cast<char *>(arg.c_str()));
  args.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    error = std::string("fork failed: ") + std::strerror(errno);
    for (int fd : {go[0], go[1], exec_status[0], exec_status[1]})
      close(fd);
    return false;
  }
  if (pid == 0) {
    close(go[1]);
    close(exec_status[0]);
    runChild(go[0], exec_status[1], parent, path.c_str(), args.data());
  }
  close(go[0]);
  close(exec_status[1]);
  pid_ = pid;
  go_fd_ = go[1];
  exec_fd_ = exec_status[0];
  return true;
}

bool ChildProcess::resume(std::string &error) {
  if (go_fd_ < 0)
    return true;
  ssize_t written;
  while ((written = write(go_fd_, "g", 1)) < 0 && errno == EINTR) {
  }
  closeFd(go_fd_);
  int err = 0;
  ssize_t n;
  while ((n = read(exec_fd_, &err, sizeof err)) < 0 && errno == EINTR) {
  }
  closeFd(exec_fd_);
  if (written != 1 || n == static_cast<ssize_t>(sizeof err)) {
    error = std::strerror(written != 1 ? EPIPE : err);
    return false;
  }
  return true;
}

bool ChildProcess::ended() {
  if (pid_ < 0 || reaped_)
    return true;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD))
    reaped_ = true;
  return reaped_;
}

ChildProcess::~ChildProcess() {
  closeFd(go_fd_); // a held child reads EOF and exits
  closeFd(exec_fd_);
  if (pid_ < 0 || ended())
    return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100 && !ended(); ++i)
    usleep(10000);
  if (!ended()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool ProcessWatch::open(int pid, std::string &error) {
  fd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); // kernel 5.3
  if (fd_ >= 0)
    return true;
  error = errno == ESRCH ? "process " + std::to_string(pid) + " does not exist"
                         : "cannot watch process " + std::to_string(pid) + ": " +
                               std::strerror(errno);
  return false;
}

bool ProcessWatch::ended() {
  if (fd_ < 0)
    return false;
  pollfd pfd{fd_, POLLIN, 0};
  return poll(&pfd, 1, 0) > 0; // a pidfd is readable once its process has exited
}

ProcessWatch::~ProcessWatch() { closeFd(fd_); }

std::string findCommand(const std::string &name, std::string &error) {
  auto usable = [](const std::string &path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    struct stat st {};
    if (stat(name.c_str(), &st) != 0)
      error = "command '" + name + "': " + std::strerror(errno);
    else if (!S_ISREG(st.st_mode) || access(name.c_str(), X_OK) != 0)
      error = "command '" + name + "' is not an executable file";
    return error.empty() ? name : "";
  }
  const char *path_env = std::getenv("PATH");
  for (const std::string &dir :
       support::split(path_env ? path_env : "/usr/local/bin:/usr/bin:/bin", ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (usable(candidate))
      return candidate;
  }
  error = "command '" + name + "' not found in PATH";
  return "";
}

} // namespace scry::runtime
