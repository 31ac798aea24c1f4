// Issue #5: what codegen tells the runtime about pointers (ValueKind::Pointer for map
// keys, values, tuple fields, print() and printf arguments) and about the trailer of
// strings cut at max_strlen (config str_trunc_trailer). Hermetic: nothing is loaded.
#include <gtest/gtest.h>

#include "../sema/fake_types.h"
#include "codegen/codegen.h"
#include "codegen/value_types.h"
#include "parser/parse.h"

namespace scry {
namespace {

using object::ValueKind;

struct Compiled {
  object::BpfObject object;
  bool ok = false;

  explicit Compiled(const std::string &text,
                    std::vector<std::pair<std::string, std::string>> env = {}) {
    diag::SourceFile file("stdin", text);
    diag::Diagnostics diags(&file);
    ast::Context ctx;
    testing::FakeTypes types;
    auto *program = parser::parse(file, ctx, diags);
    auto probes = sema::expandAttachPoints(*program, types, diags);
    sema::Inputs inputs;
    inputs.types = &types;
    inputs.environment = std::move(env);
    auto analysis = sema::resolveTypes(*program, ctx, probes, inputs, diags);
    EXPECT_TRUE(diags.ok());
    std::string error;
    ok = codegen::compile(*program, probes, analysis, file, codegen::Options{}, object, error);
    EXPECT_TRUE(ok) << error;
  }

  const object::MapDesc &map(const std::string &name) const {
    for (const auto &m : object.maps)
      if (m.name == name)
        return m;
    ADD_FAILURE() << "no map " << name;
    return object.maps.front();
  }
};

TEST(PointerValueTypes, TypesLowerToPointer) {
  ast::Type task = ast::Type::pointer(ast::Type::integer(8, false), ast::AddrSpace::Kernel);
  EXPECT_EQ(codegen::toValueType(task).kind, ValueKind::Pointer);
  EXPECT_EQ(codegen::toValueType(task).size, 8u);
  EXPECT_EQ(codegen::toValueType(ast::Type::address()).kind, ValueKind::Pointer);
  EXPECT_EQ(codegen::toValueType(ast::Type::integer(64, false)).kind, ValueKind::Int);
}

TEST(PointerValueTypes, MapsRecordsAndPrintf) {
  Compiled c("BEGIN { @v = curtask; @k[curtask] = 1; @t = (1, curtask); "
             "@u = (uint64)curtask; print(curtask); print((2, curtask)); "
             "printf(\"%p %d %s\\n\", curtask, curtask, (uint64)curtask); }");
  EXPECT_EQ(c.map("@v").value.kind, ValueKind::Pointer);
  EXPECT_EQ(c.map("@k").key.kind, ValueKind::Pointer);
  EXPECT_EQ(c.map("@k").key_size, 8u);
  ASSERT_EQ(c.map("@t").value.fields.size(), 2u);
  EXPECT_EQ(c.map("@t").value.fields[0].kind, ValueKind::Int);
  EXPECT_EQ(c.map("@t").value.fields[1].kind, ValueKind::Pointer);
  EXPECT_EQ(c.map("@u").value.kind, ValueKind::Int);
  ASSERT_EQ(c.object.print_values.size(), 2u);
  EXPECT_EQ(c.object.print_values[0].kind, ValueKind::Pointer);
  EXPECT_EQ(c.object.print_values[1].fields.at(1).kind, ValueKind::Pointer);
  ASSERT_EQ(c.object.printfs.size(), 1u);
  const auto &args = c.object.printfs[0].args;
  ASSERT_EQ(args.size(), 3u);
  EXPECT_EQ(args[0].kind, ValueKind::Pointer);
  EXPECT_EQ(args[1].kind, ValueKind::Pointer);
  EXPECT_EQ(args[2].kind, ValueKind::Int);
}

TEST(StrTruncTrailerCodegen, TruncatableStringsCarryTheTrailer) {
  Compiled dflt("BEGIN { @s = str(0); }");
  EXPECT_TRUE(dflt.map("@s").value.truncatable);
  EXPECT_EQ(dflt.map("@s").value.trunc_trailer, "..");
  Compiled set("config = { str_trunc_trailer = \"~\" } BEGIN { @s[str(0)] = 1; "
               "printf(\"%s\\n\", str(0)); print(str(0)); }");
  EXPECT_EQ(set.map("@s").key.trunc_trailer, "~");
  EXPECT_EQ(set.object.printfs.at(0).args.at(0).trunc_trailer, "~");
  EXPECT_EQ(set.object.print_values.at(0).trunc_trailer, "~");
  Compiled env("BEGIN { @s = str(0); }", {{"BPFTRACE_STR_TRUNC_TRAILER", ""}});
  EXPECT_TRUE(env.map("@s").value.truncatable);
  EXPECT_EQ(env.map("@s").value.trunc_trailer, "");
}

} // namespace
} // namespace scry
