// Golden tests: each tests/golden/ast/NAME.bt is parsed and its AST printed (followed
// by any diagnostics, rendered), then compared byte for byte with NAME.ast. With
// SCRY_UPDATE_GOLDEN=1 in the environment the .ast files are rewritten instead
// (scripts/update-golden.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> goldenNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(SCRY_GOLDEN_DIR, ec))
    if (entry.path().extension() == ".bt")
      names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool updating() {
  const char *env = std::getenv("SCRY_UPDATE_GOLDEN");
  return env && std::string(env) == "1";
}

class Golden : public testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpectedAst) {
  fs::path dir(SCRY_GOLDEN_DIR);
  fs::path input = dir / (GetParam() + ".bt");
  fs::path expected_path = dir / (GetParam() + ".ast");
  Parsed p(readFile(input));
  std::string actual = printed(p.program) + p.rendered();
  if (updating()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; run scripts/update-golden.sh";
  EXPECT_EQ(readFile(expected_path), actual)
      << "golden mismatch for " << input << "; if the change is intended, run "
      << "scripts/update-golden.sh and review the diff";
}

// Names are file stems; gtest accepts only letters, digits and '_'.
std::string testName(const testing::TestParamInfo<std::string> &info) {
  std::string name = info.param;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Ast, Golden, testing::ValuesIn(goldenNames()), testName);

TEST(GoldenFiles, ThereAreSome) {
  EXPECT_GE(goldenNames().size(), 10u) << "no golden inputs found in " << SCRY_GOLDEN_DIR;
}

} // namespace
} // namespace scry::parser::test
