// `import "x.bt";`: files are parts of the SourceFile, loaded once, their probes first.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

class Imports : public ::testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/scry-imports-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string &name, const std::string &text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(Imports, LibraryProbesComeFirstAndEachFileLoadsOnce) {
  write("a.bt", "import \"b.bt\";\nBEGIN { @a = 1 }\n");
  write("b.bt", "import \"a.bt\";\nmacro m() { 1 }\nBEGIN { @b = m() }\n");
  diag::SourceFile file("stdin", "import \"a.bt\"; import \"b.bt\";\nEND { @main = 1 }");
  diag::Diagnostics diags(&file);
  ast::Context ctx;
  ast::Program *program = parse(file, ctx, diags, dir_);
  ASSERT_TRUE(diags.ok());
  ASSERT_EQ(program->probes.size(), 3u);
  ASSERT_EQ(file.parts().size(), 3u);
  EXPECT_EQ(file.nameAt(program->probes[0]->range.begin), dir_ + "/b.bt");
  EXPECT_EQ(file.nameAt(program->probes[1]->range.begin), dir_ + "/a.bt");
  EXPECT_EQ(file.partIndex(program->probes[2]->range.begin), 0u);
  EXPECT_EQ(file.lineCol(program->probes[0]->range.begin).line, 3u);
}

TEST_F(Imports, MissingFileIsReportedAtTheString) {
  diag::SourceFile file("stdin", "import \"none.bt\";\nBEGIN { }");
  diag::Diagnostics diags(&file);
  ast::Context ctx;
  parse(file, ctx, diags, dir_);
  ASSERT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diag::diagIdName(diags.all()[0].id), std::string("ImportFailed"));
  EXPECT_EQ(diags.all()[0].range.begin, 7u);
  EXPECT_EQ(diags.all()[0].range.end, 16u);
}

} // namespace
} // namespace scry::parser::test
