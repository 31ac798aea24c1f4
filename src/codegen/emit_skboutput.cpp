// Emission of skboutput(path, skb, length, offset) (issue 5). bpf_skb_output(skb, map,
// flags, data, size) (its context is the skb, not the program's) sends a
// perf sample of our metadata (object::SkbOutputMeta) followed by the first bytes of the
// packet's data into a BPF_MAP_TYPE_PERF_EVENT_ARRAY (a ring buffer will not do: the
// helper writes perf events only). The runtime writes one pcap record per sample
// (runtime/skb_output.h). The call yields the helper's result: 0, or a negative errno.
#include <algorithm>
#include <bit>

#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

// A perf record is at most 64 KiB (a u16 size) including its 8-byte header, the u32 raw
// size, the metadata and padding: the packet bytes copied are capped below that.
constexpr uint64_t kMaxCapture = 65000;
constexpr uint64_t kCurrentCpu = 0xffffffffULL; // BPF_F_CURRENT_CPU

uint32_t pathId(object::BpfObject &out, const std::string &path) {
  for (size_t i = 0; i < out.skb_outputs.size(); ++i)
    if (out.skb_outputs[i] == path)
      return static_cast<uint32_t>(i);
  out.skb_outputs.push_back(path);
  return static_cast<uint32_t>(out.skb_outputs.size() - 1);
}

} // namespace

llvm::Value *ProgramEmitter::emitSkboutput(ast::Call *call) {
  if (!s_.skb_output) { // one map per object
    s_.skb_output = mb_.declareMap("scry_skb_output", 4);
    // max_entries 0: libbpf makes it one per possible CPU when it creates the map.
    mb_.finishMap(s_.skb_output, {MapType::PerfEventArray, 4, 4, 0});
    s_.out.skb_output_map = "scry_skb_output";
    // As bpftrace's BPFTRACE_PERF_RB_PAGES, perf_rb_pages sizes each CPU's buffer.
    s_.out.skb_output_pages =
        std::bit_ceil(std::max<uint32_t>(s_.analysis.config.perf_rb_pages, 1));
  }
  uint32_t id = pathId(s_.out, ast::cast<ast::StringLit>(call->args[0])->value);
  llvm::Value *skb = b_.CreateIntToPtr(emitScalar(call->args[1]), mb_.ptr());
  llvm::Value *length = emitScalar(call->args[2]);
  llvm::Value *offset = emitScalar(call->args[3]);
  auto umin = [&](llvm::Value *a, llvm::Value *b) {
    return b_.CreateSelect(b_.CreateICmpULT(a, b), a, b);
  };
  // The helper copies exactly the bytes asked for, and fails if the packet is shorter:
  // ask for no more than skb->len (its offset from BTF, found by sema).
  llvm::Value *want = umin(b_.CreateAdd(offset, length), mb_.constI64(kMaxCapture));
  llvm::Value *packet_len = want;
  auto it = s_.analysis.constants.find(call->Node::id());
  if (it != s_.analysis.constants.end()) {
    llvm::Value *len_slot = allocBuffer(8);
    b_.CreateStore(mb_.constI64(0), len_slot);
    llvm::Value *src = b_.CreateGEP(b_.getInt8Ty(), skb, mb_.constI64(it->second));
    mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(), {len_slot, b_.getInt32(4), src});
    packet_len = b_.CreateZExt(b_.CreateLoad(b_.getInt32Ty(), len_slot), mb_.i64());
  }
  llvm::Value *captured = umin(want, packet_len);

  llvm::Value *meta = allocBuffer(sizeof(object::SkbOutputMeta));
  auto store32 = [&](llvm::Value *v, uint64_t at) {
    b_.CreateStore(b_.CreateTrunc(v, b_.getInt32Ty()), offsetPtr(meta, at));
  };
  b_.CreateStore(b_.getInt32(id), meta);
  store32(offset, offsetof(object::SkbOutputMeta, offset));
  store32(packet_len, offsetof(object::SkbOutputMeta, packet_len));
  store32(captured, offsetof(object::SkbOutputMeta, captured));
  b_.CreateStore(mb_.callHelper(Helper::KtimeGetBootNs, mb_.i64(), {}),
                 offsetPtr(meta, offsetof(object::SkbOutputMeta, boot_ns)));
  llvm::Value *flags = b_.CreateOr(b_.CreateShl(captured, 32), mb_.constI64(kCurrentCpu));
  return mb_.callHelper(Helper::SkbOutput, mb_.i64(),
                        {skb, s_.skb_output, flags, meta,
                         mb_.constI64(sizeof(object::SkbOutputMeta))});
}

} // namespace scry::codegen
