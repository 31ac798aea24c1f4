// Integer arrays as values and array casts (issue 3): `(uint8[8])n`, `(uint64)$a`,
// `T[]`, arrays in variables, maps, tuples, indexing and ==.
#include "checked.h"

namespace scry::testing {
namespace {

TEST(ArrayCasts, IntegerToArrayAndBack) {
  Checked c("BEGIN { $a = (int8[8])12345; $x = (uint64)$a; $p = (uint32)pton(\"127.0.0.1\"); }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "int8[8]");
  EXPECT_EQ(c.valueType(1), "uint64");
  EXPECT_EQ(c.valueType(2), "uint32");
}

TEST(ArrayCasts, InferredSizeFollowsTheValue) {
  // A literal's smallest type (bpftrace 0.26), a 32-bit field's 4 bytes.
  Checked c("BEGIN { $a = (uint8[])0x0100007f; $b = (uint16[])1; $c = (uint8[])(uint32)7; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "uint8[4]");
  EXPECT_EQ(c.valueType(1), "uint16[1]");
  EXPECT_EQ(c.valueType(2), "uint8[4]");
}

TEST(ArrayCasts, SizesMustMatch) {
  Checked c("BEGIN { $a = (uint8[4])(uint64)1; }");
  ASSERT_TRUE(c.has(diag::DiagId::InvalidCast));
  EXPECT_EQ(c.message(), "Cannot cast from \"uint64\" to \"uint8[4]\"");
  EXPECT_EQ(c.slice(0), "(uint8[4])"); // bpftrace underlines the cast's type
  Checked back("BEGIN { $a = (uint64)pton(\"::1\"); }");
  EXPECT_EQ(back.message(), "Cannot cast from \"uint8[16]\" to \"uint64\"");
  Checked odd("BEGIN { $a = (uint8[3])1; }");
  EXPECT_TRUE(odd.has(diag::DiagId::InvalidCast));
}

TEST(ArrayCasts, OnlyIntegersAndIntegerArrays) {
  EXPECT_TRUE(Checked("BEGIN { $a = (uint8[])\"abc\"; }").has(diag::DiagId::InvalidCast));
  EXPECT_TRUE(Checked("BEGIN { $a = (struct task_struct[2])1; }").has(diag::DiagId::UnknownType));
  Checked no_size("BEGIN { $x = sizeof(uint8[]); }");
  EXPECT_EQ(no_size.message(), "The array type 'uint8[]' has no size");
  EXPECT_EQ(Checked("BEGIN { $x = sizeof(uint32[4]); }").analysis.constants.size(), 1u);
}

TEST(ArrayValues, StoredInVariablesMapsAndTuples) {
  Checked c("BEGIN { $a = pton(\"1.2.3.4\"); @m = $a; @k[$a, 1] = 2; @t = (1, $a); "
            "$e = $a[1]; $i = 2; $f = $a[$i]; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.map("@m").str(), "uint8[4]");
  EXPECT_EQ(c.analysis.maps.at("@k").key.str(), "(uint8[4], int64)");
  EXPECT_EQ(c.map("@t").str(), "(int64, uint8[4])");
  EXPECT_EQ(c.valueType(4), "uint8");
}

TEST(ArrayValues, CompareOnlyEqualTypes) {
  Checked ok("BEGIN { $x = pton(\"1.2.3.4\") == (uint8[4])0x04030201; }");
  EXPECT_TRUE(ok.diags.ok()) << ok.message();
  Checked mixed("BEGIN { if (pton(\"::1\") == pton(\"1.2.3.4\")) {} }");
  EXPECT_EQ(mixed.message(), "Type mismatch for '==': comparing 'uint8[16]' with 'uint8[4]'");
  EXPECT_TRUE(Checked("BEGIN { $x = pton(\"1.2.3.4\") < pton(\"1.2.3.5\"); }")
                  .has(diag::DiagId::TypeMismatch));
}

TEST(ArrayValues, IndexOutOfBoundsAndArraysOfArrays) {
  Checked out("BEGIN { $a = pton(\"1.2.3.4\"); $x = $a[4]; }");
  EXPECT_EQ(out.message(), "Index 4 is out of bounds for 'uint8[4]' (4 elements)");
  Checked inner("struct B { int y[2][2]; } BEGIN { $b = ((struct B *)0)->y; $x = $b[1][0]; "
                "$i = 1; $z = $b[$i]; }");
  ASSERT_EQ(inner.diags.all().size(), 1u);
  EXPECT_EQ(inner.message(), "An array of arrays is indexed by integer literals");
  EXPECT_EQ(inner.slice(0), "$b[$i]");
}

TEST(ArrayValues, DeclaredWithLet) {
  Checked c("BEGIN { let $a: uint8[4]; $a = pton(\"1.2.3.4\"); let $b: int32[2] = (int32[2])1; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  Checked wrong("BEGIN { let $a: uint8[4]; $a = pton(\"::1\"); }");
  EXPECT_TRUE(wrong.has(diag::DiagId::VariableTypeMismatch));
  EXPECT_EQ(Checked("BEGIN { let $a: uint8[]; }").message(), "The array type 'uint8[]' has no size");
}

// Kernel integer typedefs are type names (bpftrace: "casting to some of the kernel's
// fixed integer types"), in casts too, without BTF.
TEST(TypedefNames, IntegerTypedefsCastAndDeclare) {
  Checked c("BEGIN { $a = (uint64_t)1; let $p: pid_t = 1; $b = (__be16)1; $s = sizeof(size_t); "
            "$c = (uint8_t[4])1; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "uint64");
  EXPECT_EQ(c.valueType(2), "uint16");
  EXPECT_EQ(c.valueType(4), "uint8[4]");
  Checked unknown("BEGIN { let $x: nosuch_t = 1; }");
  EXPECT_EQ(unknown.message(), "Unknown type: nosuch_t");
}

} // namespace
} // namespace scry::testing
