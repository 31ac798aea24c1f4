/* A ustack/usym/uaddr target for tests/e2e/stacks.test: main -> outer -> inner, N
 * times (argv[1], default 1), then scry::widget::poke, a C function under a C++
 * mangled name (to test demangling). Built with frame pointers (the kernel unwinds
 * user stacks through them) and as a PIE (to test uaddr's load-address arithmetic). */
#include <stdlib.h>
#include <unistd.h>

volatile long stack_counter = 7; /* uaddr("stack_counter") reads it */

__attribute__((noinline)) int inner(int x) {
  __asm__ volatile("");
  stack_counter += 1;
  return x + (int)getppid() * 0 + 1; /* the getppid syscall gives tracepoints a stack */
}

__attribute__((noinline)) int outer(int x) {
  int r = inner(x);
  __asm__ volatile("");
  return r * 2;
}

/* _ZN4scry6widget4pokeEi demangles to scry::widget::poke(int). */
__attribute__((noinline)) int poke(int x) __asm__("_ZN4scry6widget4pokeEi");
int poke(int x) {
  __asm__ volatile("");
  return outer(x) + 1;
}

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  long sum = 0;
  for (int i = 0; i < loops; ++i)
    sum += outer(i);
  sum += poke(3);
  return sum == -1;
}
