// Golden tests: each tests/golden/ast/NAME.bt is parsed and its AST printed (followed
// by any diagnostics, rendered), then compared byte for byte with NAME.ast. With
// SCRY_UPDATE_GOLDEN=1 in the environment the .ast files are rewritten instead
// (scripts/update-golden.sh).
#include <gtest/gtest.h>

#include "../golden.h"
#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

class Golden : public testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpectedAst) {
  std::filesystem::path dir(SCRY_GOLDEN_DIR);
  std::filesystem::path input = dir / (GetParam() + ".bt");
  Parsed p(golden::readFile(input));
  golden::check(input, dir / (GetParam() + ".ast"), printed(p.program) + p.rendered());
}

INSTANTIATE_TEST_SUITE_P(Ast, Golden, testing::ValuesIn(golden::inputNames(SCRY_GOLDEN_DIR)),
                         golden::testName);

TEST(GoldenFiles, ThereAreSome) {
  EXPECT_GE(golden::inputNames(SCRY_GOLDEN_DIR).size(), 10u)
      << "no golden inputs found in " << SCRY_GOLDEN_DIR;
}

} // namespace
} // namespace scry::parser::test
