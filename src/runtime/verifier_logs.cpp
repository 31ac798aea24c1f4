// -d verifier: a log buffer for every program, so the verifier's log can be shown when
// it accepts the programs too (libbpf 1.1 prints logs only of refused programs).
// Kernel 6.4+ keeps the end of a log that outgrows its buffer instead of failing the
// load, so the buffers need not be large enough for the whole log.
#include <bpf/libbpf.h>

#include <algorithm>
#include <cstring>
#include <iostream>

#include "runtime/loader.h"

namespace scry::runtime {

namespace {

// Per program, and at most this much in all.
constexpr size_t kLogBytes = 4u << 20;
constexpr size_t kAllLogsBytes = 64u << 20;
// Every instruction on every path the verifier walks, with register states: level 1
// keeps only the path of a refusal, so an accepted program would show nothing.
constexpr uint32_t kLogLevel = 2;

} // namespace

void LibbpfLog::captureVerifierLogs(bpf_object *bpf) {
  size_t programs = 0;
  bpf_program *prog = nullptr;
  bpf_object__for_each_program(prog, bpf) { ++programs; }
  size_t size = std::max<size_t>(64u << 10,
                                 std::min(kLogBytes, kAllLogsBytes / std::max<size_t>(programs, 1)));
  program_logs_.clear();
  program_logs_.reserve(programs);
  bpf_object__for_each_program(prog, bpf) {
    program_logs_.emplace_back(bpf_program__name(prog), std::vector<char>(size, '\0'));
    std::vector<char> &buffer = program_logs_.back().second;
    bpf_program__set_log_buf(prog, buffer.data(), buffer.size());
    bpf_program__set_log_level(prog, kLogLevel);
  }
}

std::string LibbpfLog::programLog(const std::string &name) const {
  for (const auto &[program, buffer] : program_logs_)
    if (program == name)
      return std::string(buffer.data(), strnlen(buffer.data(), buffer.size()));
  return "";
}

void printVerifierLogs(const object::BpfObject &object, const LibbpfLog &log) {
  for (const auto &[program, buffer] : log.programLogs()) {
    std::string probe = program;
    for (const object::ProgramDesc &desc : object.programs)
      if (desc.function == program) {
        probe = desc.probe_name;
        break;
      }
    std::string text = log.programLog(program);
    if (text.empty())
      continue;
    std::cerr << "verifier log of probe '" << probe << "' (prog '" << program << "'):\n"
              << text << (text.back() == '\n' ? "" : "\n");
  }
}

} // namespace scry::runtime
