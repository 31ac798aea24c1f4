// -c's child (runtime/child.h) without a kernel: held until resumed, never left behind
// held, its exec failures reported; -p's watch of a process; findCommand's PATH search.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "runtime/child.h"

namespace scry::runtime {
namespace {

// The process's state letter from /proc, or 0 once it is gone.
char stateOf(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string ignored, state;
  if (!(stat >> ignored) || !std::getline(stat, ignored, ')') || !(stat >> state))
    return 0;
  return state.empty() ? 0 : state[0];
}

bool goneWithin(pid_t pid, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    char state = stateOf(pid);
    if (state == 0 || state == 'Z' || state == 'X')
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(Child, HeldUntilResumedThenRunsAndEnds) {
  ChildProcess child;
  std::string error;
  ASSERT_TRUE(child.spawn("/bin/sh", {"sh", "-c", "exit 3"}, error)) << error;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(child.ended()); // held: it has not run the command
  ASSERT_TRUE(child.resume(error)) << error;
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!child.ended() && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(child.ended());
}

TEST(Child, ExecFailureIsReported) {
  ChildProcess child;
  std::string error;
  ASSERT_TRUE(child.spawn("/nonexistent/program", {"program"}, error)) << error;
  EXPECT_FALSE(child.resume(error));
  EXPECT_EQ(error, "No such file or directory");
}

TEST(Child, NeverResumedItIsGoneWithTheObject) {
  pid_t pid;
  {
    ChildProcess child;
    std::string error;
    ASSERT_TRUE(child.spawn("/bin/sleep", {"sleep", "30"}, error)) << error;
    pid = child.pid();
  }
  EXPECT_TRUE(goneWithin(pid, std::chrono::seconds(2)));
}

TEST(Child, RunningItIsEndedWithTheObject) {
  pid_t pid;
  {
    ChildProcess child;
    std::string error;
    ASSERT_TRUE(child.spawn("/bin/sleep", {"sleep", "30"}, error)) << error;
    ASSERT_TRUE(child.resume(error)) << error;
    pid = child.pid();
  }
  EXPECT_TRUE(goneWithin(pid, std::chrono::seconds(2)));
}

// A scry killed while its child is held (SIGKILL: no destructor runs) leaves no
// stopped child: it dies with its parent.
TEST(Child, HeldChildDiesWhenItsParentIsKilled) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t parent = fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    close(fds[0]);
    ChildProcess child;
    std::string error;
    if (!child.spawn("/bin/sleep", {"sleep", "30"}, error))
      _exit(1);
    pid_t pid = child.pid();
    if (write(fds[1], &pid, sizeof pid) != sizeof pid)
      _exit(1);
    raise(SIGKILL);
  }
  close(fds[1]);
  pid_t held = -1;
  ASSERT_EQ(read(fds[0], &held, sizeof held), static_cast<ssize_t>(sizeof held));
  close(fds[0]);
  waitpid(parent, nullptr, 0);
  EXPECT_TRUE(goneWithin(held, std::chrono::seconds(2)));
}

TEST(ProcessWatch, TellsWhenAProcessEnds) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    usleep(100000);
    _exit(0);
  }
  ProcessWatch watch;
  std::string error;
  ASSERT_TRUE(watch.open(pid, error)) << error;
  EXPECT_FALSE(watch.ended());
  waitpid(pid, nullptr, 0);
  EXPECT_TRUE(watch.ended());
  ProcessWatch missing;
  EXPECT_FALSE(missing.open(999999, error));
  EXPECT_EQ(error, "process 999999 does not exist");
}

TEST(FindCommand, SearchesPathLikeExecvp) {
  std::string error;
  std::string sh = findCommand("sh", error);
  EXPECT_FALSE(sh.empty()) << error;
  EXPECT_EQ(findCommand("/bin/sh", error), "/bin/sh");
  EXPECT_EQ(findCommand("no-such-command-xyz", error), "");
  EXPECT_EQ(error, "command 'no-such-command-xyz' not found in PATH");
  char data[] = "/tmp/scry-child-test-XXXXXX"; // a regular file without x bits
  int fd = mkstemp(data);
  ASSERT_GE(fd, 0);
  close(fd);
  error.clear();
  EXPECT_EQ(findCommand(data, error), "");
  EXPECT_EQ(error, std::string("command '") + data + "' is not an executable file");
  unlink(data);
  EXPECT_EQ(findCommand("/nonexistent/x", error), "");
  EXPECT_EQ(error, "command '/nonexistent/x': No such file or directory");
}

} // namespace
} // namespace scry::runtime
