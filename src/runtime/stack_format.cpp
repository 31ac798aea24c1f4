// Decoding and printing of stacks and symbols. See stack_format.h.
#include "runtime/stack_format.h"

#include <algorithm>
#include <cstring>

namespace scry::runtime {

using object::ValueKind;

namespace {

constexpr size_t kStackIndent = 8; // bpftrace 0.24+ (0.17: 4 in map keys)
// object::StackDesc::mode (ast::StackMode's order); 0 is bpftrace's.
constexpr uint32_t kModePerf = 1;
constexpr uint32_t kModeRaw = 2;

uint64_t load64(std::span<const uint8_t> bytes, size_t offset) {
  uint64_t v = 0;
  std::memcpy(&v, bytes.data() + offset, sizeof v);
  return v;
}

std::string hexDigits(uint64_t addr) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), digits[addr & 0xf]);
    addr >>= 4;
  } while (addr);
  return out;
}

bool isUser(const Value &v) {
  return v.kind == ValueKind::UStack || v.kind == ValueKind::USym;
}

Symbol resolve(const Value &v, uint64_t addr, Symbolizer &symbolizer) {
  return isUser(v) ? symbolizer.user(static_cast<int>(v.bits), addr) : symbolizer.kernel(addr);
}

// One frame's symbol: "name+off"; perf mode adds " (module)" to user frames, and
// " ([unknown])" after an unresolved user address.
std::string frameText(const Value &stack, uint64_t addr, bool perf, Symbolizer &symbolizer) {
  Symbol sym = resolve(stack, addr, symbolizer);
  bool user = isUser(stack);
  if (!sym.resolved)
    return hexAddress(addr) + (perf && user ? " ([unknown])" : "");
  std::string text = sym.name + "+" + std::to_string(sym.offset);
  if (perf && user)
    text += " (" + sym.module + ")";
  return text;
}

} // namespace

std::string hexAddress(uint64_t addr) { return addr ? "0x" + hexDigits(addr) : "0"; }

std::optional<Value> decodeStack(const object::ValueType &type, std::span<const uint8_t> bytes) {
  Value value;
  value.kind = type.kind;
  value.stack_mode = type.stack.mode;
  bool user = isUser(value);
  if (type.kind == ValueKind::KSym || type.kind == ValueKind::USym) {
    if (bytes.size() < (user ? 16u : 8u))
      return std::nullopt;
    value.addrs.push_back(load64(bytes, 0));
    if (user)
      value.bits = load64(bytes, 8) & 0xffffffff;
    return value;
  }
  size_t limit = type.stack.limit; // KStack, UStack
  if (bytes.size() < 8 + 8 * limit + (user ? 8 : 0))
    return std::nullopt;
  uint64_t frames = std::min<uint64_t>(load64(bytes, 0), limit);
  for (size_t i = 0; i < frames; ++i)
    value.addrs.push_back(load64(bytes, 8 + 8 * i));
  if (user)
    value.bits = load64(bytes, 8 + 8 * limit) & 0xffffffff;
  return value;
}

std::string stackText(const Value &stack, Symbolizer &symbolizer) {
  std::string text = "\n";
  for (uint64_t addr : stack.addrs) {
    if (stack.stack_mode == kModePerf)
      text += "\t" + hexDigits(addr) + " " + frameText(stack, addr, true, symbolizer) + "\n";
    else if (stack.stack_mode == kModeRaw)
      text += hexDigits(addr) + "\n";
    else
      text += std::string(kStackIndent, ' ') + frameText(stack, addr, false, symbolizer) + "\n";
  }
  return text;
}

std::string symbolText(const Value &symbol, Symbolizer &symbolizer) {
  if (symbol.addrs.empty())
    return "";
  Symbol sym = resolve(symbol, symbol.addrs.front(), symbolizer);
  return sym.resolved ? sym.name : hexAddress(symbol.addrs.front());
}

std::string foldedStack(const Value &stack, Symbolizer &symbolizer) {
  std::string text;
  for (auto it = stack.addrs.rbegin(); it != stack.addrs.rend(); ++it) {
    Symbol sym = resolve(stack, *it, symbolizer);
    if (!text.empty())
      text += ";";
    text += sym.resolved ? sym.name : hexAddress(*it);
  }
  return text;
}

} // namespace scry::runtime
