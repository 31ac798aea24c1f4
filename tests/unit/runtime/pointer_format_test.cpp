// Pointers and truncated strings as the runtime prints them (issue #5): pointers in hex
// in text (values, keys, tuples), numeric in JSON values, unchanged under printf's
// integer conversions; the str_trunc_trailer text after a string cut at max_strlen.
#include <gtest/gtest.h>

#include "runtime/bytes_format.h"
#include "runtime/map_format.h"
#include "runtime/map_print.h"
#include "runtime/printf_format.h"

using namespace scry::runtime;
using scry::object::MapDesc;
using scry::object::ValueKind;
using scry::object::ValueType;

namespace {

ValueType type(ValueKind kind, uint32_t size) {
  ValueType t;
  t.kind = kind;
  t.size = size;
  return t;
}

std::vector<uint8_t> le64(uint64_t v) {
  std::vector<uint8_t> bytes(8);
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<uint8_t>(v >> (8 * i));
  return bytes;
}

MapDesc mapDesc(ValueType key, ValueType value) {
  MapDesc d;
  d.name = "@m";
  d.elf_name = "m";
  d.key_size = key.kind == ValueKind::None ? 8 : valueSize(key);
  d.key = std::move(key);
  d.value = std::move(value);
  return d;
}

constexpr uint64_t kKernelAddress = 0xffffffff8285fa60ULL;

} // namespace

TEST(PointerFormat, HexWithoutPadding) {
  EXPECT_EQ(formatPointer(0), "0x0");
  EXPECT_EQ(formatPointer(0x32), "0x32");
  EXPECT_EQ(formatPointer(kKernelAddress), "0xffffffff8285fa60");
}

TEST(PointerFormat, DecodedPointersPrintInHex) {
  auto v = decodeValue(type(ValueKind::Pointer, 8), le64(kKernelAddress));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, ValueKind::Pointer);
  EXPECT_EQ(v->bits, kKernelAddress);
  EXPECT_EQ(formatValue(*v), "0xffffffff8285fa60");
  EXPECT_EQ(formatValue(*decodeValue(type(ValueKind::Pointer, 8), le64(0))), "0x0");
  // Only 8 bytes make a pointer.
  EXPECT_FALSE(decodeValue(type(ValueKind::Pointer, 4), le64(1)));
  // An integer of the same bits stays decimal: (uint64)ptr.
  EXPECT_EQ(formatValue(*decodeValue(type(ValueKind::Int, 8), le64(kKernelAddress))),
            "18446744071604402784");
}

TEST(PointerFormat, TuplesAndRecords) {
  Value tuple = Value::makeTuple({Value::makeInt(1), Value::makePointer(kKernelAddress)});
  EXPECT_EQ(formatValue(tuple), "(1, 0xffffffff8285fa60)");
  tuple.names = {"a", "p"};
  EXPECT_EQ(formatValue(tuple), "{ .a = 1, .p = 0xffffffff8285fa60 }");
}

TEST(PointerFormat, SortsByAddress) {
  EXPECT_LT(compareValues(Value::makePointer(0x10), Value::makePointer(kKernelAddress)), 0);
  EXPECT_GT(compareValues(Value::makePointer(0x100), Value::makePointer(0x20)), 0);
  EXPECT_EQ(compareValues(Value::makePointer(7), Value::makePointer(7)), 0);
}

