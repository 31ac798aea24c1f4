/* A USDT target with a semaphore, for tests/e2e/probes_more.test: fires
 * scry_sema:tick only when a tracer has attached to it (the kernel sets the semaphore,
 * SCRY_SEMA_TICK_ENABLED()), N times (argv[1], default 1) with argv[2] ms (default 0)
 * between rounds, and prints how many rounds found it enabled. */
#define _SDT_HAS_SEMAPHORES 1
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>
#include <unistd.h>

/* sys/sdt.h records the address of PROVIDER_NAME_semaphore in the probe's note; the
 * variable itself is the program's to define, in the .probes section. */
__extension__ unsigned short scry_sema_tick_semaphore __attribute__((unused))
__attribute__((section(".probes")));
#define SCRY_SEMA_TICK_ENABLED() __builtin_expect(scry_sema_tick_semaphore != 0, 0)

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  int delay_ms = argc > 2 ? atoi(argv[2]) : 0;
  int enabled = 0;
  for (int i = 0; i < loops; ++i) {
    if (SCRY_SEMA_TICK_ENABLED()) {
      ++enabled;
      DTRACE_PROBE1(scry_sema, tick, i);
    }
    if (delay_ms)
      usleep(delay_ms * 1000);
  }
  printf("enabled %d of %d\n", enabled, loops);
  return 0;
}
