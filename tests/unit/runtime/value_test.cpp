// Value decoding from bytes, text form and ordering.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/map_print.h"
#include "runtime/value.h"

using namespace scry::runtime;
using scry::object::ValueKind;
using scry::object::ValueType;

namespace {

ValueType intType(uint32_t size, bool is_signed) {
  ValueType t;
  t.kind = ValueKind::Int;
  t.size = size;
  t.is_signed = is_signed;
  return t;
}

ValueType stringType(uint32_t size) {
  ValueType t;
  t.kind = ValueKind::String;
  t.size = size;
  return t;
}

ValueType tupleType(std::vector<ValueType> fields, std::vector<uint32_t> offsets) {
  ValueType t;
  t.kind = ValueKind::Tuple;
  t.fields = std::move(fields);
  t.offsets = std::move(offsets);
  return t;
}

template <typename T> std::vector<uint8_t> bytesOf(T v) {
  std::vector<uint8_t> b(sizeof(T));
  std::memcpy(b.data(), &v, sizeof(T));
  return b;
}

} // namespace

TEST(Value, DecodesIntsOfEveryWidth) {
  EXPECT_EQ(formatValue(*decodeValue(intType(1, true), bytesOf<int8_t>(-1))), "-1");
  EXPECT_EQ(formatValue(*decodeValue(intType(1, false), bytesOf<uint8_t>(255))), "255");
  EXPECT_EQ(formatValue(*decodeValue(intType(2, true), bytesOf<int16_t>(-300))), "-300");
  EXPECT_EQ(formatValue(*decodeValue(intType(4, false), bytesOf<uint32_t>(4294967295U))),
            "4294967295");
  EXPECT_EQ(formatValue(*decodeValue(intType(8, true), bytesOf<int64_t>(INT64_MIN))),
            "-9223372036854775808");
  auto v = decodeValue(intType(4, true), bytesOf<int32_t>(-2));
  EXPECT_EQ(v->asSigned(), -2);
  EXPECT_EQ(v->size, 4U);
}

TEST(Value, RejectsShortInputAndOddSizes) {
  EXPECT_FALSE(decodeValue(intType(8, true), bytesOf<int32_t>(1)));
  EXPECT_FALSE(decodeValue(intType(3, true), bytesOf<int32_t>(1)));
}

TEST(Value, BoolStringCount) {
  ValueType b;
  b.kind = ValueKind::Bool;
  EXPECT_EQ(formatValue(*decodeValue(b, bytesOf<uint8_t>(1))), "true");
  EXPECT_EQ(formatValue(*decodeValue(b, bytesOf<uint8_t>(0))), "false");
  std::vector<uint8_t> s = {'a', ' ', 'b', 0, 'z', 'z', 0, 0};
  EXPECT_EQ(formatValue(*decodeValue(stringType(8), s)), "a b");
  std::vector<uint8_t> full = {'a', 'b', 'c', 'd'};
  EXPECT_EQ(formatValue(*decodeValue(stringType(4), full)), "abcd");
  ValueType c;
  c.kind = ValueKind::Count;
  EXPECT_EQ(valueSize(c), 8U);
  EXPECT_EQ(formatValue(*decodeValue(c, bytesOf<uint64_t>(42))), "42");
}

TEST(Value, TuplesNestAndKeepParentheses) {
  ValueType inner = tupleType({intType(4, true), intType(4, true)}, {0, 4});
  ValueType outer = tupleType({intType(8, true), stringType(4), inner}, {0, 8, 12});
  EXPECT_EQ(valueSize(outer), 20U);
  std::vector<uint8_t> bytes(20, 0);
  int64_t one = 1;
  int32_t three = 3, four = -4;
  std::memcpy(bytes.data(), &one, 8);
  std::memcpy(bytes.data() + 8, "two", 3);
  std::memcpy(bytes.data() + 12, &three, 4);
  std::memcpy(bytes.data() + 16, &four, 4);
  EXPECT_EQ(formatValue(*decodeValue(outer, bytes)), "(1, two, (3, -4))");
  bytes.resize(19);
  EXPECT_FALSE(decodeValue(outer, bytes));
}

TEST(Value, ArraysPrintInBracketsAndNest) {
  ValueType row;
  row.kind = ValueKind::Array;
  row.size = 8;
  row.fields = {intType(4, true)};
  ValueType grid = row;
  grid.size = 16;
  grid.fields = {row};
  std::vector<uint8_t> bytes(16);
  int32_t values[4] = {5, -6, 7, 8};
  std::memcpy(bytes.data(), values, 16);
  auto decoded = decodeValue(grid, bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(formatValue(*decoded), "[[5,-6],[7,8]]");
  EXPECT_EQ(jsonValue(grid, *decoded), "[[5,-6],[7,8]]");
  auto flat = decodeValue(row, bytes);
  auto second = decodeValue(row, std::span<const uint8_t>(bytes).subspan(8));
  EXPECT_LT(compareValues(*flat, *second), 0); // element by element, as tuples
  bytes.resize(15);
  EXPECT_FALSE(decodeValue(grid, bytes));
}

TEST(Value, Ordering) {
  EXPECT_LT(compareValues(Value::makeInt(-1), Value::makeInt(1)), 0);
  EXPECT_GT(compareValues(Value::makeUint(UINT64_MAX), Value::makeUint(1)), 0);
  EXPECT_LT(compareValues(Value::makeString("a"), Value::makeString("b")), 0);
  EXPECT_LT(compareValues(Value::makeString("a"), Value::makeString("ab")), 0);
  EXPECT_GT(compareValues(Value::makeString("\xff"), Value::makeString("a")), 0); // bytewise
  Value t1 = Value::makeTuple({Value::makeInt(1), Value::makeString("b")});
  Value t2 = Value::makeTuple({Value::makeInt(1), Value::makeString("c")});
  Value t3 = Value::makeTuple({Value::makeInt(2), Value::makeString("a")});
  EXPECT_LT(compareValues(t1, t2), 0);
  EXPECT_LT(compareValues(t2, t3), 0);
  EXPECT_EQ(compareValues(t1, t1), 0);
}
