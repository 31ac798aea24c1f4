// The semantic pass's entry points.
#include "sema/checker.h"

namespace scry::sema {

Analysis resolveTypes(const ast::Program &program, ast::Context &ctx,
                      const std::vector<ProbeSpec> &probes, const Inputs &inputs,
                      diag::Diagnostics &diags) {
  Analysis analysis;
  analysis.types.assign(ctx.size(), ast::Type::none());
  analysis.params = inputs.params;
  analysis.named_params = collectNamedParams(program);
  applyNamedArgs(analysis.named_params, inputs.named_args, diags);
  {
    // First run: learn map types; its diagnostics are discarded.
    diag::Diagnostics discarded(diags.file());
    Checker first(analysis, probes, inputs.types, discarded, inputs.environment, inputs.unsafe);
    first.setKernelSymbols(inputs.kernel_symbols);
    first.setHasCpid(inputs.has_cpid);
    first.checkProgram(program);
  }
  Checker checker(analysis, probes, inputs.types, diags, inputs.environment, inputs.unsafe);
  checker.setKernelSymbols(inputs.kernel_symbols);
  checker.setHasCpid(inputs.has_cpid);
  checker.checkProgram(program);
  return analysis;
}

Analysis resolveTypes(const ast::Program &program, ast::Context &ctx,
                      const std::vector<ProbeSpec> &probes, diag::Diagnostics &diags) {
  return resolveTypes(program, ctx, probes, Inputs{}, diags);
}

} // namespace scry::sema
