// Signal handling for a run. See signals.h.
#include "runtime/signals.h"

#include <unistd.h>

namespace scry::runtime {

namespace {

volatile sig_atomic_t g_stop = 0;

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
}

bool SignalGuard::stopRequested() { return g_stop != 0; }

} // namespace scry::runtime
