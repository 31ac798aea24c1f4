// Signal handling for a run. See signals.h.
#include "runtime/signals.h"

#include <unistd.h>

namespace scry::runtime {

namespace {

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_usr1 = 0;

void onUsr1(int) { g_usr1 = 1; }

void onSignal(int sig) {
  if (sig == SIGINT && g_stop)
    _exit(1);
  g_stop = 1;
}

} // namespace

SignalGuard::SignalGuard() {
  g_stop = 0;
  struct sigaction action {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
}

SignalGuard::~SignalGuard() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  if (usr1_)
    sigaction(SIGUSR1, &old_usr1_, nullptr);
}

void SignalGuard::watchUsr1() {
  struct sigaction action {};
  action.sa_handler = onUsr1;
  sigemptyset(&action.sa_mask);
  sigaction(SIGUSR1, &action, &old_usr1_);
  usr1_ = true;
}

bool SignalGuard::takeUsr1() {
  if (!g_usr1)
    return false;
  g_usr1 = 0;
  return true;
}

bool SignalGuard::stopRequested() { return g_stop != 0; }

} // namespace scry::runtime
