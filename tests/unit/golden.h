// Golden files, shared by the AST goldens (tests/unit/parser) and the type goldens
// (tests/unit/sema): a directory's inputs, and an output compared byte for byte with
// its expected file, or written to it when SCRY_UPDATE_GOLDEN=1
// (scripts/update-golden.sh).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace scry::golden {

// The stems of `dir`'s *.bt files, sorted.
inline std::vector<std::string> inputNames(const std::filesystem::path &dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".bt")
      names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

inline std::string readFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Expects `actual` to equal the file `expected`, or rewrites that file when updating.
inline void check(const std::filesystem::path &input, const std::filesystem::path &expected,
                  const std::string &actual) {
  const char *update = std::getenv("SCRY_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(expected, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(expected))
      << expected << " is missing; run scripts/update-golden.sh";
  EXPECT_EQ(readFile(expected), actual)
      << "golden mismatch for " << input << "; if the change is intended, run "
      << "scripts/update-golden.sh and review the diff";
}

// Test names are file stems; gtest accepts only letters, digits and '_'.
inline std::string testName(const ::testing::TestParamInfo<std::string> &info) {
  std::string name = info.param;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return name;
}

} // namespace scry::golden
