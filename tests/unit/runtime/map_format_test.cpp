// The exit map dump: per-CPU summing, sort order, bpftrace's line format.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/map_format.h"

using namespace scry::runtime;
using scry::object::MapDesc;
using scry::object::ValueKind;
using scry::object::ValueType;

namespace {

ValueType type(ValueKind kind, uint32_t size = 0, bool is_signed = false) {
  ValueType t;
  t.kind = kind;
  t.size = size;
  t.is_signed = is_signed;
  return t;
}

MapDesc mapDesc(std::string name, ValueType key, ValueType value, bool per_cpu = false) {
  MapDesc d;
  d.name = std::move(name);
  d.elf_name = "m";
  d.key = std::move(key);
  d.key_size = key.kind == ValueKind::None ? 8 : 0;
  d.value = std::move(value);
  d.per_cpu = per_cpu;
  return d;
}

MapEntry entry(Value key, Value value) { return MapEntry{std::move(key), std::move(value)}; }

} // namespace

TEST(MapFormat, ScalarMaps) {
  MapDesc d = mapDesc("@x", type(ValueKind::None), type(ValueKind::Int, 8, true));
  EXPECT_EQ(formatMap(d, {entry(Value{}, Value::makeInt(5))}), "@x: 5\n");
  MapDesc s = mapDesc("@s", type(ValueKind::None), type(ValueKind::String, 16));
  EXPECT_EQ(formatMap(s, {entry(Value{}, Value::makeString("x y"))}), "@s: x y\n");
  MapDesc b = mapDesc("@b", type(ValueKind::None), type(ValueKind::Bool, 1));
  EXPECT_EQ(formatMap(b, {entry(Value{}, Value::makeBool(false))}), "@b: false\n");
  MapDesc empty = mapDesc("@e", type(ValueKind::None), type(ValueKind::Int, 8, true));
  EXPECT_EQ(formatMap(empty, {}), "");
}

// bpftrace 0.17 here: @x[5]=50; @x[1]=100; @x[3]=10; @x[-1]=5 prints by value.
TEST(MapFormat, IntValuesSortAscendingByValue) {
  MapDesc d = mapDesc("@x", type(ValueKind::Int, 8, true), type(ValueKind::Int, 8, true));
  std::vector<MapEntry> entries = {
      entry(Value::makeInt(5), Value::makeInt(50)), entry(Value::makeInt(1), Value::makeInt(100)),
      entry(Value::makeInt(3), Value::makeInt(10)), entry(Value::makeInt(-1), Value::makeInt(5))};
  EXPECT_EQ(formatMap(d, entries), "@x[-1]: 5\n@x[3]: 10\n@x[5]: 50\n@x[1]: 100\n");
  MapDesc y = mapDesc("@y", type(ValueKind::String, 4), type(ValueKind::Int, 8, true));
  EXPECT_EQ(formatMap(y, {entry(Value::makeString("a"), Value::makeInt(1)),
                          entry(Value::makeString("b"), Value::makeInt(-3))}),
            "@y[b]: -3\n@y[a]: 1\n");
}

TEST(MapFormat, SignednessDecidesValueOrder) {
  MapDesc u = mapDesc("@u", type(ValueKind::Int, 8), type(ValueKind::Int, 8, false));
  EXPECT_EQ(formatMap(u, {entry(Value::makeUint(1), Value::makeUint(UINT64_MAX)),
                          entry(Value::makeUint(2), Value::makeUint(3))}),
            "@u[2]: 3\n@u[1]: 18446744073709551615\n");
}

TEST(MapFormat, CountsSortByValueTiesByKey) {
  MapDesc d = mapDesc("@", type(ValueKind::Int, 8, true), type(ValueKind::Count, 8), true);
  std::vector<MapEntry> entries = {entry(Value::makeInt(3), Value::makeCount(1)),
                                   entry(Value::makeInt(2), Value::makeCount(3)),
                                   entry(Value::makeInt(1), Value::makeCount(1))};
  EXPECT_EQ(formatMap(d, entries), "@[1]: 1\n@[3]: 1\n@[2]: 3\n");
}

