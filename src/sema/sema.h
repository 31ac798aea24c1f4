// The semantic pass: attach-point expansion, then type resolution and checking.
// Input: the parsed Program and a btf::TypeSource. Output: the expanded probes and an
// Analysis (a type for every expression, the unified type of every map, the config).
// Errors go to diag::Diagnostics; the driver stops when any was reported.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "ast/type.h"
#include "btf/type_source.h"
#include "diag/diagnostics.h"
#include "sema/named_params.h"
#include "support/missing_probes.h"

namespace scry::symbols {
class KernelSymbols;
}

namespace scry::sema {

// Settings from the script's `config = { ... }` block.
struct Config {
  uint32_t max_strlen = btf::kDefaultMaxStrlen;
  uint32_t max_map_keys = 4096;
  uint32_t max_cat_bytes = 10240; // what cat() prints of a file at most
  // Pages of the events ring buffer (bpftrace's perf_rb_pages), rounded up to a power
  // of two by codegen (issue 7).
  uint32_t perf_rb_pages = 256;
  ast::StackMode stack_mode = ast::StackMode::Bpftrace; // kstack/ustack's default (issue 5)
  // What follows a string cut at max_strlen when printed ("" for nothing; issue #5).
  std::string str_trunc_trailer = "..";
  // `export = "prometheus=[ADDR:]PORT"` (issue 9): --export from the script; the
  // command line's --export wins. Not from the environment.
  std::string export_spec;
  // unstable_typeinfo (issue 3): typeinfo() is refused (the default, as in bpftrace
  // 0.26), allowed with a warning, or allowed.
  enum class Unstable { Enable, Warn, Error };
  Unstable unstable_typeinfo = Unstable::Error;
  // unstable_dw_ustack (issue 5): dw_ustack warns by default, as in bpftrace 0.26.
  Unstable unstable_dw_ustack = Unstable::Warn;
};

// One attach point after expansion (a wildcard yields several).
struct ProbeSpec {
  ast::Probe *probe = nullptr;
  const ast::AttachPoint *attach_point = nullptr;
  ast::ProbeKind kind = ast::ProbeKind::Unknown;
  std::string name;            // canonical: "BEGIN", "tracepoint:cat:event", "interval:ms:500"
  std::string category, event; // Tracepoint
  uint64_t period_ns = 0;      // Interval
  std::shared_ptr<const ast::RecordType> args; // Tracepoint; typed params (rt, kprobe, fentry)
  // The issue-4 probe families (expanded in src/sema/attach_*.cpp):
  std::string func;       // Kprobe/Fentry/Uprobe: function; RawTracepoint: event; Usdt: name
  std::string path;       // Uprobe/Usdt: the binary, resolved; Usdt: provider in `category`
  uint64_t offset = 0;    // Kprobe: +off; Uprobe: file offset of the probed instruction
  bool is_return = false; // kretprobe, fexit, uretprobe
  bool raw_tp = false;    // RawTracepoint without BTF (raw_tp, untyped args)
  uint32_t perf_type = 0; // profile/software/hardware: perf_event_attr type, config, period
  uint64_t perf_config = 0, perf_period = 0;
  bool perf_freq = false;       // perf_period is a frequency (profile:hz)
  ast::Type retval;             // fexit: the function's return type
  std::string suggestion;       // Kprobe/Fentry: the tracepoint covering the same event
  // Tracepoint whose args are not read and whose raw tracepoint exists: attachable as a
  // raw tracepoint, which detaches in 0.1 ms where a perf-event tracepoint costs ~73 ms
  // on 6.18 (issue 4).
  bool raw_attach = false;
  // Uprobe args from DWARF (issue 4, attach_uprobe_args.cpp): the probed function's entry
  // address; why `args` is unavailable when `args` is null (no debug info, an offset);
  // the parameters `args` cannot read, by name, and why (on the stack, in SSE registers).
  uint64_t address = 0;
  std::string args_error;
  std::map<std::string, std::string> args_unreadable;
};

// What attach-point expansion needs besides the program.
struct ExpandOptions {
  int pid = -1; // -p: uprobe/USDT binaries are resolved through /proc/PID/root
  // More probes than this after expansion is an error (bpftrace's max_probes; the
  // driver takes BPFTRACE_MAX_PROBES).
  size_t max_probes = 1024;
  // missing_probes (issue 4): attach points naming nothing are errors, warnings or
  // skipped silently (readMissingProbes reads the setting).
  support::MissingProbes missing_probes = support::MissingProbes::Error;
  // The kernel takes a BPF cookie on raw tracepoint links (6.10+), so tracepoints whose
  // args are not read can share one raw_tp program (ProbeSpec::raw_attach).
  bool raw_tracepoint_cookies = false;
};

// Splits, validates and expands every attach point of `program`, in source order.
// Tracepoint argument layouts are read here (only for the tracepoints named).
std::vector<ProbeSpec> expandAttachPoints(const ast::Program &program, btf::TypeSource &types,
                                          diag::Diagnostics &diags,
                                          const ExpandOptions &options = {});

// The missing_probes setting of `program`'s config block, overridden by
// BPFTRACE_MISSING_PROBES in `environment`; an invalid value is reported (ConfigKey)
// and gives the default, Error. Read before expansion, which needs it (issue 4).
support::MissingProbes readMissingProbes(
    const ast::Program &program,
    const std::vector<std::pair<std::string, std::string>> &environment,
    diag::Diagnostics &diags);

struct MapInfo {
  std::string name;
  ast::Type key;   // None: a scalar map; one key's type; or a Tuple for `@m[a, b]`
  ast::Type value; // integers are widened to 64 bits; Count for count()
  ast::SourceRange first_assignment;
  // One per key part, from the first assignment's key expressions (sema/key_names.h).
  std::vector<std::string> key_names;
};

// A map declared in the preamble (`let @m = lruhash(100);`, bpftrace 0.24+): the BPF
// map type and size codegen gives it. Per-CPU kinds hold aggregations (count(), sum()
// ...), the others plain values.
enum class MapKind { Hash, LruHash, PercpuHash, PercpuLruHash };
const char *mapKindName(MapKind kind);
struct MapDeclInfo {
  MapKind kind = MapKind::Hash;
  uint32_t max_entries = 0; // 0: not given (`let @m[a, b];` names the key parts only)
  ast::SourceRange range;
  std::vector<std::string> labels; // the key parts' names, when declared
  ast::SourceRange labels_range;
};

// dw_ustack (issue 5): the kernel's field offsets that the BPF unwinder reads from the
// VMA bpf_find_vma gives it (emit_dw_ustack.cpp); `used` once the script unwinds.
struct DwUnwindOffsets {
  bool used = false;
  uint32_t vm_start = 0, vm_pgoff = 0, vm_file = 0; // struct vm_area_struct
  uint32_t f_inode = 0;                             // struct file
  uint32_t i_ino = 0, i_sb = 0;                     // struct inode
  uint32_t s_dev = 0;                               // struct super_block
};

struct Analysis {
  Config config;
  std::vector<ast::Type> types;          // indexed by ast::Node::id()
  std::map<std::string, MapInfo> maps;   // sorted by name
  std::map<uint32_t, uint64_t> constants; // values sema computed (sizeof), by node id
  // percpu_kaddr(): the ksym's type shape (btf/kernel_vars.h) by call id (checker_kfuncs.cpp)
  std::map<uint32_t, std::string> ksym_shapes;
  std::vector<std::string> params;        // positional parameters $1..$N
  std::map<std::string, MapDeclInfo> map_decls; // issue 3: declared maps, by name
  // uaddr() of a symbol in a PIE binary or a library (issue 5), by node id: the
  // symbol's address minus the probed instruction's, for each attach point by name;
  // codegen adds it to the address the probe fired at. Other uaddr() are constants.
  std::map<uint32_t, std::map<std::string, int64_t>> pie_offsets;
  std::vector<NamedParam> named_params; // getopt() options with their values (named_params.h)
  DwUnwindOffsets dw_unwind;            // dw_ustack (checker_stacks.cpp)
  const ast::Type &typeOf(const ast::Node *node) const { return types.at(node->id()); }
  // What `-d types` prints after `node`: its type, or "" when it has none.
  std::string typeLabel(const ast::Node *node) const {
    bool typed = node->id() < types.size() && !types[node->id()].isNone();
    return typed ? types[node->id()].str() : std::string();
  }
};

// What type resolution reads besides the program.
struct Inputs {
  btf::TypeSource *types = nullptr;  // kernel structs (casts, curtask); null: none known
  std::vector<std::string> params;   // positional parameters $1..$N
  // The environment's BPFTRACE_* variables (name, value); they override the script's
  // config block, as in bpftrace.
  std::vector<std::pair<std::string, std::string>> environment;
  // --unsafe: allow system(), signal() and override() (docs/security.md).
  bool unsafe = false;
  // kaddr()'s kernel symbols (issue 5); null: /proc/kallsyms, read when first needed.
  const symbols::KernelSymbols *kernel_symbols = nullptr;
  // -c CMD was given: `cpid` is the child's pid and `has_cpid` true (checker_task.cpp).
  bool has_cpid = false;
  // The command line's getopt() arguments, "name" or "name=value" (applyNamedArgs).
  std::vector<std::string> named_args{};
};

// is_str, is_ptr, is_integer, is_unsigned_integer, is_array, is_literal, is_err: bools
// sema knows (except is_err of a runtime value) (checker_ctfuncs.cpp).
bool isTypePredicate(ast::FuncId id);

// bpftrace's name of a probe type, the value of `probetype` (checker_task.cpp).
const char *probeTypeName(ast::ProbeKind kind);

// Types every expression of `program` given its expanded probes.
Analysis resolveTypes(const ast::Program &program, ast::Context &ctx,
                      const std::vector<ProbeSpec> &probes, const Inputs &inputs,
                      diag::Diagnostics &diags);
// The same with no kernel types and no positional parameters.
Analysis resolveTypes(const ast::Program &program, ast::Context &ctx,
                      const std::vector<ProbeSpec> &probes, diag::Diagnostics &diags);

} // namespace scry::sema
