// Rendering of diagnostics in bpftrace's format.
#include <gtest/gtest.h>

#include <sstream>

#include "diag/diagnostics.h"

using namespace scry::diag;

TEST(Diagnostics, RendersRangeWithTildes) {
  SourceFile file("stdin", "BEGIN { @x = 1 +; }");
  Diagnostics diags(&file);
  diags.error(DiagId::SyntaxError, {15, 17}, "syntax error, unexpected ;");
  std::ostringstream out;
  diags.render(out);
  EXPECT_EQ(out.str(), "stdin:1:16-18: ERROR: syntax error, unexpected ;\n"
                       "BEGIN { @x = 1 +; }\n"
                       "               ~~\n");
  EXPECT_FALSE(diags.ok());
}

TEST(Diagnostics, SecondLineAndHint) {
  SourceFile file("t.bt", "BEGIN {\n  @y = nofunc(1);\n}\n");
  Diagnostics diags(&file);
  diags.error(DiagId::UnknownFunction, {15, 21}, "Unknown function: nofunc").hint("did you mean 'x'?");
  EXPECT_EQ(renderOne(diags.all()[0], &file), "t.bt:2:8-14: ERROR: Unknown function: nofunc\n"
                                              "  @y = nofunc(1);\n"
                                              "       ~~~~~~\n"
                                              "HINT: did you mean 'x'?\n");
}

TEST(Diagnostics, TabsExpandInLineAndMarker) {
  SourceFile file("stdin", "\tfoo");
  Diagnostics diags(&file);
  diags.warning(DiagId::UnusedValue, {1, 4}, "w");
  EXPECT_EQ(renderOne(diags.all()[0], &file), "stdin:1:2-5: WARNING: w\n"
                                              "    foo\n"
                                              "    ~~~\n");
  EXPECT_TRUE(diags.ok());
}

TEST(Diagnostics, MultiLineSpanPrintsEveryLine) {
  SourceFile file("m.bt", "a\nbc\n");
  Diagnostics diags(&file);
  diags.error(DiagId::PrintfFormat, {0, 4}, "m");
  EXPECT_EQ(renderOne(diags.all()[0], &file), "m.bt:1-2: ERROR: m\na\nbc\n");
}

TEST(Diagnostics, NoRange) {
  Diagnostics diags;
  diags.error(DiagId::Environment, "scry needs root");
  EXPECT_EQ(renderOne(diags.all()[0], nullptr), "ERROR: scry needs root\n");
}
