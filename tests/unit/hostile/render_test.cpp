// Rendering hostile text: control bytes never reach the terminal, long lines are shown
// as a window around the range, and a flood of errors is cut short.
#include <gtest/gtest.h>

#include <sstream>

#include "diag/diagnostics.h"

namespace scry::diag {
namespace {

TEST(HostileRender, ControlBytesBecomeQuestionMarks) {
  SourceFile file("stdin", std::string("BEGIN { \x1b[2J\0 }", 15));
  Diagnostics diags(&file);
  diags.error(DiagId::InvalidCharacter, {8, 9}, "bad \x1b[31m byte").hint("\x07hint");
  std::ostringstream out;
  diags.render(out);
  EXPECT_EQ(out.str(), "stdin:1:9-10: ERROR: bad ?[31m byte\n"
                       "BEGIN { ?[2J? }\n"
                       "        ~\n"
                       "HINT: ?hint\n");
}

TEST(HostileRender, LongLineShowsAWindow) {
  std::string text = std::string(5000, 'a') + " @x = ; " + std::string(5000, 'b');
  SourceFile file("stdin", text);
  Diagnostics diags(&file);
  diags.error(DiagId::SyntaxError, {5006, 5007}, "syntax error");
  std::ostringstream out;
  diags.render(out);
  std::istringstream lines(out.str());
  std::string header, shown, markers;
  std::getline(lines, header);
  std::getline(lines, shown);
  std::getline(lines, markers);
  EXPECT_EQ(header, "stdin:1:5007-5008: ERROR: syntax error");
  EXPECT_LE(shown.size(), 210u);
  EXPECT_TRUE(shown.starts_with("...aaa")) << shown;
  EXPECT_TRUE(shown.ends_with("bbb...")) << shown;
  // The marker is still under the `;`.
  ASSERT_EQ(markers.find('~'), markers.size() - 1);
  EXPECT_EQ(shown[markers.size() - 1], ';');
}

TEST(HostileRender, ManyLineRangeIsShortened) {
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += "line " + std::to_string(i) + "\n";
  SourceFile file("stdin", text);
  Diagnostics diags(&file);
  diags.error(DiagId::TypeMismatch, {0, static_cast<uint32_t>(text.size() - 1)}, "wide");
  std::ostringstream out;
  diags.render(out);
  EXPECT_EQ(out.str(), "stdin:1-1000: ERROR: wide\nline 0\nline 1\nline 2\nline 3\n...\n"
                       "line 999\n");
}

TEST(HostileRender, FloodOfErrorsIsCut) {
  SourceFile file("stdin", std::string(1000, '`'));
  Diagnostics diags(&file);
  for (uint32_t i = 0; i < 1000; ++i)
    diags.error(DiagId::InvalidCharacter, {i, i + 1}, "invalid character '`'");
  std::ostringstream out;
  diags.render(out);
  std::string text = out.str();
  EXPECT_NE(text.find("\nERROR: 950 more diagnostics not shown"), std::string::npos);
  EXPECT_EQ(diags.all().size(), 1000u); // all kept for tests and ids
}

} // namespace
} // namespace scry::diag
