// Type checking of issue 3's constructs: script structs (layout, sizeof, offsetof),
// map declarations, for over a map, `&`, pointer arithmetic, `?:`, block expressions
// and expanded macros, and "did you mean" hints.
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using Typed = testing::Checked;
using diag::DiagId;

uint64_t constantOf(const Typed &t, size_t stmt) {
  auto *assign = ast::cast<ast::AssignVar>(t.program->probes[0]->body->stmts.at(stmt));
  return t.analysis.constants.at(assign->value->id());
}

std::string firstHint(const Typed &t) {
  for (const auto &d : t.diags.all())
    if (!d.hints.empty())
      return d.hints.front();
  return "";
}

TEST(LangStructs, LayoutSizeofOffsetof) {
  Typed t("struct Foo { char c; int a; char b[8]; u64 x; struct Foo *next; }\n"
          "struct Bar { int i; struct Foo f; }\n"
          "union U { char c; u64 x; int y[3]; }\n"
          "BEGIN { $a = sizeof(struct Foo); $b = offsetof(struct Foo, a);"
          " $c = offsetof(struct Foo, x); $d = offsetof(struct Bar, f.x);"
          " $e = sizeof(union U); $f = offsetof(struct Foo, next); $g = sizeof(struct Bar); }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(constantOf(t, 0), 32u); // c@0 a@4 b@8 x@16 next@24
  EXPECT_EQ(constantOf(t, 1), 4u);
  EXPECT_EQ(constantOf(t, 2), 16u);
  EXPECT_EQ(constantOf(t, 3), 8u + 16u);
  EXPECT_EQ(constantOf(t, 4), 16u); // 12 bytes, aligned to 8
  EXPECT_EQ(constantOf(t, 5), 24u);
  EXPECT_EQ(constantOf(t, 6), 40u);
}

TEST(LangStructs, CastsAndMembers) {
  Typed t("struct Foo { int a; char b[8]; struct Foo *next; }\n"
          "BEGIN { $p = (struct Foo *)0; $a = $p->a; $s = $p.b; $n = $p->next->a; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.valueType(1), "int32");
  EXPECT_EQ(t.valueType(2), "string[8]");
  EXPECT_EQ(t.valueType(3), "int32");
}

TEST(LangStructs, Errors) {
  EXPECT_TRUE(Typed("struct Foo { nosuch a; } BEGIN { }").has(DiagId::UnknownType));
  EXPECT_TRUE(Typed("struct Foo { int a; int a; } BEGIN { }").has(DiagId::InvalidStruct));
  EXPECT_TRUE(Typed("struct Foo { struct Foo f; } BEGIN { }").has(DiagId::InvalidStruct));
  EXPECT_TRUE(Typed("struct Foo { int a; } struct Foo { int b; } BEGIN { }")
                  .has(DiagId::InvalidStruct));
  Typed field("struct Foo { int count; } BEGIN { $p = (struct Foo *)0; $x = $p->cuont; }");
  EXPECT_TRUE(field.has(DiagId::NoSuchField));
  EXPECT_EQ(firstHint(field), "did you mean 'count'?");
  Typed off("struct Foo { int count; } BEGIN { $x = offsetof(struct Foo, nope); }");
  EXPECT_TRUE(off.has(DiagId::NoSuchField));
  Typed name("struct Foo { int a; } BEGIN { $x = sizeof(struct Fo); }");
  EXPECT_TRUE(name.has(DiagId::UnknownType));
  EXPECT_EQ(firstHint(name), "did you mean 'struct Foo'?");
}

TEST(LangHeaders, MacroNamesSayTheyAreNotInBtf) {
  Typed t("#include <linux/sched.h>\nBEGIN { $x = TASK_RUNNING; }");
  EXPECT_TRUE(t.has(DiagId::UnknownBuiltin));
  EXPECT_EQ(firstHint(t).rfind("'TASK_RUNNING' looks like a C macro", 0), 0u) << firstHint(t);
  EXPECT_EQ(firstHint(Typed("BEGIN { $x = pidd; }")), "did you mean 'pid'?");
}

TEST(LangMapDecls, KindsAndUses) {
  Typed t("let @a = lruhash(10); let @b = percpuhash(5);\n"
          "BEGIN { @a[1] = 2; @b[1] = count(); }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.analysis.map_decls.at("@a").kind, sema::MapKind::LruHash);
  EXPECT_EQ(t.analysis.map_decls.at("@a").max_entries, 10u);
  EXPECT_EQ(t.analysis.map_decls.at("@b").kind, sema::MapKind::PercpuHash);
}

TEST(LangMapDecls, Errors) {
  Typed bad("let @a = hashh(10); BEGIN { @a = 1; }");
  EXPECT_TRUE(bad.has(DiagId::MapDeclaration));
  EXPECT_EQ(bad.message(), "Invalid bpf map type: hashh");
  EXPECT_EQ(firstHint(bad), "did you mean 'hash'?");
  Typed wrong("let @a = hash(10); BEGIN { @a[1] = count(); }");
  EXPECT_EQ(wrong.message(),
            "Incompatible map types. Type from declaration: hash. Type from value/key type: "
            "percpuhash");
  EXPECT_TRUE(Typed("let @a = percpuhash(10); BEGIN { @a[1] = 1; }").has(DiagId::MapDeclaration));
  EXPECT_TRUE(Typed("let @a = hash(0); BEGIN { @a = 1; }").has(DiagId::MapDeclaration));
  EXPECT_TRUE(
      Typed("let @a = hash(1); let @a = hash(2); BEGIN { @a = 1; }").has(DiagId::MapDeclaration));
  Typed unused("let @a = hash(10); BEGIN { }");
  EXPECT_TRUE(unused.diags.ok());
  EXPECT_TRUE(unused.has(DiagId::UnusedMap));
}

TEST(LangMapDecls, LabelsNameTheKeyParts) {
  Typed t("let @a[command, process]; let @b[who] = percpuhash(8);\n"
          "BEGIN { @a[comm, pid] = 1; @b[comm] = count(); @c[comm, pid] = 1; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.analysis.maps.at("@a").key_names, (std::vector<std::string>{"command", "process"}));
  EXPECT_EQ(t.analysis.maps.at("@b").key_names, (std::vector<std::string>{"who"}));
  EXPECT_EQ(t.analysis.maps.at("@c").key_names, (std::vector<std::string>{"comm", "pid"}));
  EXPECT_EQ(t.analysis.map_decls.at("@a").max_entries, 0u); // names only: size unchanged
  Typed count("let @a[x, y]; BEGIN { @a[1] = 1; }");
  EXPECT_EQ(count.message(), "Map @a is declared with 2 key part names but its key has 1 part");
  EXPECT_TRUE(Typed("let @a[x, x]; BEGIN { @a[1, 2] = 1; }").has(DiagId::MapDeclaration));
  EXPECT_TRUE(Typed("let @a[__x]; BEGIN { @a[1] = 1; }").has(DiagId::MapDeclaration));
  EXPECT_TRUE(Typed("let @a[x]; let @a[y]; BEGIN { @a[1] = 1; }").has(DiagId::MapDeclaration));
}

TEST(LangForMap, ElementTypes) {
  Typed t("BEGIN { @m[1, \"a\"] = 5; @c[comm] = count(); @s[1] = sum(-2);"
          " for ($kv : @m) { $k = $kv.0; $k2 = $kv.0.1; $v = $kv.1; }"
          " for ($kv : @c) { $n = $kv.1; } for ($kv : @s) { $x = $kv.1; } }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  auto *loop = ast::cast<ast::ForMap>(t.program->probes[0]->body->stmts[3]);
  EXPECT_EQ(t.analysis.typeOf(loop->var).str(), "((int64, string[2]), int64)");
  auto *counts = ast::cast<ast::ForMap>(t.program->probes[0]->body->stmts[4]);
  EXPECT_EQ(t.analysis.typeOf(counts->var).str(), "(string[16], uint64)");
  auto *sums = ast::cast<ast::ForMap>(t.program->probes[0]->body->stmts[5]);
  EXPECT_EQ(t.analysis.typeOf(sums->var).str(), "(int64, int64)");
}

TEST(LangForMap, OuterVariablesAndJumps) {
  EXPECT_TRUE(Typed("BEGIN { @m[1] = 1; $sum = 0; for ($kv : @m) { $sum += $kv.1;"
                    " if ($kv.0 == 2) { continue; } break; } print($sum); }")
                  .diags.ok());
}

TEST(LangForMap, Errors) {
  EXPECT_TRUE(Typed("BEGIN { @m = 1; for ($kv : @m) { } }").has(DiagId::InvalidLoop));
  EXPECT_TRUE(Typed("BEGIN { @m[1] = hist(1); for ($kv : @m) { } }").has(DiagId::InvalidLoop));
  EXPECT_TRUE(Typed("BEGIN { @m[1] = 1; for ($kv : @m[1]) { } }").has(DiagId::InvalidLoop));
  EXPECT_TRUE(Typed("BEGIN { for ($kv : @nope) { } }").has(DiagId::MapUsedAsValue));
  EXPECT_TRUE(Typed("BEGIN { @m[1] = 1; $kv = 1; for ($kv : @m) { } }")
                  .has(DiagId::Redeclaration));
  EXPECT_TRUE(Typed("BEGIN { @m[1] = 1; for ($kv : @m) { return; } }").has(DiagId::InvalidLoop));
  EXPECT_TRUE(Typed("BEGIN { @m[1] = 1; for ($kv : @m) { exit(); } }").has(DiagId::InvalidLoop));
  // The loop variable belongs to the loop.
  EXPECT_TRUE(Typed("BEGIN { @m[1] = 1; for ($kv : @m) { } $x = $kv; }")
                  .has(DiagId::UndefinedVariable));
}

TEST(LangAddrOf, TypesAndErrors) {
  Typed t("BEGIN { $x = 1; $p = &$x; $v = *$p; $q = &curtask->pid; $r = &*$p; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.valueType(1), "int64 *");
  EXPECT_EQ(t.valueType(2), "int64");
  EXPECT_EQ(t.valueType(3), "int32 *");
  EXPECT_EQ(t.valueType(4), "int64 *");
  EXPECT_TRUE(Typed("BEGIN { @m = 1; $p = &@m; }").has(DiagId::InvalidAddressOf));
  EXPECT_TRUE(Typed("BEGIN { $p = &(1 + 2); }").has(DiagId::InvalidAddressOf));
  EXPECT_TRUE(Typed("tracepoint:syscalls:sys_enter_openat { $p = &args.dfd; }")
                  .has(DiagId::InvalidAddressOf));
}

TEST(LangPointers, ArithmeticKeepsThePointer) {
  Typed t("BEGIN { $p = (int32 *)0; $q = $p + 1; $r = 2 + $p; $s = $p - 1; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.valueType(1), "int32 *");
  EXPECT_EQ(t.valueType(2), "int32 *");
  EXPECT_EQ(t.valueType(3), "int32 *");
  EXPECT_TRUE(Typed("BEGIN { $p = (int32 *)0; $q = 1 - $p; }").has(DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $p = (int32 *)0; $q = $p * 2; }").has(DiagId::TypeMismatch));
}

TEST(LangTernary, ElvisAndMemoryValues) {
  Typed t("BEGIN { $a = pid ?: 5; $s = pid ? \"ab\" : \"cde\"; $t = pid ? (1, \"a\") : (2, \"b\");"
          " $b = 0 ?: false; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.valueType(0), "uint64"); // pid widened, as `pid ? pid : 5`
  EXPECT_EQ(t.valueType(1), "string[4]");
  EXPECT_EQ(t.valueType(2), "(int64, string[2])");
  EXPECT_TRUE(Typed("BEGIN { $a = \"s\" ?: 1; }").has(DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $a = pid ?: \"x\"; }").has(DiagId::TypeMismatch));
}

TEST(LangTuples, SubscriptWithALiteral) {
  Typed t("BEGIN { $t = (1, \"hello\", (2, 3)); $a = $t[0]; $b = $t[1]; $c = $t[2][1]; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.valueType(1), "int64");
  EXPECT_EQ(t.valueType(2), "string[6]");
  EXPECT_EQ(t.valueType(3), "int64");
  EXPECT_TRUE(Typed("BEGIN { $t = (1, 2); $i = 0; $x = $t[$i]; }").has(DiagId::TypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $t = (1, 2); $x = $t[2]; }").has(DiagId::TypeMismatch));
}

TEST(LangRecords, FieldsAndTypes) {
  Typed t("BEGIN { $r = (a = 1, b = \"str\", c = (x = 2, y = comm)); $x = $r.a; $s = $r.b;"
          " $y = $r.c.y; @m[$r.a] = $r; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.valueType(0), "(a=int64, b=string[4], c=(x=int64, y=string[16]))");
  EXPECT_EQ(t.valueType(1), "int64");
  EXPECT_EQ(t.valueType(2), "string[4]");
  EXPECT_EQ(t.valueType(3), "string[16]");
  Typed typo("BEGIN { $r = (count = 1); $x = $r.cuont; }");
  EXPECT_TRUE(typo.has(DiagId::NoSuchField));
  EXPECT_EQ(firstHint(typo), "did you mean 'count'?");
  EXPECT_TRUE(Typed("BEGIN { $r = (a = 1, a = 2); }").has(DiagId::TypeMismatch));
  // Records with other names do not mix.
  EXPECT_TRUE(Typed("BEGIN { $r = (a = 1); $r = (b = 1); }").has(DiagId::VariableTypeMismatch));
  EXPECT_TRUE(Typed("BEGIN { $t = (1, 2); $x = $t.a; }").has(DiagId::NotARecord));
}

TEST(LangBlocks, BlockExpressionsAndMacros) {
  Typed t("macro add1(x) { x + 1 } macro inc($v) { $v += 1; $v }\n"
          "BEGIN { $a = { let $b = 2; $b * 3 }; $c = add1($a); $d = inc($a); { printf(\"x\") }; }");
  ASSERT_TRUE(t.diags.ok()) << t.message();
  EXPECT_EQ(t.valueType(0), "int64");
  EXPECT_EQ(t.valueType(1), "int64");
  // A block's variables stay inside it.
  EXPECT_TRUE(Typed("BEGIN { $a = { let $b = 2; $b }; $c = $b; }").has(DiagId::UndefinedVariable));
  EXPECT_TRUE(Typed("BEGIN { $a = { 1; }; }").has(DiagId::TypeMismatch));
  // A macro body cannot see the caller's variables.
  EXPECT_TRUE(Typed("macro f() { $x } BEGIN { $x = 1; $y = f(); }").has(DiagId::UndefinedVariable));
  // A return inside a block used as a value would stop the probe halfway through an
  // expression (with printf's record reserved); as a statement it leaves the probe.
  EXPECT_TRUE(Typed("BEGIN { printf(\"%d\", { return; 1 }); }").has(DiagId::MisplacedReturn));
  EXPECT_TRUE(Typed("macro m() { if (pid) { return; } 1 } BEGIN { $x = m(); }")
                  .has(DiagId::MisplacedReturn));
  EXPECT_TRUE(Typed("macro m() { if (pid) { return; } } BEGIN { m(); }").diags.ok());
}

TEST(LangHints, DidYouMean) {
  Typed var("BEGIN { $count = 1; $x = $cuont; }");
  EXPECT_EQ(firstHint(var), "did you mean '$count'?");
  Typed map("BEGIN { @counts = 1; $x = @cuonts; }");
  EXPECT_EQ(firstHint(map), "did you mean '@counts'?");
  Typed builtin("BEGIN { $x = comn; }");
  EXPECT_EQ(firstHint(builtin), "did you mean 'comm'?");
  Typed func("BEGIN { printff(\"x\"); }");
  EXPECT_EQ(firstHint(func), "did you mean 'printf'?");
  Typed macro("macro twice(x) { x * 2 } BEGIN { $x = twcie(1); }");
  EXPECT_EQ(firstHint(macro), "did you mean 'twice'?");
  Typed field("tracepoint:syscalls:sys_enter_openat { $x = args.filenme; }");
  EXPECT_EQ(firstHint(field), "did you mean 'filename'?");
}

// `(a,)` and `()` (bpftrace 0.25's Python-like tuples); an empty one has no bytes for a map.
TEST(LangTuples, SingleAndEmpty) {
  Typed c("BEGIN { $t = (7,); $e = (); $x = $t.0; }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "(int64)");
  EXPECT_EQ(c.valueType(1), "()");
  Typed in_map("BEGIN { @e = (); }");
  EXPECT_EQ(in_map.message(), "An empty tuple cannot be stored in a map");
}

} // namespace
} // namespace scry
