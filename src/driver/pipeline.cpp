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
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

#include "ast/printer.h"
#include "btf/type_source.h"
#include "codegen/codegen.h"
#include "driver/list.h"
#include "driver/privileges.h"
#include "driver/processes.h"
#include "export/prometheus_server.h"
#include "parser/parse.h"
#include "runtime/runtime.h"
#include "runtime/stack_usage.h"
#include "sema/sema.h"
#include "support/kernel_version.h"
#include "version.h"

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

uint64_t clockNs(clockid_t clock) {
  timespec ts = {};
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
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

// --emit-elf FILE: writes the object's ELF bytes. Returns the exit status.
int writeElf(const object::BpfObject &object, const std::string &path) {
  std::ofstream file(path, std::ios::out | std::ios::trunc | std::ios::binary);
  file.write(object.elf.data(), static_cast<std::streamsize>(object.elf.size()));
  file.close();
  if (!file) {
    std::cerr << "ERROR: cannot write the BPF object to '" << path
              << "': " << std::strerror(errno) << "\n";
    return 1;
  }
  return 0;
}

// --export SPEC, or the script's `export` config key: the metrics server. False (with
// the error printed) when SPEC is not a valid endpoint.
bool makeMetrics(const std::string &spec, const Options &options,
                 std::unique_ptr<exporter::PrometheusServer> &metrics) {
  exporter::Endpoint endpoint;
  std::string error;
  if (!exporter::parseEndpoint(spec, options.export_allow_remote, endpoint, error)) {
    std::cerr << "ERROR: " << error << "\n";
    return false;
  }
  exporter::ScrapeInfo info;
  info.script = options.source_name;
  info.version = SCRY_VERSION;
  metrics = std::make_unique<exporter::PrometheusServer>(endpoint, info, options.export_maps,
                                                         options.quiet);
  return true;
}

} // namespace

