// The semantic pass's entry points.
#include "sema/checker.h"

namespace scry::sema {

Analysis resolveTypes(const ast::Program &program, ast::Context &ctx,
                      const std::vector<ProbeSpec> &probes, diag::Diagnostics &diags) {
  Analysis analysis;
  analysis.types.assign(ctx.size(), ast::Type::none());
  {
    // First run: learn map types; its diagnostics are discarded.
    diag::Diagnostics discarded(diags.file());
    Checker(analysis, probes, discarded).checkProgram(program);
  }
  Checker(analysis, probes, diags).checkProgram(program);
  return analysis;
}

} // namespace scry::sema
