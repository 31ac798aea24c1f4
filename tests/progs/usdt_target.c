/* A USDT target for tests/e2e/usdt.test, built with systemtap-sdt-dev's sys/sdt.h:
 * fires scry_test:args3 (an int, a long and a string) and scry_test:noargs N times. */
#include <stdlib.h>
#include <sys/sdt.h>

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  volatile int a = 9;
  volatile long b = 1002;
  const char *s = "usdt-string-arg";
  for (int i = 0; i < loops; ++i) {
    DTRACE_PROBE3(scry_test, args3, a, b, s);
    DTRACE_PROBE(scry_test, noargs);
    a = a - 10; /* negative on the second round: tests sign extension */
  }
  return 0;
}
