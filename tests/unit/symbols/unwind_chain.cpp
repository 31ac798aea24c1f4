// The call chain of unwind_chain.h. Built with -fomit-frame-pointer
// -fno-optimize-sibling-calls -fno-inline (tests/unit/symbols/CMakeLists.txt): each
// level is a real call whose return address only .eh_frame can find.
#include "unwind_chain.h"

#include <execinfo.h>

namespace scry::symbols::test {

namespace {

// Opaque inputs: volatile reads cannot be recomputed after a call, so values read
// before one stay live across it, in callee-saved registers (rbp among them).
volatile int g_inputs[8] = {3, 5, 7, 11, 13, 17, 19, 23};

__attribute__((noinline)) int deepest(ChainCapture &out, int x) {
  uint64_t rip = 0, rsp = 0, rbp = 0;
  // One instruction's worth of state: rip is the address right after the lea, where
  // rsp and rbp are still what the mov instructions read.
  asm volatile("lea 0(%%rip), %0\n\tmov %%rsp, %1\n\tmov %%rbp, %2"
               : "=r"(rip), "=r"(rsp), "=r"(rbp));
  out.rip = rip;
  out.rsp = rsp;
  out.rbp = rbp;
  out.depth = backtrace(out.frames, ChainCapture::kMaxFrames);
  if (out.inspect)
    out.inspect(out, out.context);
  return x + out.depth;
}

// A big frame: sub $N, %rsp.
__attribute__((noinline)) int withBuffer(ChainCapture &out, int x) {
  volatile char buffer[600];
  buffer[x % 600] = static_cast<char>(x);
  int r = deepest(out, x + 1);
  return r + buffer[x % 600];
}

// A variable-length array: the compiler needs rbp as a frame pointer here even with
// -fomit-frame-pointer, so the CFA is rbp-based.
__attribute__((noinline)) int withVla(ChainCapture &out, int x) {
  int n = g_inputs[0] + (x & 7);
  volatile int vla[n];
  vla[0] = x;
  int r = withBuffer(out, x + 1);
  return r + vla[0];
}

// Seven values live across the call: rbx, rbp, r12-r15 and a spill.
__attribute__((noinline)) int withPressure(ChainCapture &out, int x) {
  int a = g_inputs[1] ^ x, b = g_inputs[2] ^ x, c = g_inputs[3] ^ x, d = g_inputs[4] ^ x;
  int e = g_inputs[5] ^ x, f = g_inputs[6] ^ x, g = g_inputs[7] ^ x;
  int r = withVla(out, x + 1);
  return r + a * b + c * d + e * f + g;
}

} // namespace

int unwindChainTop(ChainCapture &out, int seed) { return withPressure(out, seed) + 1; }

const void *unwindChainTopAddress() { return reinterpret_cast<const void *>(&withPressure); }

} // namespace scry::symbols::test
