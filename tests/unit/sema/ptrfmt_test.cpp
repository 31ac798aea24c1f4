// Issue #5: pointers kept in maps, tuples and variables remember that they print in
// hex (ast::Type::address()) while typing as uint64; config str_trunc_trailer.
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using testing::Checked;

TEST(PointerTypes, MapsAndTuplesKeepAnAddress) {
  Checked c("BEGIN { @v = curtask; @k[curtask] = 1; @t = (1, curtask); "
            "@u = (uint64)curtask; @i = 5; }");
  ASSERT_TRUE(c.diags.ok());
  EXPECT_TRUE(c.map("@v").isAddress());
  EXPECT_EQ(c.map("@v").str(), "uint64"); // an integer in messages and checks
  EXPECT_TRUE(c.analysis.maps.at("@k").key.isAddress());
  ASSERT_TRUE(c.map("@t").isTuple());
  EXPECT_FALSE(c.map("@t").elements()[0].isAddress());
  EXPECT_TRUE(c.map("@t").elements()[1].isAddress());
  EXPECT_FALSE(c.map("@u").isAddress()); // an explicit cast prints in decimal
  EXPECT_FALSE(c.map("@i").isAddress());
}

TEST(PointerTypes, AnAddressIsAUint64Otherwise) {
  EXPECT_EQ(ast::Type::address(), ast::Type::integer(64, false));
  EXPECT_TRUE(ast::Type::address().isInt());
  EXPECT_FALSE(ast::Type::integer(64, false).isAddress());
  // Integers still go into a map of pointers, and its values still compute.
  Checked c("BEGIN { @v = curtask; @v = 0; @k[curtask] = 1; @k[0] = 2; "
            "$x = @v + 1; if (@v == 0) { @n = sum(@v); } }");
  EXPECT_TRUE(c.diags.ok());
  EXPECT_TRUE(c.map("@v").isAddress());
}

TEST(StrTruncTrailer, ConfigBlockAndEnvironment) {
  EXPECT_EQ(Checked("BEGIN { }").analysis.config.str_trunc_trailer, "..");
  Checked block("config = { str_trunc_trailer = \"[...]\" } BEGIN { }");
  EXPECT_TRUE(block.diags.ok());
  EXPECT_EQ(block.warnings(), 0u);
  EXPECT_EQ(block.analysis.config.str_trunc_trailer, "[...]");
  Checked empty("config = { str_trunc_trailer = \"\" } BEGIN { }");
  EXPECT_TRUE(empty.diags.ok());
  EXPECT_EQ(empty.analysis.config.str_trunc_trailer, "");
  // The environment wins over the block, and may set it empty too.
  Checked env("config = { str_trunc_trailer = \"X\" } BEGIN { }", {},
              {{"BPFTRACE_STR_TRUNC_TRAILER", "~"}});
  EXPECT_TRUE(env.diags.ok());
  EXPECT_EQ(env.analysis.config.str_trunc_trailer, "~");
  Checked env_empty("BEGIN { }", {}, {{"BPFTRACE_STR_TRUNC_TRAILER", ""}});
  EXPECT_EQ(env_empty.analysis.config.str_trunc_trailer, "");
}

TEST(StrTruncTrailer, AnIntegerIsAnError) {
  Checked c("config = { str_trunc_trailer = 5 } BEGIN { }");
  EXPECT_TRUE(c.has(diag::DiagId::ConfigKey));
  EXPECT_FALSE(c.diags.ok());
  EXPECT_EQ(c.slice(0), "5");
}

} // namespace
} // namespace scry
