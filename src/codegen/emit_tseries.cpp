// Emission of tseries(n, interval_ns, num_intervals[, agg]) (issue 5), laid out as
// bpftrace lays it out. The interval of an event is its epoch, the TAI clock divided by
// interval_ns; the interval's slot, epoch % num_intervals, is appended to the map key,
// so each key has up to num_intervals elements. Each per-CPU element holds
//   int64 value   the last value, or the running avg total, max, min or sum
//   int64 meta    last: when it was set (ns); avg: how many; min/max: 1 once seeded
//   u64   epoch   the interval the slot holds now (0: never used)
// A slot reused for a later interval starts over (except for "last", overwritten
// anyway). User space combines the CPUs' copies of an interval (runtime/tseries.h).
#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

// Elements of one tseries map at most: they are allocated as used (BPF_F_NO_PREALLOC),
// so this bounds kernel memory, not what an idle map costs.
constexpr uint64_t kMaxTseriesEntries = 1u << 20;

uint32_t userKeySize(const object::MapDesc &desc) {
  return desc.key.kind == object::ValueKind::None ? 8 : (desc.key_size + 7) & ~7u;
}

} // namespace

void layoutTseriesMap(object::MapDesc &desc, uint32_t max_map_keys) {
  uint64_t keys = desc.key.kind == object::ValueKind::None ? 1 : max_map_keys;
  desc.key_size = userKeySize(desc) + 8;
  desc.max_entries = static_cast<uint32_t>(
      std::min<uint64_t>(keys * desc.value.tseries.num_intervals, kMaxTseriesEntries));
}

void ProgramEmitter::emitTseries(ast::MapAccess *map, ast::Call *call) {
  const ast::Type &type = s_.analysis.maps.at(map->name).value;
  const ast::TSeriesParams &params = type.tseriesParams();
  llvm::Value *arg = emitScalar(call->args[0]);
  llvm::Value *now = mb_.callHelper(Helper::KtimeGetTaiNs, mb_.i64(), {});
  llvm::Value *epoch = b_.CreateUDiv(now, mb_.constI64(params.interval_ns));
  llvm::Value *slot_number = b_.CreateURem(epoch, mb_.constI64(params.num_intervals));
  const sema::MapInfo &info = s_.analysis.maps.at(map->name);
  uint32_t user_size = info.key.isNone() ? 8 : (info.key.size() + 7) & ~7u;
  llvm::Value *key = emitKey(map, 8);
  b_.CreateStore(slot_number, offsetPtr(key, user_size));
  llvm::Value *slot = lookupOrInit(map, key, type.size());
  auto *update = newBlock("tseries_update");
  auto *done = newBlock("tseries_done");
  b_.CreateCondBr(b_.CreateIsNull(slot), done, update); // the map is full: counted
  b_.SetInsertPoint(update);
  llvm::Value *value_ptr = slot;
  llvm::Value *meta_ptr = offsetPtr(slot, 8);
  llvm::Value *epoch_ptr = offsetPtr(slot, 16);
  llvm::Value *value = b_.CreateLoad(mb_.i64(), value_ptr);
  llvm::Value *meta = b_.CreateLoad(mb_.i64(), meta_ptr);
  if (params.agg != ast::TSeriesAgg::Last) {
    // A slot last used for an older interval starts over.
    llvm::Value *stale = b_.CreateICmpNE(b_.CreateLoad(mb_.i64(), epoch_ptr), epoch);
    value = b_.CreateSelect(stale, mb_.constI64(0), value);
    meta = b_.CreateSelect(stale, mb_.constI64(0), meta);
  }
  switch (params.agg) {
  case ast::TSeriesAgg::Last:
    value = arg;
    meta = now;
    break;
  case ast::TSeriesAgg::Avg:
    value = b_.CreateAdd(value, arg);
    meta = b_.CreateAdd(meta, mb_.constI64(1));
    break;
  case ast::TSeriesAgg::Sum:
    value = b_.CreateAdd(value, arg);
    break;
  case ast::TSeriesAgg::Max:
  case ast::TSeriesAgg::Min: {
    bool is_min = params.agg == ast::TSeriesAgg::Min;
    llvm::Value *better =
        is_min ? (type.isSigned() ? b_.CreateICmpSLT(arg, value) : b_.CreateICmpULT(arg, value))
               : (type.isSigned() ? b_.CreateICmpSGT(arg, value) : b_.CreateICmpUGT(arg, value));
    llvm::Value *take = b_.CreateOr(b_.CreateICmpEQ(meta, mb_.constI64(0)), better);
    value = b_.CreateSelect(take, arg, value);
    meta = mb_.constI64(1);
    break;
  }
  }
  b_.CreateStore(value, value_ptr);
  b_.CreateStore(meta, meta_ptr);
  b_.CreateStore(epoch, epoch_ptr);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

} // namespace scry::codegen
