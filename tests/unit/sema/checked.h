// The fixture every sema test uses: parse a script, expand its attach points and type it
// against the fake type source (tracepoints and struct task_struct), with optional
// positional parameters and BPFTRACE_* variables; then ask about the diagnostics.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "fake_types.h"
#include "parser/parse.h"
#include "sema/sema.h"

namespace scry::testing {

struct Checked {
  diag::SourceFile file;
  ast::Context ctx;
  diag::Diagnostics diags{&file};
  ast::Program *program = nullptr;
  std::vector<sema::ProbeSpec> probes;
  sema::Analysis analysis;

  explicit Checked(const std::string &text, std::vector<std::string> params = {},
                   std::vector<std::pair<std::string, std::string>> env = {})
      : file("stdin", text) {
    FakeTypes types;
    check(types, sema::Inputs{&types, std::move(params), std::move(env)});
  }
  // Against another type source, with other inputs (--unsafe, kernel symbols); the
  // inputs' `types` is set to `types`.
  Checked(const std::string &text, btf::TypeSource &types, sema::Inputs inputs)
      : file("stdin", text) {
    check(types, std::move(inputs));
  }

  void check(btf::TypeSource &types, sema::Inputs inputs) {
    inputs.types = &types;
    program = parser::parse(file, ctx, diags);
    EXPECT_TRUE(diags.ok()) << "parse failed: " << file.text();
    probes = sema::expandAttachPoints(*program, types, diags);
    if (diags.ok())
      analysis = sema::resolveTypes(*program, ctx, probes, std::move(inputs), diags);
  }

  bool has(diag::DiagId id) const { return diags.has(id); }
  std::string message() const { return diags.all().empty() ? "" : diags.all().front().message; }
  // The source text under diagnostic `i`'s range.
  std::string slice(size_t i) const { return std::string(file.slice(diags.all().at(i).range)); }
  const ast::Type &map(const std::string &name) const { return analysis.maps.at(name).value; }
  // The type of the value assigned by statement `i` of the first probe.
  std::string valueType(size_t i) const {
    auto *stmt = program->probes[0]->body->stmts.at(i);
    if (auto *assign = ast::dyn_cast<ast::AssignVar>(stmt))
      return analysis.typeOf(assign->value).str();
    return analysis.typeOf(ast::cast<ast::AssignMap>(stmt)->value).str();
  }
  size_t warnings() const {
    size_t n = 0;
    for (const auto &d : diags.all())
      n += d.level == diag::Level::Warning;
    return n;
  }
};

} // namespace scry::testing
