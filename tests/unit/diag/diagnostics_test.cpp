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

// Imported files are later parts of the same SourceFile: a diagnostic in one names
// that file and counts its lines from 1.
TEST(Diagnostics, RangeInAnImportedPartNamesThatFile) {
  SourceFile file("main.bt", "import \"lib.bt\";\nBEGIN { x() }\n");
  const SourcePart &lib = file.addPart("lib.bt", "macro x() {\n  nofunc()\n}\n");
  EXPECT_EQ(lib.base(), file.text().size() + 1);
  EXPECT_EQ(&file.partAt(lib.base() + 3), &lib);
  EXPECT_EQ(file.partIndex(5), 0u);
  EXPECT_EQ(file.nameAt(lib.base()), "lib.bt");
  Diagnostics diags(&file);
  uint32_t call = lib.base() + 14;
  diags.error(DiagId::UnknownFunction, {call, call + 6}, "Unknown function: nofunc");
  EXPECT_EQ(renderOne(diags.all()[0], &file), "lib.bt:2:3-9: ERROR: Unknown function: nofunc\n"
                                              "  nofunc()\n"
                                              "  ~~~~~~\n");
  EXPECT_EQ(file.slice({call, call + 6}), "nofunc");
}

// A range joined across two files (a macro's node and its caller's) is shown up to
// the end of the file it begins in.
TEST(Diagnostics, RangeAcrossPartsIsCutAtItsFilesEnd) {
  SourceFile file("main.bt", "BEGIN { x() }");
  const SourcePart &lib = file.addPart("lib.bt", "abc");
  Diagnostics diags(&file);
  diags.error(DiagId::SyntaxError, {8, lib.base() + 2}, "joined");
  EXPECT_EQ(renderOne(diags.all()[0], &file), "main.bt:1:9-14: ERROR: joined\n"
                                              "BEGIN { x() }\n"
                                              "        ~~~~~\n");
}
