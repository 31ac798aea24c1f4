// SIGINT/SIGTERM during a run: the handlers only set a flag that the poll loop checks
// (ring_buffer__poll returns within ~100 ms, or at once with EINTR); a second SIGINT
// ends the process at once with status 1, for when the exit sequence itself hangs.
#pragma once

#include <csignal>

namespace scry::runtime {

class SignalGuard {
public:
  // Installs the handlers (without SA_RESTART, so a blocked poll wakes up).
  SignalGuard();
  // Restores the handlers that were installed before.
  ~SignalGuard();
  SignalGuard(const SignalGuard &) = delete;
  SignalGuard &operator=(const SignalGuard &) = delete;

  // SIGINT or SIGTERM arrived since the guard was installed.
  static bool stopRequested();

  // Catches SIGUSR1 from now on (for self:signal:SIGUSR1 probes); takeUsr1() says
  // whether it arrived since the last call.
  void watchUsr1();
  static bool takeUsr1();

private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_usr1_ {};
  bool usr1_ = false;
};

} // namespace scry::runtime
