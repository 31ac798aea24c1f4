/* A target for signal_thread() (tests/e2e/morefuncs.test): a worker thread calls
 * signal_point() with SIGUSR1 blocked, then unblocks it 100 ms later. A signal sent to
 * the process (signal()) meanwhile goes to the main thread, which does not block it; one
 * sent to the worker thread (signal_thread()) waits for it. Prints which thread's handler
 * ran: "handled by worker", "handled by main" or "not handled" (after 2 s). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile long handled_tid;

static void onUsr1(int sig) {
  (void)sig;
  handled_tid = syscall(SYS_gettid);
}

__attribute__((noinline)) void signal_point(void) { __asm__ volatile(""); }

static void *worker(void *arg) {
  *(long *)arg = syscall(SYS_gettid);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  signal_point();
  usleep(100 * 1000);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  for (int i = 0; i < 200 && !handled_tid; ++i)
    usleep(10 * 1000);
  return NULL;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = onUsr1;
  sigaction(SIGUSR1, &sa, NULL);
  long worker_tid = 0;
  pthread_t thread;
  pthread_create(&thread, NULL, worker, &worker_tid);
  pthread_join(thread, NULL);
  if (!handled_tid)
    printf("not handled\n");
  else
    printf("handled by %s\n", handled_tid == worker_tid ? "worker" : "main");
  return 0;
}
