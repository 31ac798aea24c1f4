/* A uprobe target with DWARF for tests/e2e/uprobe_dwarf.test and tests/unit/dwarf: one
 * function per kind of parameter the x86-64 System V ABI passes in integer registers
 * (integers of every width and signedness, char *, enums, struct pointers, small structs
 * by value), and ones it passes elsewhere (a big struct and the 7th integer on the stack,
 * doubles in SSE registers). Each is called once per loop (argv[1], default 1). Built
 * with -g, and again without it as dwarf_target_nodebug. */
#include <stdint.h>
#include <stdlib.h>

enum color { RED, GREEN, BLUE = 7 };

struct point {
  int x;
  int y;
};

struct node {
  long value;
  const char *label;
  struct node *next;
  struct point pos;
  char tag[8];
};

struct pair16 { /* two eightbytes: rdx and rcx when it is the third argument */
  long a;
  unsigned int b;
  short c;
};

struct big {
  long v[4];
};

typedef unsigned short port_t;

#define NOIPA __attribute__((noipa, noinline))

NOIPA int ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint64_t f) {
  return a + b + c + d + e + (int)f;
}

NOIPA long negatives(long a, int b, short c, signed char d, port_t p) {
  return a + b + c + d + p;
}

NOIPA int text(const char *s, char *buf, int n) { return s[0] + buf[0] + n; }

NOIPA int paint(enum color c, int n) { return (int)c + n; }

NOIPA long walk(struct node *head, int depth) { return head->value + depth; }

NOIPA int by_value(struct point p, int after) { return p.x + p.y + after; }

NOIPA long two_regs(int first, int second, struct pair16 p, int last) {
  return first + second + p.a + p.b + p.c + last;
}

NOIPA long elsewhere(struct big b, double scale, int n, long a2, long a3, long a4, long a5,
                     long a6, long a7) {
  return b.v[0] + (long)scale + n + a2 + a3 + a4 + a5 + a6 + a7;
}

int main(int argc, char **argv) {
  int loops = argc > 1 ? atoi(argv[1]) : 1;
  char buf[16] = "buffer";
  struct node tail = {2, "tail", NULL, {5, 6}, "t"};
  struct node head = {1, "head", &tail, {3, 4}, "h"};
  struct point pt = {10, -20};
  struct pair16 pair = {-5, 4000000000u, -3};
  struct big big = {{1, 2, 3, 4}};
  long sum = 0;
  for (int i = 0; i < loops; ++i) {
    sum += ints(-8, 200, -1600, 60000, -320000, 6400000000ull);
    sum += negatives(-1, -2, -3, -4, 8080);
    sum += text("hello dwarf", buf, 3);
    sum += paint(BLUE, 1);
    sum += walk(&head, 2);
    sum += by_value(pt, 7);
    sum += two_regs(1, 2, pair, 9);
    sum += elsewhere(big, 2.5, 3, 4, 5, 6, 7, 8, 9);
  }
  return sum == 0;
}
