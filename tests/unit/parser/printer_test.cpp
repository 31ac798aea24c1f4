// Tests for the AST printer (src/ast/printer.cpp) on parsed scripts.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

TEST(Printer, ProbeWithPredicate) {
  Parsed p("tracepoint:syscalls:sys_enter_openat /comm == \"cat\"/ {\n"
           "  printf(\"%s\\n\", str(args.filename));\n"
           "}\n");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  EXPECT_EQ(printed(p.program), "Program\n"
                                "  Probe\n"
                                "    AttachPoint tracepoint:syscalls:sys_enter_openat\n"
                                "    Predicate\n"
                                "      Binary ==\n"
                                "        Builtin comm\n"
                                "        StringLit \"cat\"\n"
                                "    Block\n"
                                "      ExprStmt\n"
                                "        Call printf\n"
                                "          StringLit \"%s\\n\"\n"
                                "          Call str\n"
                                "            FieldAccess .filename\n"
                                "              Builtin args\n");
}

TEST(Printer, StringsAreReEscaped) {
  Parsed p("BEGIN { \"\\t\\r\\\\\\\"\\a\\b\\f\\v\\x01\\177\\0\" }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  auto *stmt = ast::cast<ast::ExprStmt>(p.program->probes[0]->body->stmts[0]);
  EXPECT_EQ(printed(stmt->expr), "StringLit \"\\t\\r\\\\\\\"\\a\\b\\f\\v\\x01\\x7f\\x00\"\n");
}

TEST(Printer, ConfigAndIfElse) {
  Parsed p("config = { a = 1 } BEGIN { if (1) { } else { return } }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  EXPECT_EQ(printed(p.program), "Program\n"
                                "  ConfigItem a\n"
                                "    IntegerLit 1\n"
                                "  Probe\n"
                                "    AttachPoint BEGIN\n"
                                "    Block\n"
                                "      If\n"
                                "        IntegerLit 1\n"
                                "        Block\n"
                                "        Else\n"
                                "          Block\n"
                                "            Return\n");
}

TEST(Printer, IntegersInDecimalAndOperators) {
  Parsed p("BEGIN { $x = 0xff; @m[1] = ~$x->f; }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  EXPECT_EQ(printed(p.program->probes[0]->body), "Block\n"
                                                 "  AssignVar\n"
                                                 "    Variable $x\n"
                                                 "    IntegerLit 255\n"
                                                 "  AssignMap\n"
                                                 "    MapAccess @m\n"
                                                 "      IntegerLit 1\n"
                                                 "    Unary ~\n"
                                                 "      FieldAccess ->f\n"
                                                 "        Variable $x\n");
}

TEST(Printer, NullPrintsNothing) { EXPECT_EQ(printed(nullptr), ""); }

} // namespace
} // namespace scry::parser::test
