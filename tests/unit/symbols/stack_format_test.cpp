// Stacks, ksym() and usym() as the runtime prints them: decoding their bytes, the
// bpftrace/perf/raw text forms, map keys and values in text and JSON, and -f folded.
// Symbols come from fixtures installed in the process's Symbolizer: no kernel.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/folded_output.h"
#include "runtime/map_print.h"
#include "runtime/stack_format.h"
#include "runtime/symbolize.h"

namespace scry::runtime {
namespace {

using object::ValueKind;
using object::ValueType;

constexpr int kPid = 4242;

// Installs the fixture symbols in processSymbolizer() (formatValue uses it).
Symbolizer &symbolizer() {
  static bool installed = false;
  Symbolizer &s = processSymbolizer();
  if (!installed) {
    s.setKernelSymbols(symbols::KernelSymbols::parse("ffffffff81000000 T do_syscall_64\n"
                                                     "ffffffff81000100 T vfs_read\n"
                                                     "ffffffff81000200 T ksys_read\n"));
    s.userSymbols().setMaps(kPid, symbols::parseProcMaps(
                                      "400000-401000 r-xp 00000000 fe:01 1 /bin/prog\n"));
    s.userSymbols().setElf("/bin/prog", symbols::ElfSymbols({{"main", 0x400100, 0x100, true},
                                                             {"outer", 0x400200, 0x40, true},
                                                             {"inner", 0x400300, 0x40, true}},
                                                            {{0x400000, 0, 0x1000, 0x1000}},
                                                            false));
    installed = true;
  }
  return s;
}

ValueType simple(ValueKind kind, uint32_t size) {
  ValueType t;
  t.kind = kind;
  t.size = size;
  return t;
}

ValueType stackType(bool user, uint32_t mode, uint32_t limit) {
  ValueType t;
  t.kind = user ? ValueKind::UStack : ValueKind::KStack;
  t.stack = {mode, limit};
  t.size = 8 + 8 * limit + (user ? 8 : 0);
  return t;
}

// The bytes BPF writes: frame count, addresses (zero-filled to `limit`), pid.
std::vector<uint8_t> stackBytes(const std::vector<uint64_t> &addrs, uint32_t limit,
                                bool user) {
  std::vector<uint8_t> bytes(8 + 8 * limit + (user ? 8 : 0), 0);
  uint64_t n = addrs.size();
  std::memcpy(bytes.data(), &n, 8);
  for (size_t i = 0; i < addrs.size(); ++i)
    std::memcpy(bytes.data() + 8 + 8 * i, &addrs[i], 8);
  if (user) {
    uint32_t pid = kPid;
    std::memcpy(bytes.data() + 8 + 8 * limit, &pid, 4);
  }
  return bytes;
}

Value kstack(uint32_t mode = 0) {
  auto v = decodeStack(stackType(false, mode, 4),
                       stackBytes({0xffffffff81000110, 0xffffffff81000208, 0xffffffff81000010},
                                  4, false));
  EXPECT_TRUE(v);
  return *v;
}

Value ustack(uint32_t mode = 0) {
  auto v = decodeStack(stackType(true, mode, 8),
                       stackBytes({0x400304, 0x400210, 0x400150, 0x7f0000001234}, 8, true));
  EXPECT_TRUE(v);
  return *v;
}

TEST(StackFormat, Decodes) {
  Value k = kstack();
  EXPECT_EQ(k.kind, ValueKind::KStack);
  EXPECT_EQ(k.addrs.size(), 3u);
  Value u = ustack();
  EXPECT_EQ(u.bits, static_cast<uint64_t>(kPid));
  EXPECT_EQ(u.addrs.size(), 4u);
  // A count beyond the limit is clamped; a short buffer is refused.
  auto bytes = stackBytes({1, 2}, 2, false);
  uint64_t lie = 99;
  std::memcpy(bytes.data(), &lie, 8);
  EXPECT_EQ(decodeStack(stackType(false, 0, 2), bytes)->addrs.size(), 2u);
  bytes.pop_back();
  EXPECT_FALSE(decodeStack(stackType(false, 0, 2), bytes));
}

TEST(StackFormat, BpftraceMode) {
  EXPECT_EQ(stackText(kstack(), symbolizer()), "\n"
                                                "        vfs_read+16\n"
                                                "        ksys_read+8\n"
                                                "        do_syscall_64+16\n");
  EXPECT_EQ(stackText(ustack(), symbolizer()), "\n"
                                                "        inner+4\n"
                                                "        outer+16\n"
                                                "        main+80\n"
                                                "        0x7f0000001234\n");
}

TEST(StackFormat, PerfMode) {
  EXPECT_EQ(stackText(kstack(1), symbolizer()), "\n"
                                                 "\tffffffff81000110 vfs_read+16\n"
                                                 "\tffffffff81000208 ksys_read+8\n"
                                                 "\tffffffff81000010 do_syscall_64+16\n");
  EXPECT_EQ(stackText(ustack(1), symbolizer()), "\n"
                                                 "\t400304 inner+4 (/bin/prog)\n"
                                                 "\t400210 outer+16 (/bin/prog)\n"
                                                 "\t400150 main+80 (/bin/prog)\n"
                                                 "\t7f0000001234 0x7f0000001234 ([unknown])\n");
}

TEST(StackFormat, RawMode) {
  EXPECT_EQ(stackText(kstack(2), symbolizer()),
            "\nffffffff81000110\nffffffff81000208\nffffffff81000010\n");
}

TEST(StackFormat, EmptyStackAndUnknownKernelAddresses) {
  auto empty = decodeStack(stackType(false, 0, 4), stackBytes({}, 4, false));
  EXPECT_EQ(stackText(*empty, symbolizer()), "\n");
  auto low = decodeStack(stackType(false, 0, 4), stackBytes({0x1234}, 4, false));
  EXPECT_EQ(stackText(*low, symbolizer()), "\n        0x1234\n");
}

TEST(StackFormat, Symbols) {
  symbolizer();
  ValueType ksym = simple(ValueKind::KSym, 8);
  uint64_t addr = 0xffffffff81000104;
  std::vector<uint8_t> bytes(16, 0);
  std::memcpy(bytes.data(), &addr, 8);
  EXPECT_EQ(formatValue(*decodeValue(ksym, bytes)), "vfs_read");
  addr = 0x10;
  std::memcpy(bytes.data(), &addr, 8);
  EXPECT_EQ(formatValue(*decodeValue(ksym, bytes)), "0x10");
  ValueType usym = simple(ValueKind::USym, 16);
  addr = 0x400208;
  uint32_t pid = kPid;
  std::memcpy(bytes.data(), &addr, 8);
  std::memcpy(bytes.data() + 8, &pid, 4);
  EXPECT_EQ(formatValue(*decodeValue(usym, bytes)), "outer");
  EXPECT_EQ(hexAddress(0), "0");
}

object::MapDesc countMap(ValueType key) {
  object::MapDesc desc;
  desc.name = "@";
  desc.key = std::move(key);
  desc.value.kind = ValueKind::Count;
  desc.value.size = 8;
  return desc;
}

TEST(StackFormat, MapKeysInText) {
  symbolizer();
  object::MapDesc desc = countMap(stackType(false, 0, 4));
  std::vector<MapEntry> entries = {{kstack(), Value::makeCount(3)}};
  EXPECT_EQ(printMap(OutputFormat::Text, desc, entries), "@[\n"
                                                          "        vfs_read+16\n"
                                                          "        ksys_read+8\n"
                                                          "        do_syscall_64+16\n"
                                                          "]: 3\n");
  // A tuple key: @[ustack, comm].
  ValueType tuple;
  tuple.kind = ValueKind::Tuple;
  tuple.fields = {stackType(true, 0, 8), simple(ValueKind::String, 16)};
  tuple.offsets = {0, 80};
  desc = countMap(tuple);
  entries = {{Value::makeTuple({ustack(), Value::makeString("prog")}), Value::makeCount(1)}};
  EXPECT_EQ(printMap(OutputFormat::Text, desc, entries), "@[\n"
                                                          "        inner+4\n"
                                                          "        outer+16\n"
                                                          "        main+80\n"
                                                          "        0x7f0000001234\n"
                                                          ", prog]: 1\n");
}

TEST(StackFormat, JsonKeysAndValues) {
  symbolizer();
  object::MapDesc desc = countMap(stackType(false, 0, 4));
  std::vector<MapEntry> entries = {{kstack(), Value::makeCount(3)}};
  // bpftrace strips every space from map keys in JSON.
  EXPECT_EQ(printMap(OutputFormat::Json, desc, entries),
            "{\"type\": \"map\", \"data\": {\"@\": "
            "{\"\\nvfs_read+16\\nksys_read+8\\ndo_syscall_64+16\\n\": 3}}}\n");
  EXPECT_EQ(printValue(OutputFormat::Json, kstack(2)),
            "{\"type\": \"value\", \"data\": "
            "\"\\nffffffff81000110\\nffffffff81000208\\nffffffff81000010\\n\"}\n");
}

TEST(StackFormat, Folded) {
  symbolizer();
  object::MapDesc desc = countMap(stackType(false, 0, 4));
  EXPECT_TRUE(isFoldable(desc));
  std::vector<MapEntry> entries = {{kstack(), Value::makeCount(3)}};
  EXPECT_EQ(printMap(OutputFormat::Folded, desc, entries),
            "do_syscall_64;ksys_read;vfs_read 3\n");
  // @[comm, kstack, ustack]: the other parts first, then user, then kernel frames.
  ValueType tuple;
  tuple.kind = ValueKind::Tuple;
  tuple.fields = {simple(ValueKind::String, 16), stackType(false, 0, 4),
                  stackType(true, 0, 8)};
  tuple.offsets = {0, 16, 56};
  desc = countMap(tuple);
  entries = {{Value::makeTuple({Value::makeString("a;b"), kstack(), ustack()}),
              Value::makeCount(7)}};
  EXPECT_EQ(printMap(OutputFormat::Folded, desc, entries),
            "a_b;0x7f0000001234;main;outer;inner;do_syscall_64;ksys_read;vfs_read 7\n");
  auto empty = decodeStack(stackType(false, 0, 4), stackBytes({}, 4, false));
  desc = countMap(stackType(false, 0, 4));
  EXPECT_EQ(foldedMap({{*empty, Value::makeCount(2)}}), "[unknown] 2\n");
  // Not folded: no stack in the key, or a value that is not one integer.
  EXPECT_FALSE(isFoldable(countMap(simple(ValueKind::String, 16))));
  object::MapDesc hist = countMap(stackType(false, 0, 4));
  hist.value.kind = ValueKind::Hist;
  EXPECT_FALSE(isFoldable(hist));
  // Folded mode has no "\n\n" before the exit dump.
  EXPECT_EQ(printExitMaps(OutputFormat::Folded, {}), "");
}

} // namespace
} // namespace scry::runtime
