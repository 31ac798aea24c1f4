// A chain of calls compiled without frame pointers (unwind_chain.cpp), for the unwind
// table test's reference unwinder: the deepest call records its registers and glibc's
// backtrace() of the same point.
#pragma once

#include <cstdint>

namespace scry::symbols::test {

struct ChainCapture {
  static constexpr int kMaxFrames = 64;
  uint64_t rip = 0, rsp = 0, rbp = 0; // at one instruction of the deepest function
  void *frames[kMaxFrames] = {};      // backtrace() from the deepest function
  int depth = 0;
  // Called from the deepest function after the capture, while the chain's frames are
  // still on the stack (they are overwritten once it returns).
  void (*inspect)(const ChainCapture &, void *context) = nullptr;
  void *context = nullptr;
};

// Calls through three functions of different frame shapes (callee-saved registers
// including rbp; a variable-length array, so an rbp-based CFA; a large stack buffer) to
// the capture. Returns a value that depends on every level so none is folded away.
int unwindChainTop(ChainCapture &out, int seed);

// The address of a function of the chain, for table lookups.
const void *unwindChainTopAddress();

} // namespace scry::symbols::test
