// Opening and loading the BPF object with libbpf 1.1, and explaining refusals.
#include "runtime/loader.h"

#include <bpf/libbpf.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "runtime/attach_families.h"
#include "runtime/verifier_log.h"
#include "support/limits.h"

namespace scry::runtime {

void BpfObjectCloser::operator()(bpf_object *object) const { bpf_object__close(object); }

namespace {

// libbpf's print callback takes no context, so the one live LibbpfLog keeps its state
// here.
std::string g_log_text;
bool g_log_verbose = false;
libbpf_print_fn_t g_previous_print = nullptr;

int printCallback(enum libbpf_print_level level, const char *format, va_list args) {
  va_list copy;
  va_copy(copy, args);
  char small[512];
  int n = std::vsnprintf(small, sizeof(small), format, copy);
  va_end(copy);
  if (n < 0)
    return n;
  std::string text;
  if (static_cast<size_t>(n) < sizeof(small)) {
    text.assign(small, static_cast<size_t>(n));
  } else {
    text.resize(static_cast<size_t>(n) + 1);
    std::vsnprintf(text.data(), text.size(), format, args);
    text.resize(static_cast<size_t>(n));
  }
  if (level == LIBBPF_WARN)
    g_log_text += text;
  if (g_log_verbose && level != LIBBPF_DEBUG)
    std::fputs(text.c_str(), stderr);
  return n;
}

// strerror() that also knows libbpf's own codes (LIBBPF_ERRNO__FORMAT and friends).
std::string errorText(int err) {
  char text[256];
  if (libbpf_strerror(err, text, sizeof(text)) != 0)
    return std::strerror(err);
  return text;
}

const object::ProgramDesc *programByFunction(const object::BpfObject &object,
                                             const std::string &function) {
  for (const object::ProgramDesc &desc : object.programs)
    if (desc.function == function)
      return &desc;
  return nullptr;
}

void reportRefusedProgram(const object::BpfObject &object, const LoadFailure &failure, int err,
                          bool full_log_shown) {
  const object::ProgramDesc *desc = programByFunction(object, failure.program);
  std::string probe = desc ? desc->probe_name : failure.program;
  std::string reason = failure.reason.empty() ? errorText(-err) : failure.reason;
  if (desc && desc->type == object::ProbeType::Fentry && err == -EPERM) {
    // Kernel 6.18 here: fentry/fexit/lsm loads fail with EPERM before verification (an
    // empty verifier log), even for root.
    std::cerr << "ERROR: the kernel refused fentry programs (EPERM) for probe '" << probe
              << "': this kernel does not allow BPF trampolines (fentry/fexit) here\n"
              << "HINT: use "
              << (desc->suggestion.empty() ? std::string("a tracepoint or rawtracepoint")
                                           : desc->suggestion)
              << " instead (scry -l 'tracepoint:*' lists them)\n";
    return;
  }
  if (failure.log.empty()) {
    std::cerr << "ERROR: the kernel refused probe '" << probe << "' (prog '" << failure.program
              << "'): " << reason << "\n";
    return;
  }
  // One line first: where in the script (BTF line info), and why in its terms; then
  // the verifier's own words.
  VerifierSummary summary = summarizeVerifierLog(failure.log);
  std::string cause = explainComplaint(summary.complaint);
  if (summary.line > 0)
    std::cerr << summary.file << ":" << summary.line << ": ";
  std::cerr << "ERROR: the kernel's verifier refused probe '" << probe << "': "
            << (!cause.empty()                ? cause
                : !summary.complaint.empty() ? summary.complaint
                                             : reason)
            << "\n";
  if (summary.line > 0)
    std::cerr << summary.source << "\n";
  if (!summary.complaint.empty())
    std::cerr << "verifier: " << summary.complaint << "\n";
  if (!full_log_shown)
    std::cerr << "HINT: run with -d verifier (or -v) to see the whole verifier log\n";
}

// One line naming the map as the script does, and what it was for.
void reportMapFailure(const object::BpfObject &object, const LoadFailure &failure, int err) {
  std::string what = "'" + failure.map + "'";
  for (const object::MapDesc &map : object.maps)
    if (map.elf_name == failure.map)
      what = "for " + map.name + " (" + std::to_string(map.max_entries) + " entries of " +
             std::to_string(map.key_size) + "-byte keys)";
  if (failure.map.starts_with("scry_scratch"))
    what += " (per-CPU scratch space for the strings and tuples one probe builds)";
  std::cerr << "ERROR: cannot create map " << what << ": "
            << (failure.map_reason.empty() ? errorText(-err) : failure.map_reason) << "\n";
  if (err == -E2BIG && failure.map.starts_with("scry_scratch"))
    std::cerr << "HINT: the kernel (6.18) allows 32 KiB per CPU; use fewer or shorter strings "
                 "(config max_strlen)\n";
  else if (err == -ENOMEM || err == -E2BIG)
    std::cerr << "HINT: lower config max_map_keys, or use smaller keys\n";
}

void reportLoadFailure(const object::BpfObject &object, const LibbpfLog &log, int err) {
  LoadFailure failure = parseLibbpfOutput(log.text());
  if (log.verifierLog() && !failure.program.empty()) // -d verifier: our own log buffers
    failure.log = log.programLog(failure.program);
  if (err == -EMFILE || err == -ENFILE) { // not the verifier's doing, whatever the log says
    std::cerr << "ERROR: cannot load the BPF object: " << support::fileLimitText() << "\n";
    return;
  }
  if (err == -EPERM && !hasBpfCapability()) {
    std::cerr << "ERROR: scry needs root to load BPF programs (or the capabilities CAP_BPF and "
                 "CAP_PERFMON, plus CAP_DAC_READ_SEARCH for tracepoints)\n";
    return;
  }
  if (!failure.map.empty()) {
    reportMapFailure(object, failure, err);
    return;
  }
  if (!failure.program.empty()) {
    reportRefusedProgram(object, failure, err, log.verbose() || log.verifierLog());
    return;
  }
  if (err == -EPERM) { // the capabilities are there (above): the bpf() call itself is refused
    std::cerr << "ERROR: the kernel refused the bpf() system call (Operation not permitted) "
                 "although scry has CAP_BPF: it runs in a user namespace or container, or a "
                 "security policy (lockdown, seccomp, an LSM) forbids BPF here\n";
    return;
  }
  std::cerr << "ERROR: failed to load the BPF object: " << errorText(-err) << "\n";
  if (!failure.last_warning.empty())
    std::cerr << "libbpf: " << failure.last_warning << "\n";
}

} // namespace

LibbpfLog::LibbpfLog(bool verbose, bool verifier_log)
    : verbose_(verbose), verifier_log_(verifier_log) {
  g_log_text.clear();
  g_log_verbose = verbose;
  g_previous_print = libbpf_set_print(printCallback);
}

LibbpfLog::~LibbpfLog() {
  libbpf_set_print(g_previous_print);
  g_log_text.clear();
}

const std::string &LibbpfLog::text() const { return g_log_text; }

void LibbpfLog::clear() { g_log_text.clear(); }

bool hasBpfCapability() {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0)
    return geteuid() == 0;
  auto has = [&](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1U; };
  return has(CAP_SYS_ADMIN) || has(CAP_BPF);
}

