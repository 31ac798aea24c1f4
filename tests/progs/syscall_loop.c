/* A steady source of events for tests/e2e/integrity.test and bench/soak.sh: makes COUNT
 * getppid() system calls as fast as it can (argv[1], default 1000), or with COUNT 0
 * keeps making them for SECONDS (argv[2]); then prints how many it made. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  long count = argc > 1 ? atol(argv[1]) : 1000;
  double seconds = argc > 2 ? atof(argv[2]) : 0;
  long made = 0;
  if (count > 0) {
    for (; made < count; ++made)
      syscall(SYS_getppid);
  } else {
    double end = now() + seconds;
    /* Check the clock every 4096 calls: it costs about as much as a call. */
    while (now() < end)
      for (int i = 0; i < 4096; ++i, ++made)
        syscall(SYS_getppid);
  }
  printf("made %ld\n", made);
  return 0;
}
