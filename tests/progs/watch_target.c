/* A watchpoint target for tests/e2e/probes_more.test: writes the global scry_watched
 * N times (argv[1], default 1), argv[2] ms apart (default 10). Not PIE, so `nm` gives
 * the address a watchpoint needs. */
#include <stdlib.h>
#include <unistd.h>

volatile long scry_watched;

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  int delay_ms = argc > 2 ? atoi(argv[2]) : 10;
  for (int i = 0; i < loops; ++i) {
    scry_watched = scry_watched + 1;
    usleep(delay_ms * 1000);
  }
  return 0;
}