BpfObjectPtr openAndLoad(const object::BpfObject &object, LibbpfLog &log,
                         const std::function<void(bpf_object *)> &before_load) {
  bpf_object_open_opts opts{};
  opts.sz = sizeof(opts);
  opts.object_name = "scry";
  log.clear();
  BpfObjectPtr bpf(bpf_object__open_mem(object.elf.data(), object.elf.size(), &opts));
  if (!bpf) {
    int err = errno;
    std::cerr << "ERROR: failed to open the BPF object: " << errorText(err) << "\n";
    LoadFailure failure = parseLibbpfOutput(log.text());
    if (!failure.last_warning.empty())
      std::cerr << "libbpf: " << failure.last_warning << "\n";
    return nullptr;
  }
  // RLIMIT_MEMLOCK: libbpf 1.1 only raises it on kernels without memcg accounting of BPF
  // memory (before 5.11); 6.18 accounts it, so a failed bump is never our error.
  setMultiAttachTypes(bpf.get(), object); // attach_multi.cpp (issue 4)
  if (before_load)
    before_load(bpf.get());
  if (log.verifierLog())
    log.captureVerifierLogs(bpf.get()); // verifier_logs.cpp
  int err = bpf_object__load(bpf.get());
  if (err)
    reportLoadFailure(object, log, err); // the one-line cause comes before the logs
  if (log.verifierLog())
    printVerifierLogs(object, log);
  if (err)
    return nullptr;
  return bpf;
}

bpf_program *findProgram(bpf_object *bpf, const object::ProgramDesc &desc) {
  bpf_program *prog = bpf_object__find_program_by_name(bpf, desc.function.c_str());
  if (!prog)
    std::cerr << "ERROR: the BPF object has no program '" << desc.function << "' for probe '"
              << desc.probe_name << "'\n";
  return prog;
}

} // namespace scry::runtime
