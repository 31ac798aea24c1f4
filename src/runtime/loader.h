// Loading: opens codegen's ELF bytes with libbpf (object name "scry") and loads every
// program and map into the kernel. When the kernel refuses, says which probe and why
// (the verifier's complaint and the script line it was about), or that scry lacks the
// privileges to use BPF at all.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "object/object.h"

struct bpf_object;
struct bpf_program;

namespace scry::runtime {

struct BpfObjectCloser {
  void operator()(bpf_object *object) const;
};
using BpfObjectPtr = std::unique_ptr<bpf_object, BpfObjectCloser>;

// Routes libbpf's messages for as long as it lives (one per run): to stderr when
// `verbose`, otherwise nowhere; either way the text is kept so that a failed load can
// be explained. With `verifier_log` (-d verifier) every program gets a log buffer of
// its own, printed after the load whether the verifier accepted it or not.
class LibbpfLog {
public:
  explicit LibbpfLog(bool verbose, bool verifier_log = false);
  ~LibbpfLog();
  LibbpfLog(const LibbpfLog &) = delete;
  LibbpfLog &operator=(const LibbpfLog &) = delete;

  const std::string &text() const;
  void clear();
  bool verbose() const { return verbose_; }
  bool verifierLog() const { return verifier_log_; }
  // -d verifier: gives each program of `bpf` a log buffer (before the load) and the
  // log of program `name` (after it).
  void captureVerifierLogs(bpf_object *bpf);
  std::string programLog(const std::string &name) const;
  const std::vector<std::pair<std::string, std::vector<char>>> &programLogs() const {
    return program_logs_;
  }

private:
  bool verbose_;
  bool verifier_log_;
  std::vector<std::pair<std::string, std::vector<char>>> program_logs_;
};

// -d verifier: each program's verifier log on stderr, under the probe it serves
// (verifier_logs.cpp).
void printVerifierLogs(const object::BpfObject &object, const LibbpfLog &log);

// Opens and loads `object`; `before_load`, when set, may adjust the opened object's
// maps (dw_ustack sizes its rows map). On failure prints the ERROR lines to stderr and
// returns null.
BpfObjectPtr openAndLoad(const object::BpfObject &object, LibbpfLog &log,
                         const std::function<void(bpf_object *)> &before_load = {});

// Finds the program of `desc` by function name; prints an ERROR and returns null when the
// object has none.
bpf_program *findProgram(bpf_object *bpf, const object::ProgramDesc &desc);

// Whether the process may use bpf(): CAP_BPF or CAP_SYS_ADMIN in its effective set.
bool hasBpfCapability();

} // namespace scry::runtime
