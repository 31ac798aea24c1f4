#include "btf/kfunc_probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace scry::btf {

namespace {

bpf_prog_type progType(KfuncProgType type) {
  switch (type) {
  case KfuncProgType::Tracepoint: return BPF_PROG_TYPE_TRACEPOINT;
  case KfuncProgType::PerfEvent: return BPF_PROG_TYPE_PERF_EVENT;
  case KfuncProgType::Kprobe: return BPF_PROG_TYPE_KPROBE;
  case KfuncProgType::RawTracepoint: return BPF_PROG_TYPE_RAW_TRACEPOINT;
  case KfuncProgType::Tracing: return BPF_PROG_TYPE_TRACING;
  }
  return BPF_PROG_TYPE_UNSPEC;
}

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

} // namespace

bool probeKfuncAllowed(BtfTypes &btf, const std::string &name, KfuncProgType type,
                       bool &allowed, std::string &error) {
  if (!btf.load(error))
    return false;
  const struct ::btf *vmlinux = btf.raw();
  int func = btf__find_by_name_kind(vmlinux, name.c_str(), BTF_KIND_FUNC);
  if (func <= 0) {
    error = "the kernel's BTF has no function '" + name + "'";
    return false;
  }
  // r1..r5 = 0; call name; r0 = 0; exit
  std::vector<bpf_insn> prog;
  for (uint8_t reg = 1; reg <= 5; ++reg)
    prog.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, reg, 0, 0, 0));
  prog.push_back(insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, func));
  prog.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0));
  prog.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  std::vector<char> log(64 * 1024);
  opts.log_buf = log.data();
  opts.log_size = static_cast<uint32_t>(log.size());
  opts.log_level = 1;
  if (type == KfuncProgType::Tracing) { // as a tp_btf program on a tracepoint every kernel has
    int target = btf__find_by_name_kind(vmlinux, "btf_trace_sched_switch", BTF_KIND_TYPEDEF);
    if (target <= 0) {
      error = "the kernel's BTF has no btf_trace_sched_switch to load a tracing program on";
      return false;
    }
    opts.expected_attach_type = BPF_TRACE_RAW_TP;
    opts.attach_btf_id = static_cast<uint32_t>(target);
  }
  int fd = bpf_prog_load(progType(type), "scry_kfunc_probe", "GPL", prog.data(),
                         prog.size(), &opts);
  if (fd >= 0) {
    close(fd);
    allowed = true;
    return true;
  }
  int err = errno;
  if (std::strstr(log.data(), "is not allowed") || std::strstr(log.data(), "not allowed in")) {
    allowed = false;
    return true;
  }
  if (err == EPERM || log[0] == '\0') {
    error = std::string("the kernel refused to load a program to ask (") + std::strerror(err) + ")";
    return false;
  }
  allowed = true; // refused for another reason, after the call itself was accepted
  return true;
}

} // namespace scry::btf
