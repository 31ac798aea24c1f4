// write_user() target (issue 5, helper "memfuncs"): fill() is probed; write_user in the
// probe overwrites the buffer it is given, and main prints what the buffer then holds.
#include <stdio.h>

static char buffer[16] = "original";

void fill(char *dst) {
  __asm__ volatile("" : : "r"(dst) : "memory"); // the probe may have written *dst
}

int main(void) {
  fill(buffer);
  printf("buffer: %s\n", buffer);
  return 0;
}
