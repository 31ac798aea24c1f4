/* A uprobe target for tests/e2e/arrays.test (issue 3): passes pointers to structs
 * holding integer arrays, one- and two-dimensional, as bpftrace's array tests do.
 * Calls test_struct N times (argv[1], default 1). */
#include <stdlib.h>

struct A {
  int x[4];
};

struct B {
  int y[2][2];
};

__attribute__((noipa, noinline)) int test_struct(struct A *a, struct B *b) {
  __asm__ volatile("");
  return a->x[0] + b->y[0][0];
}

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  struct A a = {{1, 2, 3, 4}};
  struct B b = {{{5, 6}, {7, 8}}};
  int sum = 0;
  for (int i = 0; i < loops; ++i)
    sum += test_struct(&a, &b);
  return sum == 0;
}
