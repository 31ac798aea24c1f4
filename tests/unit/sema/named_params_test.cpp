// getopt() named parameters: declarations collected from the AST, command-line values
// applied with bpftrace's errors, the -- --help listing, and the checker's types and
// located errors.
#include <gtest/gtest.h>

#include "fake_types.h"
#include "parser/parse.h"
#include "sema/named_params.h"
#include "sema/sema.h"

namespace scry {
namespace {

using diag::DiagId;

// Parses and checks `text` with the command line's named arguments `args`.
struct Named {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  ast::Program *program = nullptr;
  sema::Analysis analysis;

  explicit Named(const std::string &text, std::vector<std::string> args = {})
      : file("stdin", text) {
    testing::FakeTypes types;
    program = parser::parse(file, ctx, diags);
    EXPECT_TRUE(diags.ok()) << "parse failed: " << text;
    auto probes = sema::expandAttachPoints(*program, types, diags);
    sema::Inputs inputs{&types, {}, {}, false};
    inputs.named_args = std::move(args);
    if (diags.ok())
      analysis = sema::resolveTypes(*program, ctx, probes, inputs, diags);
  }
  bool ok() const { return diags.errorCount() == 0; }
  const diag::Diagnostic &first() const { return diags.all().front(); }
  std::string slice() const { return std::string(file.slice(first().range)); }
  const ast::Type &map(const std::string &name) const { return analysis.maps.at(name).value; }
  const sema::NamedParam &param(const std::string &name) const {
    for (const auto &p : analysis.named_params)
      if (p.name == name)
        return p;
    throw std::out_of_range(name);
  }
};

std::string begin(const std::string &body) { return "BEGIN { " + body + " }"; }

TEST(NamedParams, TypesFollowTheDefault) {
  Named n(begin(R"(@a = getopt("a"); @b = getopt("b", true); @i = getopt("i", -3);
                   @s = getopt("s", "hello", "a string"); @n = getopt("n", 10);)"));
  ASSERT_TRUE(n.ok()) << n.first().message;
  EXPECT_EQ(n.map("@a").str(), "bool");
  EXPECT_EQ(n.map("@b").str(), "bool");
  EXPECT_EQ(n.map("@i").str(), "int64");
  EXPECT_EQ(n.map("@s").str(), "string[6]");
  EXPECT_EQ(n.param("i").int_value, -3);
  EXPECT_EQ(n.param("b").int_value, 1);
  EXPECT_EQ(n.param("s").description, "a string");
  ASSERT_EQ(n.analysis.named_params.size(), 5u); // in source order
  EXPECT_EQ(n.analysis.named_params[0].name, "a");
}

TEST(NamedParams, CommandLineValues) {
  Named n(begin(R"(@a = getopt("a"); @b = getopt("b", true); @i = getopt("i", 1);
                   @d = getopt("d", 0); @h = getopt("h", 0); @s = getopt("s", "x");)"),
          {"a", "b=false", "i=-20", "d=100ms", "h=0x10", "s=a=b"});
  ASSERT_TRUE(n.ok()) << n.first().message;
  EXPECT_EQ(n.param("a").int_value, 1);
  EXPECT_EQ(n.param("b").int_value, 0);
  EXPECT_EQ(n.param("i").int_value, -20);
  EXPECT_EQ(n.param("d").int_value, 100000000);
  EXPECT_EQ(n.param("h").int_value, 16);
  EXPECT_EQ(n.param("s").str_value, "a=b");
  EXPECT_EQ(n.map("@s").str(), "string[4]"); // sized by the value given
}

TEST(NamedParams, UnknownOptions) {
  Named n(begin(R"(@ = getopt("len", 8); @f = getopt("flag");)"), {"length=32", "x", "len=1"});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.first().id, DiagId::NamedParameter);
  EXPECT_FALSE(n.first().has_range);
  EXPECT_EQ(n.first().message, "unexpected program command line options: --length, --x");
  ASSERT_EQ(n.first().hints.size(), 1u);
  EXPECT_EQ(n.first().hints[0], "expected program options: --len, --flag");

  Named none(begin("exit();"), {"foo"});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.first().hints.at(0), "no custom program options defined.");
  EXPECT_TRUE(Named(begin("exit();"), {"help"}).ok()); // the driver's, not an option
}

TEST(NamedParams, BadValues) {
  struct Case {
    const char *script, *arg, *message;
  } cases[] = {
      {R"(@ = getopt("number", 5);)", "number=tomato",
       "program command line option --number expects an integer (value: tomato)"},
      {R"(@ = getopt("number", 5);)", "number",
       "program command line option --number expects an integer (value: true)"},
      {R"(@ = getopt("number", 5);)", "number=99999999999999999999",
       "program command line option --number expects an integer (value: 99999999999999999999)"},
      {R"(@ = getopt("f");)", "f=5",
       "program command line option --f expects a boolean (e.g. 'true') (value: 5)"},
      {R"(@ = getopt("s", "x");)", "s",
       "program command line option --s expects a string (value: true)"},
  };
  for (const auto &c : cases) {
    Named n(begin(c.script), {c.arg});
    ASSERT_FALSE(n.ok()) << c.arg;
    EXPECT_EQ(n.first().id, DiagId::NamedParameter);
    EXPECT_EQ(n.first().message, c.message);
  }
}

TEST(NamedParams, LocatedErrors) {
  Named name(begin(R"($n = "a"; @ = getopt($n);)"));
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.first().id, DiagId::ArgumentType);
  EXPECT_EQ(name.slice(), "$n");
  EXPECT_EQ(name.first().message, "First argument to 'getopt' must be a string literal.");

  Named def(begin(R"(@ = getopt("a", pid);)"));
  ASSERT_FALSE(def.ok());
  EXPECT_EQ(def.slice(), "pid");

  Named desc(begin(R"(@ = getopt("a", 1, 2);)"));
  ASSERT_FALSE(desc.ok());
  EXPECT_EQ(desc.slice(), "2");

  Named help(begin(R"(@ = getopt("help");)"));
  ASSERT_FALSE(help.ok());
  EXPECT_EQ(help.slice(), "\"help\"");

  Named arity(begin(R"(@ = getopt("a", 1, "d", 4);)"));
  ASSERT_FALSE(arity.ok());
  EXPECT_EQ(arity.first().id, DiagId::ArgumentCount);

  Named twice(begin(R"(@a = getopt("a", 1); @b = getopt("a", 2);)"));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.first().id, DiagId::NamedParameter);
  EXPECT_EQ(twice.slice(), R"(getopt("a", 2))");
  EXPECT_EQ(twice.first().message,
            "Command line option 'a' needs to have the same default value in all places it "
            "is used. Previous default value: 1");
  EXPECT_TRUE(Named(begin(R"(@a = getopt("a", 1); @b = getopt("a", 1, "x");)")).ok());
}

TEST(NamedParams, HelpListing) {
  Named n(begin(R"(@ = (getopt("aa", 10, "Description of aa"), getopt("bb", "x"),
                        getopt("cc"));)"));
  EXPECT_EQ(sema::namedParamsHelp(n.analysis.named_params),
            "PROGRAM OPTIONS (after --):\n"
            "    --aa=INT               Description of aa (default: 10)\n"
            "    --bb=STRING            (default: \"x\")\n"
            "    --cc[=BOOL]            (default: false)\n");
  EXPECT_EQ(sema::namedParamsHelp({}), "The script takes no program options.\n");
}

} // namespace
} // namespace scry
