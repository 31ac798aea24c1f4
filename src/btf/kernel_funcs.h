// Kernel functions and raw tracepoints from vmlinux BTF: the FUNC entries (what kprobes
// and fentry can attach to, 56k of them on 6.18), the btf_trace_<event> typedefs (one per
// raw tracepoint), their prototypes typed as ast::Types with C declarations for listing,
// and C text of a struct/union for `-lv 'struct X'`.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ast/type.h"
#include "btf/btf_types.h"

namespace scry::btf {

struct FuncParam {
  std::string name;
  ast::Type type; // pointers point into kernel memory
  std::string decl; // C declaration as bpftrace lists it: "const char * filename"
};

struct FuncInfo {
  std::string name;
  std::vector<FuncParam> params;
  ast::Type ret;           // none for void
  std::string ret_decl;    // "ssize_t retval", or "" for void
};

class KernelFuncs {
public:
  explicit KernelFuncs(BtfTypes &btf) : btf_(btf) {}

  // The prototype of kernel function `name`; false with `error` set when BTF cannot be
  // loaded or has no such FUNC.
  bool function(const std::string &name, FuncInfo &out, std::string &error);
  // The arguments of raw tracepoint `event` from typedef btf_trace_<event> (a pointer to
  // a prototype whose first parameter, the tracepoint's private data, is dropped).
  bool rawTracepoint(const std::string &event, FuncInfo &out, std::string &error);
  // Names matching `glob`, sorted; empty when BTF cannot be loaded.
  std::vector<std::string> functions(std::string_view glob);
  std::vector<std::string> rawTracepoints(std::string_view glob);
  // Whether the kernel has raw tracepoint `event` (a btf_trace_<event> typedef), without
  // building its prototype.
  bool hasRawTracepoint(const std::string &event);
  // "struct NAME {\n\tTYPE FIELD;\n...};" (bpftrace's -lv form), or "" with `error`.
  std::string dumpRecord(const std::string &name, std::string &error);

private:
  bool index(std::string &error);
  bool fromProto(uint32_t proto_id, size_t skip, FuncInfo &out);
  std::string decl(uint32_t type_id, const std::string &name);

  BtfTypes &btf_;
  bool indexed_ = false;
  std::unordered_map<std::string_view, uint32_t> funcs_;      // FUNC name -> id
  std::unordered_map<std::string_view, uint32_t> raw_tps_;    // event -> typedef id
};

} // namespace scry::btf
