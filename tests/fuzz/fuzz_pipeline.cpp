// libFuzzer target over the compiler without a kernel: script bytes through the lexer
// and parser, the AST printer (-d ast), attach-point expansion and type checking against
// a fake type source (tests/unit/sema/fake_types.h), diagnostic rendering, and, when
// built with SCRY_FUZZ_CODEGEN, codegen to a BPF object through LLVM.
// Built with SCRY_FUZZ=ON (cmake/Sanitizers.cmake); run with scripts/fuzz.sh.
// Any input is fine: the only failures are crashes, sanitizer reports, hangs and the
// invariant checks below.
#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <streambuf>
#include <string>

#include "../unit/sema/fake_types.h"
#include "ast/printer.h"
#include "parser/parse.h"
#include "sema/sema.h"
#ifdef SCRY_FUZZ_CODEGEN
#include "codegen/codegen.h"
#endif

namespace {

// Discards what is written, but still formats it (so the printer and the diagnostics
// renderer run in full).
class NullBuffer : public std::streambuf {
protected:
  int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
  std::streamsize xsputn(const char *, std::streamsize n) override { return n; }
};

void check(bool condition) {
  if (!condition)
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace scry;
  NullBuffer null_buffer;
  std::ostream null(&null_buffer);
  diag::SourceFile file("stdin", std::string(reinterpret_cast<const char *>(data), size));
  diag::Diagnostics diags(&file);
  ast::Context ctx;
  ast::Program *program = parser::parse(file, ctx, diags);
  check(program != nullptr);
  ast::print(program, null);
  // A user error must be located inside the script or a file it imported (imported
  // files are parts of `file` after the script's own offsets).
  const uint32_t end = file.parts().back().end();
  if (!diags.ok()) {
    for (const diag::Diagnostic &d : diags.all())
      check(!d.has_range || (d.range.begin <= d.range.end && d.range.end <= end));
    diags.render(null);
    return 0;
  }
  testing::FakeTypes types;
  auto probes = sema::expandAttachPoints(*program, types, diags);
  sema::Analysis analysis;
  sema::Inputs inputs;
  inputs.types = &types;
  inputs.params = {"1", "two"};
  if (diags.ok())
    analysis = sema::resolveTypes(*program, ctx, probes, inputs, diags);
  for (const diag::Diagnostic &d : diags.all())
    check(!d.has_range || (d.range.begin <= d.range.end && d.range.end <= end));
  diags.render(null);
  if (!diags.ok())
    return 0;
#ifdef SCRY_FUZZ_CODEGEN
  object::BpfObject object;
  std::string error;
  codegen::Options options;
  // LLVM refusing a module that sema accepted is a bug: codegen's contract is that
  // every user error was reported by sema.
  if (!codegen::compile(*program, probes, analysis, file, options, object, error))
    check(getenv("SCRY_FUZZ_ALLOW_CODEGEN_ERRORS") != nullptr);
#endif
  return 0;
}