TEST(MapFormat, OtherValuesSortByKey) {
  MapDesc d = mapDesc("@s", type(ValueKind::Int, 8, true), type(ValueKind::String, 8));
  EXPECT_EQ(formatMap(d, {entry(Value::makeInt(10), Value::makeString("a")),
                          entry(Value::makeInt(-2), Value::makeString("z"))}),
            "@s[-2]: z\n@s[10]: a\n");
}

TEST(MapFormat, TupleKeysLoseTheirParentheses) {
  MapDesc d = mapDesc("@x", type(ValueKind::Tuple), type(ValueKind::Tuple));
  Value k1 = Value::makeTuple({Value::makeInt(2), Value::makeString("a"), Value::makeInt(4)});
  Value k2 = Value::makeTuple({Value::makeInt(1), Value::makeString("b"),
                               Value::makeTuple({Value::makeInt(3), Value::makeInt(4)})});
  Value v = Value::makeTuple({Value::makeInt(1), Value::makeString("two")});
  EXPECT_EQ(formatMap(d, {entry(k1, v), entry(k2, v)}),
            "@x[1, b, (3, 4)]: (1, two)\n@x[2, a, 4]: (1, two)\n");
  MapDesc s = mapDesc("@", type(ValueKind::String, 8), type(ValueKind::String, 8));
  EXPECT_EQ(formatMap(s, {entry(Value::makeString("a b"), Value::makeString("v"))}), "@[a b]: v\n");
}

TEST(MapFormat, ExitDumpSeparatorAndNameOrder) {
  MapDesc x = mapDesc("@x", type(ValueKind::None), type(ValueKind::Int, 8, true));
  MapDesc a = mapDesc("@a", type(ValueKind::None), type(ValueKind::Int, 8, true));
  MapDesc anon = mapDesc("@", type(ValueKind::Int, 8, true), type(ValueKind::Int, 8, true));
  MapDesc empty = mapDesc("@m", type(ValueKind::Int, 8, true), type(ValueKind::Int, 8, true));
  std::vector<MapContents> maps = {
      {&x, {entry(Value{}, Value::makeInt(5))}},
      {&empty, {}},
      {&a, {entry(Value{}, Value::makeInt(-1))}},
      {&anon, {entry(Value::makeInt(1), Value::makeInt(2))}},
  };
  EXPECT_EQ(formatExitMaps(maps), "\n\n@[1]: 2\n@a: -1\n@x: 5\n");
  EXPECT_EQ(formatExitMaps({}), "\n\n");
  EXPECT_EQ(formatExitMaps({{&empty, {}}}), "\n\n");
}

TEST(MapFormat, PerCpuValuesAreSummed) {
  MapDesc d = mapDesc("@c", type(ValueKind::None), type(ValueKind::Count, 8), true);
  std::vector<uint8_t> bytes(16);
  uint64_t a = 3, b = 4;
  std::memcpy(bytes.data(), &a, 8);
  std::memcpy(bytes.data() + 8, &b, 8);
  EXPECT_EQ(formatValue(*decodeMapValue(d, bytes, 8, 2)), "7");
  EXPECT_FALSE(decodeMapValue(d, bytes, 8, 3)); // too short for 3 CPUs
}

TEST(MapFormat, PerCpuCopiesAreRoundedUpToEightBytes) {
  MapDesc d = mapDesc("@i", type(ValueKind::None), type(ValueKind::Int, 4, true), true);
  std::vector<uint8_t> bytes(24, 0xee);
  int32_t values[3] = {-5, 2, 1};
  for (int cpu = 0; cpu < 3; ++cpu)
    std::memcpy(bytes.data() + cpu * 8, &values[cpu], 4);
  EXPECT_EQ(formatValue(*decodeMapValue(d, bytes, 4, 3)), "-2");
}

TEST(MapFormat, NonPerCpuValue) {
  MapDesc d = mapDesc("@s", type(ValueKind::None), type(ValueKind::String, 4));
  std::vector<uint8_t> bytes = {'h', 'i', 0, 0};
  EXPECT_EQ(formatValue(*decodeMapValue(d, bytes, 4, 2)), "hi");
}
