// Stacks, ksym() and usym() values: decoding their bytes (object::ValueKind KStack,
// UStack, KSym, USym) and printing them as bpftrace 0.26 does:
//
//   bpftrace mode   "\n" then per frame 8 spaces, "sym+off" (or 0xADDR), "\n"
//   perf mode       "\n" then per frame "\t", the address in hex, " ", "sym+off",
//                   and for user frames " (/path/of/file)" (or "0xADDR ([unknown])"), "\n"
//   raw mode        "\n" then per frame the address in hex, "\n"
//
// The same text serves printf's %s, print(), map values and map keys
// (@[\n        f+1\n        g+2\n]: 3). An empty stack is "\n". bpftrace 0.17 indented
// map keys by 4 spaces; 0.24+ format every stack with 8 (types_format.cpp passes 8).
// ksym()/usym() print the bare name (no offset), or the address in hex.
// Folded form (-f folded): the names without offsets, root first, joined by ';'.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "object/object.h"
#include "runtime/symbolize.h"
#include "runtime/value.h"

namespace scry::runtime {

// Decodes one of the four kinds; nullopt when `bytes` is too short.
std::optional<Value> decodeStack(const object::ValueType &type, std::span<const uint8_t> bytes);

std::string stackText(const Value &stack, Symbolizer &symbolizer);
std::string symbolText(const Value &symbol, Symbolizer &symbolizer);
std::string foldedStack(const Value &stack, Symbolizer &symbolizer);

// "0x" and the address in lowercase hex ("0" for 0), as bpftrace prints a void *.
std::string hexAddress(uint64_t addr);

} // namespace scry::runtime