int runPipeline(const Options &options) {
  // `elapsed` counts from here: as close to scry's start as the pipeline gets.
  const uint64_t start_boot_ns = clockNs(CLOCK_BOOTTIME);
  if (options.list && !options.has_program)
    return listProbes(options.list_pattern, options.verbose);
  // --export: a bad endpoint is a usage error, found before anything is compiled.
  std::unique_ptr<exporter::PrometheusServer> metrics;
  if (!options.export_spec.empty() && !makeMetrics(options.export_spec, options, metrics))
    return 1;
  diag::SourceFile file(options.source_name, options.program);
  diag::Diagnostics diags(&file);
  bool color = colorDiagnostics();
  ast::Context ctx;

  ast::Program *program = parser::parse(file, ctx, diags, options.import_dir);
  if (wants(options, "ast"))
    ast::print(program, std::cerr);
  if (!diags.ok()) {
    diags.flush(std::cerr, true, color);
    return 1;
  }

  // `-- --help`: the script's getopt() options, listed without compiling anything.
  if (std::find(options.named_args.begin(), options.named_args.end(), "help") !=
      options.named_args.end()) {
    std::cout << sema::namedParamsHelp(sema::collectNamedParams(*program));
    return 0;
  }

  // One line naming the missing privilege and a probe that needs it (issue 7).
  if (std::string missing = missingPrivilege(*program, effectiveCapabilities().value_or(0),
                                             geteuid());
      !missing.empty()) {
    diags.flush(std::cerr, true, color);
    std::cerr << "ERROR: " << missing << "\n";
    return 1;
  }
  // -p's process exists and -c's command can run, before compiling (issue 7).
  Command command;
  if (options.pid > 0 && !options.command.empty()) {
    std::cerr << "ERROR: -p and -c cannot be used together\n";
    return 1;
  }
  if (options.pid > 0 && !checkPid(options.pid))
    return 1;
  for (int pid : options.dwarf_pids)
    if (!checkPid(pid))
      return 1;
  if (!options.command.empty() && !prepareCommand(options.command, command))
    return 1;
  // BPFTRACE_BTF names another BTF file, as in bpftrace.
  const char *btf_path = std::getenv("BPFTRACE_BTF");
  auto types = btf::makeKernelTypeSource("", btf_path ? btf_path : "");
  sema::ExpandOptions expand;
  expand.pid = options.pid;
  if (const char *max = std::getenv("BPFTRACE_MAX_PROBES"); max && *max)
    expand.max_probes = std::strtoull(max, nullptr, 10);
  expand.missing_probes = sema::readMissingProbes(*program, bpftraceEnvironment(), diags);
  expand.raw_tracepoint_cookies = support::kernelAtLeast(6, 10);
  auto probes = sema::expandAttachPoints(*program, *types, diags, expand);
  if (options.list && diags.ok())
    return listProgramProbes(probes, *types, options.verbose);
  sema::Analysis analysis;
  if (diags.ok()) {
    sema::Inputs inputs{types.get(), options.positional, bpftraceEnvironment(), options.unsafe};
    inputs.has_cpid = !options.command.empty(); // cpid, has_cpid (checker_task.cpp)
    inputs.named_args = options.named_args; // getopt() (sema/named_params.h)
    analysis = sema::resolveTypes(*program, ctx, probes, inputs, diags);
  }
  diags.flush(std::cerr, true, color);
  if (wants(options, "types") && !analysis.types.empty()) // issue 3
    ast::print(program, std::cerr, [&](const ast::Node *n) { return analysis.typeLabel(n); });
  if (diags.errorCount())
    return 1;
  // The script's `export` config key, unless --export was given.
  if (!metrics && !analysis.config.export_spec.empty() &&
      !makeMetrics(analysis.config.export_spec, options, metrics))
    return 1;

  // -c: started now, held until every probe is attached; uprobes fire only in it. Forked
  // before compiling so that `cpid` is a constant of the programs (emit_task.cpp); a
  // compile error ends it (ChildProcess's destructor).
  runtime::ChildProcess child;
  bool runs = !options.verify_only && !options.dry_run && options.emit_elf.empty();
  if (!command.path.empty() && runs) {
    std::string why;
    if (!child.spawn(command.path, command.argv, why)) {
      std::cerr << "ERROR: -c: " << why << "\n";
      return 1;
    }
  }
  codegen::Options cg;
  cg.child_pid = child.pid() > 0 ? static_cast<uint32_t>(child.pid()) : 0;
  cg.dump_ir = wants(options, "ir") ? &std::cerr : nullptr;
  cg.dump_ir_opt = wants(options, "ir-opt") ? &std::cerr : nullptr;
  cg.dump_bpf = wants(options, "bpf") ? &std::cerr : nullptr;
  cg.filter_pid = options.pid;
  int cpus = libbpf_num_possible_cpus();
  cg.possible_cpus = cpus > 0 ? static_cast<uint32_t>(cpus) : 1;
  cg.start_boot_ns = start_boot_ns;
  cg.tai_offset_ns = static_cast<int64_t>(clockNs(CLOCK_TAI) - clockNs(CLOCK_BOOTTIME));
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

  // --emit-elf: the object the kernel would be given, for readelf or bpftool; nothing runs.
  if (!options.emit_elf.empty())
    return writeElf(object, options.emit_elf);

  runtime::Options rt;
  rt.quiet = options.quiet;
  rt.verbose = options.verbose;
  rt.verifier_log = wants(options, "verifier"); // issue 3
  rt.pid = options.pid;
  rt.missing_probes = expand.missing_probes;
  rt.mode = options.verify_only ? runtime::Mode::VerifyOnly
            : options.dry_run   ? runtime::Mode::DryRun
                                : runtime::Mode::Run;
  rt.format = options.json     ? runtime::OutputFormat::Json
              : options.folded ? runtime::OutputFormat::Folded
                               : runtime::OutputFormat::Text;
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
  rt.observer = metrics.get();
  rt.buffer_mode = options.buffer_mode == "none"   ? runtime::BufferMode::None
                   : options.buffer_mode == "line" ? runtime::BufferMode::Line
                   : options.buffer_mode == "full" ? runtime::BufferMode::Full
                                                   : runtime::BufferMode::Batch;
  if (!command.path.empty() && rt.mode == runtime::Mode::Run) {
    rt.child = &child;
    rt.pid = child.pid();
  }
  if (analysis.dw_unwind.used) { // dw_ustack's tables known up front (issue 5)
    if (!command.path.empty())
      rt.unwind_paths = commandFiles(command.path);
    rt.unwind_pids = options.dwarf_pids;
    if (options.pid > 0)
      rt.unwind_pids.push_back(options.pid);
  }
  return runtime::run(object, rt);
}

} // namespace scry::driver
