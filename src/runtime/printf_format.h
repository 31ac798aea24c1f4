// printf() of a script, done in user space: the BPF program sends the arguments in a
// ring-buffer record and the runtime formats them here. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/value.h"

namespace scry::runtime {

// Formats `format` as C's printf would, consuming `args` in order.
// Conversions: %d %i %u %x %X %o %c %s %p, and %% for a literal '%'. Flags "-0+ #",
// a width and a precision are honoured; length modifiers hh h l ll z j t are accepted
// and ignored: the argument's own type decides the C type, with C's default argument
// promotion (an Int of 1, 2 or 4 bytes behaves as a 32-bit int, of 8 bytes as a 64-bit
// one). So %u or %x of a negative int32 prints its 32 unsigned bits, and %d of a uint32
// above INT32_MAX prints a negative number, exactly as C does.
// %s prints any value in its text form (an Int as its number). The format is split by
// support::parseFormat, as sema checks it; a format it rejects is printed as written,
// and a conversion with no argument left is copied to the output unchanged.
std::string formatPrintf(std::string_view format, const std::vector<Value> &args);

} // namespace scry::runtime
