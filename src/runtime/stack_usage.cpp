// The BPF stack each program uses: the deepest r10-relative offset its instructions
// touch, directly (loads and stores through r10) or through a register set from r10
// and moved down by a constant (the addresses of stack buffers passed to helpers).
#include "runtime/stack_usage.h"

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <algorithm>

namespace scry::runtime {

namespace {

unsigned programStack(const bpf_insn *insns, size_t count) {
  int deepest = 0;
  bool from_fp[11] = {}; // registers holding r10 plus an offset seen so far
  for (size_t i = 0; i < count; ++i) {
    const bpf_insn &in = insns[i];
    uint8_t cls = BPF_CLASS(in.code);
    bool mem = cls == BPF_LDX || cls == BPF_STX || cls == BPF_ST;
    if (mem && ((cls == BPF_LDX && in.src_reg == BPF_REG_10) ||
                (cls != BPF_LDX && in.dst_reg == BPF_REG_10)))
      deepest = std::min<int>(deepest, in.off);
    if (cls == BPF_ALU64 && in.dst_reg <= 10) {
      uint8_t op = BPF_OP(in.code);
      if (op == BPF_MOV && BPF_SRC(in.code) == BPF_X)
        from_fp[in.dst_reg] = in.src_reg == BPF_REG_10;
      else if (op == BPF_ADD && BPF_SRC(in.code) == BPF_K && from_fp[in.dst_reg])
        deepest = std::min<int>(deepest, in.imm);
      else if (op != BPF_ADD)
        from_fp[in.dst_reg] = false;
    }
    if (cls == BPF_LD && BPF_MODE(in.code) == BPF_IMM)
      ++i; // a 16-byte instruction
  }
  return static_cast<unsigned>(-deepest);
}

} // namespace

std::vector<StackUsage> stackUsage(const object::BpfObject &object) {
  std::vector<StackUsage> out;
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "scry");
  bpf_object *bpf = bpf_object__open_mem(object.elf.data(), object.elf.size(), &opts);
  if (!bpf)
    return out;
  for (const auto &desc : object.programs) {
    bpf_program *prog = bpf_object__find_program_by_name(bpf, desc.function.c_str());
    if (prog)
      out.push_back({desc.probe_name, programStack(bpf_program__insns(prog),
                                                   bpf_program__insn_cnt(prog))});
  }
  bpf_object__close(bpf);
  return out;
}

} // namespace scry::runtime
