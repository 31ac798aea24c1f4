// Golden type dumps: each tests/golden/types/NAME.bt is type-checked against the fake
// type source and printed as `-d types` prints it (the AST, each expression followed by
// ` :: TYPE`), then any diagnostics; the result is compared byte for byte with
// NAME.types. With SCRY_UPDATE_GOLDEN=1 the .types files are rewritten instead
// (scripts/update-golden.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ast/printer.h"
#include "checked.h"

namespace scry {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> goldenNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(SCRY_GOLDEN_TYPES_DIR, ec))
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

class GoldenTypes : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTypes, MatchesExpectedTypes) {
  fs::path dir(SCRY_GOLDEN_TYPES_DIR);
  fs::path input = dir / (GetParam() + ".bt");
  fs::path expected_path = dir / (GetParam() + ".types");
  testing::Checked t(readFile(input));
  std::ostringstream out;
  ast::print(t.program, out, [&](const ast::Node *n) {
    bool typed = n->id() < t.analysis.types.size() && !t.analysis.types[n->id()].isNone();
    return typed ? t.analysis.types[n->id()].str() : std::string();
  });
  t.diags.render(out);
  const char *update = std::getenv("SCRY_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << out.str();
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; run scripts/update-golden.sh";
  EXPECT_EQ(readFile(expected_path), out.str())
      << "golden mismatch for " << input << "; if the change is intended, run "
      << "scripts/update-golden.sh and review the diff";
}

std::string testName(const ::testing::TestParamInfo<std::string> &info) {
  std::string name = info.param;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Types, GoldenTypes, ::testing::ValuesIn(goldenNames()), testName);

} // namespace
} // namespace scry
