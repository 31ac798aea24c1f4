// The pipeline in order: parse, expand attach points, resolve types, generate the
// object, run it. Diagnostics are printed at each stage boundary; the first stage
// with an error ends the run with status 1.
#include "driver/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "ast/printer.h"
#include "btf/type_source.h"
#include "codegen/codegen.h"
#include "parser/parse.h"
#include "runtime/runtime.h"
#include "sema/sema.h"

namespace scry::driver {

namespace {

bool wants(const Options &options, const char *stage) {
  return std::find(options.debug_stages.begin(), options.debug_stages.end(), stage) !=
         options.debug_stages.end();
}

bool colorDiagnostics() {
  const char *env = std::getenv("BPFTRACE_COLOR");
  std::string mode = env ? env : "auto";
  if (mode == "always")
    return true;
  if (mode == "never")
    return false;
  return isatty(STDERR_FILENO);
}

} // namespace

int runPipeline(const Options &options) {
  diag::SourceFile file(options.source_name, options.program);
  diag::Diagnostics diags(&file);
  bool color = colorDiagnostics();
  ast::Context ctx;

  ast::Program *program = parser::parse(file, ctx, diags);
  if (wants(options, "ast"))
    ast::print(program, std::cerr);
  if (!diags.ok()) {
    diags.flush(std::cerr, true, color);
    return 1;
  }

  if (geteuid() != 0) {
    diags.flush(std::cerr, true, color);
    std::cerr << "ERROR: scry currently only supports running as the root user.\n"
              << "HINT: run it with sudo, or grant CAP_BPF, CAP_PERFMON and "
                 "CAP_DAC_READ_SEARCH\n";
    return 1;
  }
  // BPFTRACE_BTF names another BTF file, as in bpftrace.
  const char *btf_path = std::getenv("BPFTRACE_BTF");
  auto types = btf::makeKernelTypeSource("", btf_path ? btf_path : "");
  auto probes = sema::expandAttachPoints(*program, *types, diags);
  sema::Analysis analysis;
  if (diags.ok())
    analysis = sema::resolveTypes(*program, ctx, probes, diags);
  diags.flush(std::cerr, true, color);
  if (diags.errorCount())
    return 1;

  codegen::Options cg;
  cg.dump_ir = wants(options, "ir") ? &std::cerr : nullptr;
  cg.dump_ir_opt = wants(options, "ir-opt") ? &std::cerr : nullptr;
  cg.dump_bpf = wants(options, "bpf") ? &std::cerr : nullptr;
  object::BpfObject object;
  std::string error;
  if (!codegen::compile(*program, probes, analysis, file, cg, object, error)) {
    std::cerr << "ERROR: code generation failed: " << error << "\n";
    return 1;
  }

  runtime::Options rt;
  rt.quiet = options.quiet;
  rt.verbose = options.verbose;
  rt.notify_attached = std::getenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED")
                           ? "__BPFTRACE_NOTIFY_PROBES_ATTACHED"
                           : nullptr;
  return runtime::run(object, rt);
}

} // namespace scry::driver
