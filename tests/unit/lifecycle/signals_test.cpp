// SIGINT/SIGTERM during a run (runtime/signals.h): the first asks the run to stop, a
// second SIGINT ends the process at once with status 1 (deterministic here; the e2e
// case can only race a real exit sequence), and the previous handlers come back.
#include <gtest/gtest.h>

#include <csignal>

#include "runtime/signals.h"

namespace scry::runtime {
namespace {

TEST(Signals, FirstSigintOrSigtermRequestsAStop) {
  for (int sig : {SIGINT, SIGTERM}) {
    SignalGuard guard;
    EXPECT_FALSE(SignalGuard::stopRequested());
    std::raise(sig);
    EXPECT_TRUE(SignalGuard::stopRequested()) << sig;
  }
}

TEST(Signals, SecondSigintExitsAtOnce) {
  EXPECT_EXIT(
      {
        SignalGuard guard;
        std::raise(SIGINT);
        std::raise(SIGINT);
        std::_Exit(0); // not reached
      },
      ::testing::ExitedWithCode(1), "");
}

TEST(Signals, SigtermAfterSigintDoesNotKill) {
  SignalGuard guard;
  std::raise(SIGINT);
  std::raise(SIGTERM);
  EXPECT_TRUE(SignalGuard::stopRequested());
}

TEST(Signals, PreviousHandlersAreRestored) {
  struct sigaction before {};
  sigaction(SIGINT, nullptr, &before);
  { SignalGuard guard; }
  struct sigaction after {};
  sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(before.sa_handler, after.sa_handler);
}

} // namespace
} // namespace scry::runtime
