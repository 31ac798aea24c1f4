// A tight system-call loop for the benchmarks (bench/bench.py builds it with cc): the
// tracer's cost per event is the loop's time per call with the tracer attached minus
// its time without one.
//
//   syscall_loop getppid N        N getppid calls; prints "<wall ns> <CPU ns> <pid>" per
//                                 call; CPU time (user + system, the tracer's BPF
//                                 programs included) does not count time spent
//                                 waiting for a CPU, so it is the steadier figure
//                                 on a loaded machine
//   syscall_loop close N          close(1000000 + i) for i < N (all fail with EBADF):
//                                 N distinct keys for a map keyed by args->fd
//   syscall_loop paced N MS       N getppid calls, MS milliseconds apart
//
// Raw syscall(2) calls, so no libc caching or wrapper can skip the kernel.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long nowNs(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s getppid|close|paced N [MS]\n", argv[0]);
    return 2;
  }
  long n = atol(argv[2]);
  if (strcmp(argv[1], "getppid") == 0) {
    long long start = nowNs(CLOCK_MONOTONIC), cpu_start = nowNs(CLOCK_PROCESS_CPUTIME_ID);
    for (long i = 0; i < n; i++)
      syscall(SYS_getppid);
    long long cpu = nowNs(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    long long wall = nowNs(CLOCK_MONOTONIC) - start;
    printf("%.1f %.1f %d\n", (double)wall / (double)n, (double)cpu / (double)n, (int)getpid());
    return 0;
  }
  if (strcmp(argv[1], "close") == 0) {
    for (long i = 0; i < n; i++)
      syscall(SYS_close, 1000000 + i);
    return 0;
  }
  if (strcmp(argv[1], "paced") == 0 && argc > 3) {
    struct timespec gap = {0, atol(argv[3]) * 1000000L};
    for (long i = 0; i < n; i++) {
      syscall(SYS_getppid);
      nanosleep(&gap, NULL);
    }
    return 0;
  }
  fprintf(stderr, "%s: unknown mode '%s'\n", argv[0], argv[1]);
  return 2;
}
