// printf() of a script, done in user space: the BPF program sends the arguments in a
// ring-buffer record and the runtime formats them here. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/value.h"

namespace scry::runtime {

// Formats `format` as bpftrace 0.26 does, consuming `args` in order.
//
// Conversions: %d %i %u %x %X %o %c %s %p, bpftrace's %r %rx %rh for buffers, and %%
// for a literal '%'. Flags "-0+ #", a width and a precision behave as in C; `*` as the
// width or precision takes it from the next argument (a negative width left-justifies,
// a negative precision counts as none), as C does.
//
// Integers are formatted from their value, not from a C argument type: an int32 of -1
// is -1 for %d and 18446744073709551615 for %u, as bpftrace 0.24+ prints them (it
// formats every integer as a 64-bit one). Length modifiers narrow: hh to 8 bits, h to
// 16 bits (%hhx of 0x1234 is 34); l ll L j z t keep 64 bits. %c prints the low byte as a
// character; %p prints 0x plus lower-case hex ("0" for a null pointer).
//
// %s prints any value in its text form (integers in decimal, bools as true/false,
// tuples, buffers hex-escaped); a precision truncates it. %r prints a buffer with
// printable ASCII kept and other bytes as \xNN, %rx every byte as \xNN, %rh as "0a fe".
//
// The format is split by support::parseFormat, as sema checks it; a format it rejects
// is printed as written, and a conversion with no argument left is copied unchanged.
std::string formatPrintf(std::string_view format, const std::vector<Value> &args);

} // namespace scry::runtime
