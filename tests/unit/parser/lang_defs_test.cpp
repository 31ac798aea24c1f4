// Parser tests for issue 3's constructs: the preamble's struct definitions, macros and
// map declarations; for over a map; offsetof; `&`; `?:`; block expressions; and macro
// expansion (parser/macros.cpp), including each of its errors.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace scry::parser::test {
namespace {

// The s-expression of the first probe's body after expansion.
std::string bodyOf(const std::string &script) {
  Parsed p(script);
  if (!p.diags.ok() || p.program->probes.empty())
    return "error: " + p.rendered();
  return sexpr(printed(p.program->probes[0]->body));
}

TEST(ParserDefs, StructDefinitions) {
  Parsed p("struct Foo { int a; char b[8]; struct Foo *next; u64 m[2][3]; }\n"
           "union U { int x; pid_t y; };\nBEGIN { }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  ASSERT_EQ(p.program->structs.size(), 2u);
  auto *foo = p.program->structs[0];
  EXPECT_EQ(foo->name, "Foo");
  EXPECT_FALSE(foo->is_union);
  ASSERT_EQ(foo->fields.size(), 4u);
  EXPECT_EQ(foo->fields[1].type.base, "char");
  EXPECT_EQ(foo->fields[1].dims, std::vector<uint64_t>{8});
  EXPECT_EQ(foo->fields[2].type.str(), "struct Foo *");
  EXPECT_EQ(foo->fields[3].dims, (std::vector<uint64_t>{2, 3}));
  EXPECT_TRUE(p.program->structs[1]->is_union);
  EXPECT_EQ(p.program->structs[1]->fields[1].type.base, "pid_t");
  EXPECT_EQ(sexpr(printed(foo)),
            "(StructDef struct Foo { int a; char b[8]; struct Foo * next; u64 m[2][3]; })");
}

TEST(ParserDefs, StructErrors) {
  EXPECT_EQ(Parsed("struct Foo { int a } BEGIN { }").ids().substr(0, 11), "SyntaxError");
  EXPECT_TRUE(Parsed("enum E { A } BEGIN { }").diags.has(diag::DiagId::SyntaxError));
}

TEST(ParserDefs, MapDeclarations) {
  Parsed p("let @a = hash(100);\nlet @b = percpulruhash(2)\nBEGIN { @a[1] = 1; }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  ASSERT_EQ(p.program->map_decls.size(), 2u);
  EXPECT_EQ(p.program->map_decls[0]->map, "@a");
  EXPECT_EQ(p.program->map_decls[0]->map_kind, "hash");
  EXPECT_EQ(p.program->map_decls[0]->max_entries, 100u);
  EXPECT_EQ(p.program->map_decls[1]->map_kind, "percpulruhash");
  EXPECT_FALSE(Parsed("let @a = hash(); BEGIN { }").diags.ok());
}

TEST(ParserDefs, MapDeclarationsNameKeyParts) {
  Parsed p("let @a[comm, pid] = hash(100);\nlet @b[who]\nBEGIN { @a[comm, pid] = 1; }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  ASSERT_EQ(p.program->map_decls.size(), 2u);
  EXPECT_EQ(p.program->map_decls[0]->labels, (std::vector<std::string>{"comm", "pid"}));
  EXPECT_EQ(p.program->map_decls[0]->map_kind, "hash");
  EXPECT_EQ(p.program->map_decls[1]->labels, (std::vector<std::string>{"who"}));
  EXPECT_EQ(p.program->map_decls[1]->map_kind, "");
  EXPECT_FALSE(Parsed("let @a[] = hash(1); BEGIN { }").diags.ok());
  EXPECT_FALSE(Parsed("let @a[x:y]; BEGIN { }").diags.ok());
}

TEST(ParserDefs, ConfigStaysFirstClass) {
  Parsed p("config = { max_strlen = 64 }\nstruct S { int a; }\nBEGIN { }");
  ASSERT_TRUE(p.diags.ok()) << p.rendered();
  EXPECT_EQ(p.program->config.size(), 1u);
  EXPECT_EQ(p.program->structs.size(), 1u);
}

TEST(ParserDefs, ForOverMap) {
  EXPECT_EQ(stmtOf("for ($kv : @m) { print($kv.0); break; }"),
            "(ForMap (Variable $kv) (MapAccess @m) (Block (ExprStmt (Call print (TupleIndex .0 "
            "(Variable $kv)))) (Jump break)))");
  // A range may still start with a map read.
  EXPECT_EQ(stmtOf("for ($i : @m[1]..3) { }"),
            "(ForRange (Variable $i) (MapAccess @m (IntegerLit 1)) (IntegerLit 3) (Block))");
}

TEST(ParserDefs, OffsetofAddrOfElvis) {
  EXPECT_EQ(exprOf("offsetof(struct Foo, a.b)"), "(Offsetof struct Foo a.b)");
  EXPECT_EQ(exprOf("offsetof($x, c)"), "(Offsetof c (Variable $x))");
  EXPECT_EQ(exprOf("&$x"), "(Unary & (Variable $x))");
  EXPECT_EQ(exprOf("&curtask->pid"), "(Unary & (FieldAccess ->pid (Builtin curtask)))");
  // `&` is still bitwise and between operands.
  EXPECT_EQ(exprOf("1 & &$x"), "(Binary & (IntegerLit 1) (Unary & (Variable $x)))");
  EXPECT_EQ(exprOf("$a ?: 5"), "(Ternary ?: (Variable $a) (IntegerLit 5))");
  // Right-associative, like `? :`.
  EXPECT_EQ(exprOf("$a ?: $b ?: 1"),
            "(Ternary ?: (Variable $a) (Ternary ?: (Variable $b) (IntegerLit 1)))");
}

TEST(ParserDefs, Records) {
  EXPECT_EQ(exprOf("(a = 1, b = \"x\")"), "(Tuple a, b (IntegerLit 1) (StringLit \"x\"))");
  EXPECT_EQ(exprOf("(only = pid)"), "(Tuple only (Builtin pid))");
  // A parenthesised expression and a tuple are unchanged.
  EXPECT_EQ(exprOf("(pid)"), "(Builtin pid)");
  EXPECT_EQ(exprOf("(pid, 1)"), "(Tuple (Builtin pid) (IntegerLit 1))");
}

TEST(ParserDefs, BlockExpressions) {
  EXPECT_EQ(stmtOf("$a = { let $b = 1; $b }"),
            "(AssignVar (Variable $a) (BlockExpr (VarDecl (Variable $b) (IntegerLit 1)) "
            "(Variable $b)))");
  // With a `;` after the last statement the block has no value.
  EXPECT_EQ(stmtOf("$a = { 1; }"), "(AssignVar (Variable $a) (BlockExpr (ExprStmt (IntegerLit 1))))");
}

TEST(ParserMacros, ExpandAsValueAndStatement) {
  EXPECT_EQ(bodyOf("macro add1(x) { x + 1 } BEGIN { $a = add1(2); }"),
            "(Block (AssignVar (Variable $a) (BlockExpr (Binary + (IntegerLit 2) (IntegerLit 1)))))");
  EXPECT_EQ(bodyOf("macro inc($x) { $x += 1; } BEGIN { $a = 1; inc($a); }"),
            "(Block (AssignVar (Variable $a) (IntegerLit 1)) (Block (AssignVar (Variable $a) "
            "(Binary + (Variable $a) (IntegerLit 1)))))");
  EXPECT_EQ(bodyOf("macro set(@m) { @m[1] = 2; } BEGIN { set(@x); }"),
            "(Block (Block (AssignMap (MapAccess @x (IntegerLit 1)) (IntegerLit 2))))");
  // A bare identifier calls a macro without parameters.
  EXPECT_EQ(bodyOf("macro one() { 1 } BEGIN { $a = one; }"),
            "(Block (AssignVar (Variable $a) (BlockExpr (IntegerLit 1))))");
}

TEST(ParserMacros, Hygiene) {
  // The body's own variables are renamed; the caller's $y is untouched.
  EXPECT_EQ(bodyOf("macro inc(x) { $y = x + 1; $y } BEGIN { $y = 2; $z = inc($y); }"),
            "(Block (AssignVar (Variable $y) (IntegerLit 2)) (AssignVar (Variable $z) "
            "(BlockExpr (AssignVar (Variable $y (in macro inc)) (Binary + (Variable $y) "
            "(IntegerLit 1))) (Variable $y (in macro inc)))))");
  // An expression argument is copied at each use.
  EXPECT_EQ(bodyOf("macro twice(x) { x + x } BEGIN { $a = twice(pid); }"),
            "(Block (AssignVar (Variable $a) (BlockExpr (Binary + (Builtin pid) (Builtin pid)))))");
  // Macros may call macros defined later.
  EXPECT_EQ(bodyOf("macro a2(x) { a1(x) + 1 } macro a1(x) { x + 1 } BEGIN { $r = a2(1); }"),
            "(Block (AssignVar (Variable $r) (BlockExpr (Binary + (BlockExpr (Binary + "
            "(IntegerLit 1) (IntegerLit 1))) (IntegerLit 1)))))");
}

TEST(ParserMacros, Errors) {
  auto message = [](const std::string &script) {
    Parsed p(script);
    EXPECT_TRUE(p.diags.has(diag::DiagId::MacroError)) << p.rendered();
    return p.diags.all().empty() ? std::string() : p.diags.all().front().message;
  };
  EXPECT_EQ(message("macro set($x) { $x } BEGIN { $a = 1; set($a, 1); }"),
            "Call to macro set has the wrong number of arguments. Expected: 1 but got 2");
  EXPECT_EQ(message("macro set($x, $x) { $x } BEGIN { }"),
            "Variable for macro argument has already been used: $x");
  EXPECT_EQ(message("macro set($x) { $x } macro set($y) { $y } BEGIN { }"),
            "Redefinition of macro: set");
  EXPECT_EQ(message("macro a1(x) { a3(x) } macro a2(x) { a1(x) } macro a3(x) { a2(x) } "
                    "BEGIN { print(a3(1)); }"),
            "Recursive macro call detected. Call chain: a3 > a2 > a1 > a3");
  EXPECT_EQ(message("macro add1($x) { $x } BEGIN { $y = 1; $z = add1; }"),
            "Call to macro add1 has no arguments. Expected: 1");
  EXPECT_EQ(message("macro set($x) { $x } BEGIN { @a = 1; set(@a); }"),
            "Mismatched arg to macro call. Macro expects a variable for arg $x but got a map.");
  EXPECT_EQ(message("macro set($x) { $x } BEGIN { set(1 + 1); }"),
            "Mismatched arg to macro call. Macro expects a variable for arg $x but got an "
            "expression.");
  EXPECT_EQ(message("macro set(@x) { @x } BEGIN { $a = 0; set($a); }"),
            "Mismatched arg to macro call. Macro expects a map for arg @x but got a variable.");
  EXPECT_EQ(message("macro set() { @x[1] = 1; 1 } BEGIN { @x[0] = 0; $a = set(); }"),
            "Unhygienic access to map: @x. Maps must be passed into the macro as arguments");
  EXPECT_EQ(message("macro set($x) { let $x; $x } BEGIN { $y = 1; $z = set($y); }"),
            "Variable declaration shadows macro arg $x");
  EXPECT_EQ(message("macro add1($x) { $x += 1; } BEGIN { $y = 1; $z = add1($y); }"),
            "Macro 'add1' expanded to a block instead of a block expression. Try removing the "
            "semicolon from the end of the last statement in the macro body.");
  EXPECT_EQ(message("macro print(x) { x } BEGIN { }"),
            "Macro print has the name of a builtin or function");
}

TEST(ParserMacros, ErrorRangesPointAtTheCall) {
  Parsed p("macro m($x) { $x } BEGIN { m(1); }");
  ASSERT_FALSE(p.diags.ok());
  EXPECT_EQ(std::string(p.file.slice(p.diags.all().front().range)), "1");
}

TEST(ParserMacros, ExplosionIsStopped) {
  // Each level uses its argument three times: 3^30 copies without a limit.
  std::string script;
  for (int i = 0; i < 30; ++i)
    script += "macro m" + std::to_string(i) + "(x) { " +
              (i == 0 ? std::string("x + x + x") : "m" + std::to_string(i - 1) + "(x + x + x)") +
              " }\n";
  script += "BEGIN { $a = m29(1); }";
  Parsed p(script);
  EXPECT_FALSE(p.diags.ok());
}

} // namespace
} // namespace scry::parser::test
