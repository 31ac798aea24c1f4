// Loading: opens codegen's ELF bytes with libbpf (object name "scry") and loads every
// program and map into the kernel. When the kernel refuses, says which probe and why
// (the verifier's complaint and the script line it was about), or that scry lacks the
// privileges to use BPF at all.
#pragma once

#include <memory>
#include <string>

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
// be explained.
class LibbpfLog {
public:
  explicit LibbpfLog(bool verbose);
  ~LibbpfLog();
  LibbpfLog(const LibbpfLog &) = delete;
  LibbpfLog &operator=(const LibbpfLog &) = delete;

  const std::string &text() const;
  void clear();
  bool verbose() const { return verbose_; }

private:
  bool verbose_;
};

// Opens and loads `object`. On failure prints the ERROR lines to stderr and returns null.
BpfObjectPtr openAndLoad(const object::BpfObject &object, LibbpfLog &log);

// Finds the program of `desc` by function name; prints an ERROR and returns null when the
// object has none.
bpf_program *findProgram(bpf_object *bpf, const object::ProgramDesc &desc);

// Whether the process may use bpf(): CAP_BPF or CAP_SYS_ADMIN in its effective set.
bool hasBpfCapability();

} // namespace scry::runtime