TEST(PointerFormat, MapKeysAndValuesInText) {
  MapDesc keyed = mapDesc(type(ValueKind::Pointer, 8), type(ValueKind::Int, 8));
  std::vector<MapEntry> entries = {{Value::makePointer(kKernelAddress), Value::makeUint(1)},
                                   {Value::makePointer(0x20), Value::makeUint(1)}};
  // Equal values: ordered by key, numerically (0x20 before 0xffff...).
  EXPECT_EQ(formatMap(keyed, entries), "@m[0x20]: 1\n@m[0xffffffff8285fa60]: 1\n");
  MapDesc values = mapDesc(type(ValueKind::Int, 8), type(ValueKind::Pointer, 8));
  entries = {{Value::makeUint(1), Value::makePointer(0x300)},
             {Value::makeUint(2), Value::makePointer(0x40)}};
  // Pointer values sort the map by value, as integers do.
  EXPECT_EQ(formatMap(values, entries), "@m[2]: 0x40\n@m[1]: 0x300\n");
  MapDesc scalar = mapDesc(type(ValueKind::None, 0), type(ValueKind::Pointer, 8));
  EXPECT_EQ(formatMap(scalar, {{Value{}, Value::makePointer(0)}}), "@m: 0x0\n");
}

TEST(PointerFormat, JsonKeysAreHexValuesAreNumbers) {
  // bpftrace 0.22+ (#3475) writes a pointer value as its number (a string when a double
  // cannot hold it exactly); keys are text, so a pointer key is its hex form.
  ValueType ptr = type(ValueKind::Pointer, 8);
  EXPECT_EQ(jsonValue(ptr, Value::makePointer(0x32)), "50");
  EXPECT_EQ(jsonValue(ptr, Value::makePointer(0)), "0");
  EXPECT_EQ(jsonValue(ptr, Value::makePointer(kKernelAddress)), "\"18446744071604402784\"");
  MapDesc keyed = mapDesc(ptr, type(ValueKind::Int, 8));
  EXPECT_EQ(jsonMap(keyed, {{Value::makePointer(kKernelAddress), Value::makeUint(1)}}),
            "{\"type\": \"map\", \"data\": {\"@m\": {\"0xffffffff8285fa60\": 1}}}\n");
  ValueType tuple;
  tuple.kind = ValueKind::Tuple;
  tuple.fields = {type(ValueKind::Int, 8), ptr};
  tuple.offsets = {0, 8};
  MapDesc tuple_keyed = mapDesc(tuple, ptr);
  Value key = Value::makeTuple({Value::makeUint(1), Value::makePointer(0x20)});
  EXPECT_EQ(jsonMap(tuple_keyed, {{key, Value::makePointer(0x32)}}),
            "{\"type\": \"map\", \"data\": {\"@m\": {\"1,0x20\": 50}}}\n");
  EXPECT_EQ(jsonValue(tuple, key), "[1,32]");
}

TEST(PointerFormat, PrintfIntegerConversionsUnchanged) {
  std::vector<Value> args = {Value::makePointer(kKernelAddress)};
  EXPECT_EQ(formatPrintf("%d", args), "-2105148832");
  EXPECT_EQ(formatPrintf("%u", args), "18446744071604402784");
  EXPECT_EQ(formatPrintf("%x", args), "ffffffff8285fa60");
  EXPECT_EQ(formatPrintf("%p", args), "0xffffffff8285fa60");
  EXPECT_EQ(formatPrintf("%s", args), "0xffffffff8285fa60");
  std::vector<Value> null = {Value::makePointer(0)};
  EXPECT_EQ(formatPrintf("%p %d %s", {null[0], null[0], null[0]}), "0 0 0x0");
}

TEST(StrTruncTrailer, TheConfiguredTextFollowsACutString) {
  ValueType t = type(ValueKind::String, 5);
  t.truncatable = true;
  std::vector<uint8_t> full = {'/', 'b', 'i', 'n', 0};
  std::vector<uint8_t> fits = {'/', 'b', 'i', 0, 0};
  t.trunc_trailer = "[cut]";
  EXPECT_EQ(formatValue(*decodeValue(t, full)), "/bin[cut]");
  EXPECT_EQ(formatValue(*decodeValue(t, fits)), "/bi");
  t.trunc_trailer = ""; // str_trunc_trailer = "": no trailer
  EXPECT_EQ(formatValue(*decodeValue(t, full)), "/bin");
}
