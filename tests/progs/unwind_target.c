/* A dw_ustack target for tests/e2e/dw_ustack.test: main -> alpha -> beta -> gamma,
 * which calls getppid() (a system call for tracepoints) N times (argv[1], default 1).
 * Built without frame pointers (tests/progs/CMakeLists.txt), and each function keeps a
 * value in rbp across its call, so only .eh_frame tells where its caller's frame is:
 * ustack's frame-pointer walk loses the chain, dw_ustack does not. */
#include <stdlib.h>
#include <unistd.h>

volatile int unwind_inputs[4] = {3, 5, 7, 11};

__attribute__((noinline)) int gamma_fn(int x) {
  int r = x + (int)getppid() * 0;
  __asm__ volatile("" ::: "memory");
  return r + 1;
}

/* Values read before the call stay live across it in callee-saved registers. */
__attribute__((noinline)) int beta_fn(int x) {
  int a = unwind_inputs[0], b = unwind_inputs[1], c = unwind_inputs[2], d = unwind_inputs[3];
  int r = gamma_fn(x + a);
  return r * b + c * d + a;
}

__attribute__((noinline)) int alpha_fn(int x) {
  volatile char pad[64];
  pad[x & 63] = (char)x;
  int a = unwind_inputs[1], b = unwind_inputs[2], c = unwind_inputs[3];
  int r = beta_fn(x + a);
  return r + b * c + pad[x & 63];
}

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  long sum = 0;
  for (int i = 0; i < loops; ++i)
    sum += alpha_fn(i);
  return sum == -1;
}
