/* A uprobe target for tests/e2e/uprobe.test: calls two small functions N times
 * (argv[1], default 1) so uprobes, uretprobes and offsets have something to hit. */
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) int target_fn(const char *s, int n) {
  __asm__ volatile("");
  return (int)strlen(s) + 2 * n; /* 17 + 2*22 = 61 for the test's arguments */
}

__attribute__((noinline)) long target_add(long a, long b) {
  __asm__ volatile("");
  return a + b;
}

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  long sum = 0;
  for (int i = 0; i < loops; ++i) {
    sum += target_fn("hello-from-target", 22);
    sum += target_add(40, 2);
  }
  return sum == 0;
}
