// The pipeline in order: parse, expand attach points, resolve types, generate the
// object, run it. Diagnostics are printed at each stage boundary; the first stage
// with an error ends the run with status 1.
#include "driver/pipeline.h"

#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "ast/printer.h"
#include "btf/type_source.h"
#include "codegen/codegen.h"
#include "driver/list.h"
#include "parser/parse.h"
#include "runtime/runtime.h"
#include "runtime/stack_usage.h"
#include "sema/sema.h"

namespace scry::driver {

namespace {

bool wants(const Options &options, const char *stage) {
  return std::find(options.debug_stages.begin(), options.debug_stages.end(), stage) !=
         options.debug_stages.end();
}

// The BPFTRACE_* variables of the environment, which override config keys.
std::vector<std::pair<std::string, std::string>> bpftraceEnvironment() {
  std::vector<std::pair<std::string, std::string>> out;
  for (char **env = environ; *env; ++env) {
    std::string entry = *env;
    size_t eq = entry.find('=');
    if (entry.rfind("BPFTRACE_", 0) == 0 && eq != std::string::npos)
      out.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
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
  if (options.list && !options.has_program)
    return listProbes(options.list_pattern, options.verbose);
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
  sema::ExpandOptions expand;
  expand.pid = options.pid;
  if (const char *max = std::getenv("BPFTRACE_MAX_PROBES"); max && *max)
    expand.max_probes = std::strtoull(max, nullptr, 10);
  auto probes = sema::expandAttachPoints(*program, *types, diags, expand);
  if (options.list && diags.ok())
    return listProgramProbes(probes, *types, options.verbose);
  sema::Analysis analysis;
  if (diags.ok())
    analysis = sema::resolveTypes(*program, ctx, probes,
                                  sema::Inputs{types.get(), options.positional,
                                               bpftraceEnvironment()},
                                  diags);
  diags.flush(std::cerr, true, color);
  if (diags.errorCount())
    return 1;

  codegen::Options cg;
  cg.dump_ir = wants(options, "ir") ? &std::cerr : nullptr;
  cg.dump_ir_opt = wants(options, "ir-opt") ? &std::cerr : nullptr;
  cg.dump_bpf = wants(options, "bpf") ? &std::cerr : nullptr;
  int cpus = libbpf_num_possible_cpus();
  cg.possible_cpus = cpus > 0 ? static_cast<uint32_t>(cpus) : 1;
  object::BpfObject object;
  std::string error;
  if (!codegen::compile(*program, probes, analysis, file, cg, object, error)) {
    std::cerr << "ERROR: code generation failed: " << error << "\n";
    return 1;
  }

  if (wants(options, "stack"))
    for (const auto &usage : runtime::stackUsage(object))
      std::cerr << usage.probe_name << ": " << usage.bytes << " of "
                << runtime::kBpfStackLimit << " bytes of BPF stack\n";

  runtime::Options rt;
  rt.quiet = options.quiet;
  rt.verbose = options.verbose;
  rt.pid = options.pid;
  rt.mode = options.verify_only ? runtime::Mode::VerifyOnly
            : options.dry_run   ? runtime::Mode::DryRun
                                : runtime::Mode::Run;
  rt.format = options.json ? runtime::OutputFormat::Json : runtime::OutputFormat::Text;
  std::ofstream output_file;
  if (!options.output_file.empty()) {
    output_file.open(options.output_file, std::ios::out | std::ios::trunc);
    if (!output_file) {
      std::cerr << "ERROR: cannot open output file '" << options.output_file
                << "': " << std::strerror(errno) << "\n";
      return 1;
    }
    rt.out = &output_file;
  }
  rt.notify_attached = std::getenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED")
                           ? "__BPFTRACE_NOTIFY_PROBES_ATTACHED"
                           : nullptr;
  return runtime::run(object, rt);
}

} // namespace scry::driver
