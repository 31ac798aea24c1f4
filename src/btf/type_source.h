// Where scry learns the kernel's types: vmlinux BTF and tracefs format files.
// Everything is loaded lazily: a script that names no tracepoint and no kernel type
// never opens /sys/kernel/btf/vmlinux.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ast/type.h"
#include "btf/kernel_funcs.h"
#include "btf/kfunc_probe.h"

namespace scry::btf {

class TypeSource {
public:
  virtual ~TypeSource() = default;

  // The fields of tracepoint `category:event` as its format file lays them out
  // (common_* fields excluded), each typed through BTF:
  //   int dfd                -> int32
  //   const char * filename  -> pointer to int8 (user space for syscalls:*, else kernel)
  //   char prev_comm[16]     -> string[16]
  //   __data_loc char[] name -> string (max_strlen) with Field::data_loc set
  //   unsigned long args[6]  -> array of uint64
  //   umode_t mode (size 8)  -> integer of the format file's size and signedness
  // Returns null and sets `error` when the tracepoint does not exist or cannot be
  // read (the message names the cause: missing tracepoint, tracefs not mountable,
  // permission denied).
  virtual std::shared_ptr<const ast::RecordType> tracepointArgs(const std::string &category,
                                                                const std::string &event,
                                                                std::string &error) = 0;

  // Whether tracepoint `category:event` exists.
  virtual bool hasTracepoint(const std::string &category, const std::string &event) = 0;

  // "category:event" names matching the two glob patterns (`*`, `?`), sorted.
  virtual std::vector<std::string> tracepoints(std::string_view category_glob,
                                               std::string_view event_glob) = 0;

  // The kernel struct or union `name` ("struct task_struct", "union bpf_attr", or a
  // typedef of one such as "siginfo_t") from BTF, fields resolved one level deep as for
  // a tracepoint's pointer fields; pointers in it carry `as`. Returns null and sets
  // `error` when BTF cannot be loaded or has no such type. The default (for fakes) has
  // no kernel types.
  virtual std::shared_ptr<const ast::RecordType> kernelRecord(const std::string &name,
                                                              ast::AddrSpace as,
                                                              std::string &error) {
    (void)as;
    error = "no kernel type information for '" + name + "'";
    return nullptr;
  }

  // Kernel functions and raw tracepoints from BTF (see kernel_funcs.h): a prototype, or
  // false with `error` set; names matching a glob, sorted; a struct's C text for -lv.
  // The defaults (for fakes) know none.
  virtual bool kernelFunction(const std::string &name, FuncInfo &out, std::string &error) {
    (void)out;
    error = "no kernel function '" + name + "'";
    return false;
  }
  virtual bool rawTracepoint(const std::string &event, FuncInfo &out, std::string &error) {
    (void)out;
    error = "no raw tracepoint '" + event + "'";
    return false;
  }
  // Whether raw tracepoint `event` exists, without typing its prototype (issue 4).
  virtual bool hasRawTracepoint(const std::string &event) {
    FuncInfo info;
    std::string error;
    return rawTracepoint(event, info, error);
  }
  virtual std::vector<std::string> kernelFunctions(std::string_view) { return {}; }
  virtual std::vector<std::string> rawTracepoints(std::string_view) { return {}; }
  virtual std::string dumpRecord(const std::string &name, std::string &error) {
    error = "no kernel type information for '" + name + "'";
    return "";
  }
  // kfunc_allowed(): sets `allowed` for kfunc `name` in programs of `type`
  // (kfunc_probe.h); false with `error` set when that cannot be known. The default (for
  // fakes) knows no kfuncs.
  virtual bool kfuncAllowed(const std::string &name, KfuncProgType type, bool &allowed,
                            std::string &error) {
    (void)type;
    (void)allowed;
    error = "no kernel function '" + name + "'";
    return false;
  }
  // The shape of kernel variable `name`'s type for a typed ksym (kernel_vars.h:
  // percpu_kaddr()); false with `error` set. The default (for fakes) knows none.
  virtual bool kernelVariable(const std::string &name, std::string &shape, std::string &error) {
    (void)shape;
    error = "no kernel variable named '" + name + "'";
    return false;
  }
};

// The running kernel. `tracefs_root` defaults to /sys/kernel/tracing (mounted on
// first use when it is not), `btf_path` to /sys/kernel/btf/vmlinux. Construction reads
// nothing. Tests pass a fixture directory (holding events/<cat>/<event>/format; never
// mounted) and a BTF file they wrote.
std::unique_ptr<TypeSource> makeKernelTypeSource(std::string tracefs_root = "",
                                                 std::string btf_path = "");

// Makes sure tracefs is mounted at /sys/kernel/tracing, mounting it if needed.
// Returns the tracefs root, or "" with `error` set.
std::string ensureTracefs(std::string &error);

// Default size of strings read from the kernel (bpftrace's max_strlen).
constexpr uint32_t kDefaultMaxStrlen = 1024;

} // namespace scry::btf
