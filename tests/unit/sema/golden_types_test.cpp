// Golden type dumps: each tests/golden/types/NAME.bt is type-checked against the fake
// type source and printed as `-d types` prints it (the AST, each expression followed by
// ` :: TYPE`), then any diagnostics; the result is compared byte for byte with
// NAME.types. With SCRY_UPDATE_GOLDEN=1 the .types files are rewritten instead
// (scripts/update-golden.sh).
#include <gtest/gtest.h>

#include <sstream>

#include "../golden.h"
#include "ast/printer.h"
#include "checked.h"

namespace scry {
namespace {

class GoldenTypes : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTypes, MatchesExpectedTypes) {
  std::filesystem::path dir(SCRY_GOLDEN_TYPES_DIR);
  std::filesystem::path input = dir / (GetParam() + ".bt");
  testing::Checked t(golden::readFile(input));
  std::ostringstream out;
  ast::print(t.program, out, [&](const ast::Node *n) { return t.analysis.typeLabel(n); });
  t.diags.render(out);
  golden::check(input, dir / (GetParam() + ".types"), out.str());
}

INSTANTIATE_TEST_SUITE_P(Types, GoldenTypes,
                         ::testing::ValuesIn(golden::inputNames(SCRY_GOLDEN_TYPES_DIR)),
                         golden::testName);

} // namespace
} // namespace scry
