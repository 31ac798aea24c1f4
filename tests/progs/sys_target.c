/* A target for tests/e2e/sys.test: stack_args() takes eight arguments, so the last two
 * are passed on the stack (x86-64 System V) where sarg0 and sarg1 read them. It is
 * called argv[1] times (default 1), argv[2] milliseconds apart (default 0), so a
 * signal() test has a process that keeps hitting its probe. */
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) long stack_args(long a, long b, long c, long d, long e, long f,
                                          long g, long h) {
  __asm__ volatile("");
  return a + b + c + d + e + f + g + h;
}

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  int delay_ms = argc > 2 ? atoi(argv[2]) : 0;
  long sum = 0;
  for (int i = 0; i < loops; ++i) {
    sum += stack_args(1, 2, 3, 4, 5, 6, 700, 800);
    if (delay_ms)
      usleep(delay_ms * 1000);
  }
  return sum == 0;
}
