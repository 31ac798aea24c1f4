// Kernel function prototypes, raw tracepoint prototypes and struct text from vmlinux
// BTF, with libbpf's btf_dump printing C declarations. See kernel_funcs.h.
#include "btf/kernel_funcs.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include "support/strings.h"

namespace scry::btf {

namespace {

constexpr std::string_view kRawTpPrefix = "btf_trace_";

void appendPrintf(void *ctx, const char *fmt, va_list args) {
  char buf[512];
  int n = std::vsnprintf(buf, sizeof(buf), fmt, args);
  if (n > 0)
    static_cast<std::string *>(ctx)->append(buf, std::min<size_t>(n, sizeof(buf) - 1));
}

// C text of type `id` declaring `field` (empty: an abstract declarator), indented.
std::string emitDecl(const struct ::btf *btf, uint32_t id, const char *field, int indent) {
  std::string text;
  btf_dump *dump = btf_dump__new(btf, appendPrintf, &text, nullptr);
  if (!dump)
    return "?";
  btf_dump_emit_type_decl_opts opts{};
  opts.sz = sizeof(opts);
  opts.field_name = field;
  opts.indent_level = indent;
  btf_dump__emit_type_decl(dump, id, &opts);
  btf_dump__free(dump);
  return text;
}

} // namespace

bool KernelFuncs::index(std::string &error) {
  if (!btf_.load(error))
    return false;
  if (indexed_)
    return true;
  indexed_ = true;
  const struct ::btf *b = btf_.raw();
  uint32_t count = btf__type_cnt(b);
  for (uint32_t id = 1; id < count; ++id) {
    const btf_type *t = btf__type_by_id(b, id);
    if (t->name_off == 0)
      continue;
    std::string_view name = btf__name_by_offset(b, t->name_off);
    if (btf_is_func(t))
      funcs_.try_emplace(name, id);
    else if (btf_is_typedef(t) && name.substr(0, kRawTpPrefix.size()) == kRawTpPrefix)
      raw_tps_.try_emplace(name.substr(kRawTpPrefix.size()), id);
  }
  return true;
}

std::string KernelFuncs::decl(uint32_t type_id, const std::string &name) {
  std::string text = emitDecl(btf_.raw(), type_id, "", 0);
  return name.empty() ? text : text + " " + name;
}

bool KernelFuncs::fromProto(uint32_t proto_id, size_t skip, FuncInfo &out) {
  const struct ::btf *b = btf_.raw();
  const btf_type *proto = btf__type_by_id(b, proto_id);
  if (!proto || !btf_is_func_proto(proto))
    return false;
  const btf_param *params = btf_params(proto);
  for (size_t i = skip; i < btf_vlen(proto); ++i) {
    if (params[i].type == 0) // `...`
      break;
    FuncParam p;
    p.name = btf__name_by_offset(b, params[i].name_off);
    if (p.name.empty())
      p.name = "arg" + std::to_string(i - skip);
    p.type = btf_.toType(params[i].type, ast::AddrSpace::Kernel, false);
    p.decl = decl(params[i].type, p.name);
    out.params.push_back(std::move(p));
  }
  if (proto->type != 0) {
    out.ret = btf_.toType(proto->type, ast::AddrSpace::Kernel, false);
    out.ret_decl = decl(proto->type, "retval");
  }
  return true;
}

bool KernelFuncs::function(const std::string &name, FuncInfo &out, std::string &error) {
  if (!index(error))
    return false;
  auto it = funcs_.find(name);
  if (it == funcs_.end()) {
    error = "kernel BTF has no function '" + name + "'";
    return false;
  }
  out = FuncInfo{};
  out.name = name;
  return fromProto(btf__type_by_id(btf_.raw(), it->second)->type, 0, out);
}

bool KernelFuncs::hasRawTracepoint(const std::string &event) {
  std::string error;
  return index(error) && raw_tps_.count(event) != 0;
}

bool KernelFuncs::rawTracepoint(const std::string &event, FuncInfo &out, std::string &error) {
  if (!index(error))
    return false;
  // __bpf_trace_<event> (the tracepoint's BPF glue) has the same parameters as the
  // btf_trace_<event> typedef, and, unlike it, their names.
  if (auto glue = funcs_.find("__bpf_trace_" + event); glue != funcs_.end()) {
    out = FuncInfo{};
    out.name = event;
    if (fromProto(btf__type_by_id(btf_.raw(), glue->second)->type, 1, out))
      return true;
  }
  auto it = raw_tps_.find(event);
  if (it == raw_tps_.end()) {
    error = "kernel BTF has no raw tracepoint '" + event + "' (no btf_trace_" + event + ")";
    return false;
  }
  const struct ::btf *b = btf_.raw();
  const btf_type *ptr = btf__type_by_id(b, btf__type_by_id(b, it->second)->type);
  out = FuncInfo{};
  out.name = event;
  return ptr && btf_is_ptr(ptr) && fromProto(ptr->type, 1, out);
}

namespace {

std::vector<std::string>
matching(const std::unordered_map<std::string_view, uint32_t> &names, std::string_view glob) {
  std::vector<std::string> out;
  for (const auto &[name, id] : names)
    if (support::globMatch(glob, name))
      out.emplace_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

std::vector<std::string> KernelFuncs::functions(std::string_view glob) {
  std::string error;
  return index(error) ? matching(funcs_, glob) : std::vector<std::string>{};
}

std::vector<std::string> KernelFuncs::rawTracepoints(std::string_view glob) {
  std::string error;
  return index(error) ? matching(raw_tps_, glob) : std::vector<std::string>{};
}

std::string KernelFuncs::dumpRecord(const std::string &name, std::string &error) {
  if (!btf_.load(error))
    return "";
  bool is_union = name.rfind("union ", 0) == 0;
  std::string bare = name.substr(name.find(' ') + 1);
  uint32_t id = btf_.find(is_union ? BtfTypes::Space::Union : BtfTypes::Space::Struct, bare);
  const struct ::btf *b = btf_.raw();
  const btf_type *t = id ? btf__type_by_id(b, id) : nullptr;
  if (!t || !(btf_is_struct(t) || btf_is_union(t))) {
    error = "kernel BTF has no type '" + name + "'";
    return "";
  }
  std::string text = name + " {\n";
  const btf_member *m = btf_members(t);
  for (size_t i = 0; i < btf_vlen(t); ++i) {
    std::string field = btf__name_by_offset(b, m[i].name_off);
    text += "\t" + emitDecl(b, m[i].type, field.c_str(), 1);
    uint32_t bits = btf_member_bitfield_size(t, static_cast<uint32_t>(i));
    if (bits)
      text += ": " + std::to_string(bits);
    text += ";\n";
  }
  return text + "};";
}

} // namespace scry::btf
