// bpftrace's byte-type casts and typeinfo() (issue 3): `(string[N])s` widens a string;
// `(buffer[N])`, `(inet)` are refused as bpftrace refuses them; typeinfo(expr) needs
// `unstable_typeinfo`.
#include "checked.h"

namespace scry::testing {
namespace {

TEST(StringCasts, WidenAString) {
  Checked c("BEGIN { $a = (string[10])\"hello\"; $b = (string[32])comm; @m[(string[8])\"ab\"] = 1; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "string[10]");
  EXPECT_EQ(c.valueType(1), "string[32]");
  EXPECT_EQ(c.map("@m").str(), "int64");
}

TEST(StringCasts, NarrowingIsRefused) {
  Checked c("BEGIN { $a = (string[2])\"hello\"; }");
  ASSERT_TRUE(c.has(diag::DiagId::InvalidCast));
  EXPECT_EQ(c.message(), "Cannot cast from \"string[6]\" to \"string[2]\"");
  EXPECT_EQ(c.slice(0), "(string[2])");
}

TEST(StringCasts, OnlyStringsBecomeStrings) {
  Checked c("BEGIN { $a = (string[2])5; }");
  ASSERT_TRUE(c.has(diag::DiagId::InvalidCast));
  EXPECT_EQ(c.message(), "Cannot cast from \"int64\" to \"string[2]\"");
  Checked unsized("BEGIN { $a = (string)5; }");
  EXPECT_EQ(unsized.message(), "Cannot cast from \"int64\" to \"string\"");
  EXPECT_EQ(unsized.slice(0), "(string)");
  EXPECT_TRUE(Checked("BEGIN { $a = (string)\"a\"; }").has(diag::DiagId::InvalidCast));
}

TEST(ByteCasts, BufferAndInetAreRefused) {
  Checked buffer("BEGIN { $a = (buffer[16])\"abc\"; }");
  EXPECT_EQ(buffer.message(), "Cannot cast from \"string[4]\" to \"buffer[16]\"");
  EXPECT_EQ(buffer.slice(0), "(buffer[16])");
  Checked inet("BEGIN { $a = (inet)1; }");
  EXPECT_EQ(inet.message(), "Cannot cast from \"int64\" to \"inet[0]\"");
  Checked sized("BEGIN { $a = (inet[16])pton(\"::1\"); }");
  EXPECT_EQ(sized.message(), "Cannot cast from \"uint8[16]\" to \"inet[16]\"");
}

TEST(ByteCasts, DeclarationsAndFieldNames) {
  EXPECT_TRUE(Checked("BEGIN { let $b: buffer[8]; }").has(diag::DiagId::UnknownType));
  // The type names stay usable as field names.
  Checked field("struct S { char buffer[8]; int inet; } BEGIN { $p = (struct S *)0; "
                "$x = $p->inet; $y = offsetof(struct S, buffer); }");
  EXPECT_TRUE(field.diags.ok()) << field.message();
}

TEST(Typeinfo, RefusedByDefault) {
  Checked c("BEGIN { print(typeinfo(1)); }");
  ASSERT_TRUE(c.has(diag::DiagId::UnstableFeature));
  EXPECT_EQ(c.message(), "typeinfo feature is not enabled by default. To enable this unstable "
                         "feature, set the config flag to enable. unstable_typeinfo=enable");
  EXPECT_EQ(c.slice(0), "typeinfo(1)");
}

TEST(Typeinfo, WarnsOnceWhenAskedTo) {
  Checked c("config = { unstable_typeinfo = warn } BEGIN { $a = typeinfo(1); $b = typeinfo(2); }");
  EXPECT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.diags.all().size(), 1u);
  EXPECT_TRUE(c.has(diag::DiagId::UnstableFeature));
}

TEST(Typeinfo, IsARecordOfNames) {
  Checked c("config = { unstable_typeinfo = enable } BEGIN { $a = typeinfo(comm); "
            "$b = typeinfo((int32 *)0).full_type; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "(btf_id=uint64, base_type=string[7], full_type=string[11])");
  EXPECT_EQ(c.valueType(1), "string[8]"); // "int32 *"
}

TEST(Typeinfo, BadConfigValue) {
  Checked c("config = { unstable_typeinfo = maybe } BEGIN { }");
  ASSERT_TRUE(c.has(diag::DiagId::ConfigKey));
  EXPECT_EQ(c.message(),
            "Invalid value for config key unstable_typeinfo: expected enable, warn or error");
}

} // namespace
} // namespace scry::testing
