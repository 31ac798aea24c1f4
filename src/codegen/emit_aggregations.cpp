// Emission of the aggregations (sum, avg, min, max, stats, hist, lhist) into per-CPU
// map values, and of reads of count/sum/min/max/avg maps in expressions.
//
// Per-CPU value layouts (object::ValueKind documents them for the runtime):
//   sum            int64 total
//   min, max       int64 value, u64 seen (0 until the first value seeds it)
//   avg, stats     u64 count, int64 total
//   hist, lhist    u64 buckets[n], int64 sum of the values
// An element missing on this CPU is created from an all-zero value (a one-entry array
// map that nothing writes), then updated in place: no large buffer on the stack.
#include "codegen/program_emitter.h"

namespace scry::codegen {

using ast::AggKind;

namespace {

// One CPU's copy at `p` folded into the accumulators (sum or count, then total or seen).
std::pair<llvm::Value *, llvm::Value *> accumulateCpu(llvm::IRBuilder<> &b, AggKind agg,
                                                      bool is_signed, llvm::Value *p,
                                                      llvm::Value *acc, llvm::Value *acc2) {
  llvm::Value *first = b.CreateLoad(b.getInt64Ty(), p);
  llvm::Value *second_ptr = b.CreateGEP(b.getInt8Ty(), p, b.getInt64(8));
  switch (agg) {
  case AggKind::Min:
  case AggKind::Max: {
    llvm::Value *seen = b.CreateLoad(b.getInt64Ty(), second_ptr);
    bool is_min = agg == AggKind::Min;
    llvm::Value *better =
        is_min ? (is_signed ? b.CreateICmpSLT(first, acc) : b.CreateICmpULT(first, acc))
               : (is_signed ? b.CreateICmpSGT(first, acc) : b.CreateICmpUGT(first, acc));
    llvm::Value *take = b.CreateAnd(b.CreateICmpNE(seen, b.getInt64(0)),
                                    b.CreateOr(b.CreateICmpEQ(acc2, b.getInt64(0)), better));
    return {b.CreateSelect(take, first, acc), b.CreateOr(acc2, seen)};
  }
  case AggKind::Avg:
  case AggKind::Stats:
    return {b.CreateAdd(acc, first), b.CreateAdd(acc2, b.CreateLoad(b.getInt64Ty(), second_ptr))};
  case AggKind::Sum:
  case AggKind::Hist:
  case AggKind::LHist:
  case AggKind::TSeries: // not readable in expressions (sema)
    break;
  }
  return {b.CreateAdd(acc, first), acc2};
}

} // namespace

llvm::Value *ProgramEmitter::lookupOrInit(ast::MapAccess *map, llvm::Value *key,
                                          uint32_t value_size) {
  llvm::Value *value = lookup(map, key);
  llvm::BasicBlock *before = b_.GetInsertBlock();
  auto *missing = newBlock("agg_new");
  auto *done = newBlock("agg_ready");
  b_.CreateCondBr(b_.CreateIsNull(value), missing, done);
  b_.SetInsertPoint(missing);
  if (!s_.zero_value)
    s_.zero_value = mb_.declareMap("scry_zero", 4);
  s_.zero_size = std::max(s_.zero_size, value_size);
  llvm::Value *zero_key = allocBuffer(4);
  b_.CreateStore(b_.getInt32(0), zero_key);
  llvm::Value *zeros =
      mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.zero_value, zero_key});
  auto *insert = newBlock("agg_insert");
  llvm::BasicBlock *no_zeros = b_.GetInsertBlock();
  b_.CreateCondBr(b_.CreateIsNull(zeros), done, insert);
  b_.SetInsertPoint(insert);
  constexpr uint64_t kNoExist = 1; // BPF_NOEXIST: another CPU may have created it
  updateMap(map, key, zeros, kNoExist); // a full map's refusal is counted
  llvm::Value *created = lookup(map, key);
  llvm::BasicBlock *after_insert = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(mb_.ptr(), 3);
  phi->addIncoming(value, before);
  phi->addIncoming(llvm::ConstantPointerNull::get(b_.getPtrTy()), no_zeros);
  phi->addIncoming(created, after_insert);
  return phi;
}

void ProgramEmitter::emitAggregation(ast::MapAccess *map, ast::Call *call) {
  const sema::MapInfo &info = s_.analysis.maps.at(map->name);
  const ast::Type &agg = info.value;
  if (agg.aggKind() == AggKind::TSeries) { // a slot per interval (emit_tseries.cpp)
    emitTseries(map, call);
    return;
  }
  llvm::Value *arg = emitScalar(call->args[0]);
  llvm::Value *key = emitKey(map);
  llvm::Value *value = lookupOrInit(map, key, agg.size());
  auto *update = newBlock("agg_update");
  auto *done = newBlock("agg_done");
  b_.CreateCondBr(b_.CreateIsNull(value), done, update); // the map is full
  b_.SetInsertPoint(update);
  auto add = [&](uint64_t offset, llvm::Value *v) {
    llvm::Value *p = offsetPtr(value, offset);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(mb_.i64(), p), v), p);
  };
  switch (agg.aggKind()) {
  case AggKind::Sum:
    add(0, arg);
    break;
  case AggKind::Avg:
  case AggKind::Stats:
    add(0, mb_.constI64(1));
    add(8, arg);
    break;
  case AggKind::Min:
  case AggKind::Max:
    emitMinMaxUpdate(value, arg, agg);
    break;
  case AggKind::Hist:
  case AggKind::LHist: {
    llvm::Value *index = agg.aggKind() == AggKind::Hist ? emitHistIndex(arg, agg.histParams().bits)
                                                        : emitLhistIndex(arg, agg.histParams());
    // Bound the index for the verifier, whatever the optimiser proved.
    uint64_t last = agg.histBuckets() - 1;
    llvm::Value *clamped = b_.CreateSelect(b_.CreateICmpUGT(index, mb_.constI64(last)),
                                           mb_.constI64(last), index);
    llvm::Value *p = b_.CreateGEP(b_.getInt8Ty(), value, b_.CreateShl(clamped, 3));
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(mb_.i64(), p), mb_.constI64(1)), p);
    llvm::Value *sum = offsetPtr(value, (last + 1) * 8);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(mb_.i64(), sum), arg), sum);
    break;
  }
  case AggKind::TSeries: // emitted by emitTseries above
    break;
  }
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void ProgramEmitter::emitMinMaxUpdate(llvm::Value *value, llvm::Value *arg, const ast::Type &agg) {
  llvm::Value *current = b_.CreateLoad(mb_.i64(), value);
  llvm::Value *seen = b_.CreateLoad(mb_.i64(), offsetPtr(value, 8));
  bool is_min = agg.aggKind() == AggKind::Min;
  llvm::Value *better =
      is_min ? (agg.isSigned() ? b_.CreateICmpSLT(arg, current) : b_.CreateICmpULT(arg, current))
             : (agg.isSigned() ? b_.CreateICmpSGT(arg, current) : b_.CreateICmpUGT(arg, current));
  llvm::Value *take = b_.CreateOr(b_.CreateICmpEQ(seen, mb_.constI64(0)), better);
  auto *store = newBlock("minmax_store");
  auto *done = newBlock("minmax_done");
  b_.CreateCondBr(take, store, done);
  b_.SetInsertPoint(store);
  b_.CreateStore(arg, value);
  b_.CreateStore(mb_.constI64(1), offsetPtr(value, 8));
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

// bpftrace's log2 buckets with 2^bits sub-buckets: 0 for negatives; v + 1 for
// v < 2^bits; else, with l = floor(log2 v) and s = l - bits,
// ((s + 1) << bits) + ((v >> s) & (2^bits - 1)) + 1. All 64 bits count.
llvm::Value *ProgramEmitter::emitHistIndex(llvm::Value *v, uint32_t bits) {
  llvm::Value *n = v;
  llvm::Value *log = mb_.constI64(0);
  for (uint64_t shift : {32, 16, 8, 4, 2, 1}) {
    llvm::Value *big = b_.CreateICmpUGE(n, mb_.constI64(uint64_t(1) << shift));
    llvm::Value *by = b_.CreateSelect(big, mb_.constI64(shift), mb_.constI64(0));
    n = b_.CreateLShr(n, by);
    log = b_.CreateAdd(log, by);
  }
  uint64_t mask = (uint64_t(1) << bits) - 1;
  llvm::Value *s = b_.CreateSub(log, mb_.constI64(bits));
  llvm::Value *sub = b_.CreateAnd(b_.CreateLShr(v, s), mb_.constI64(mask));
  llvm::Value *large = b_.CreateAdd(b_.CreateAdd(b_.CreateShl(b_.CreateAdd(s, mb_.constI64(1)),
                                                              bits),
                                                 sub),
                                    mb_.constI64(1));
  llvm::Value *small = b_.CreateAdd(v, mb_.constI64(1));
  llvm::Value *index =
      b_.CreateSelect(b_.CreateICmpSLE(v, mb_.constI64(mask)), small, large);
  return b_.CreateSelect(b_.CreateICmpSLT(v, mb_.constI64(0)), mb_.constI64(0), index);
}

// 0 below min; 1 + (v - min) / step up to max; the last bucket above max.
llvm::Value *ProgramEmitter::emitLhistIndex(llvm::Value *v, const ast::HistParams &p) {
  uint64_t last = static_cast<uint64_t>((p.max - p.min) / p.step) + 1;
  llvm::Value *inside = b_.CreateAdd(
      b_.CreateUDiv(b_.CreateSub(v, mb_.constI64(p.min)), mb_.constI64(p.step)), mb_.constI64(1));
  llvm::Value *index =
      b_.CreateSelect(b_.CreateICmpSGT(v, mb_.constI64(p.max)), mb_.constI64(last), inside);
  return b_.CreateSelect(b_.CreateICmpSLT(v, mb_.constI64(p.min)), mb_.constI64(0), index);
}

// The value of a count/sum/min/max/avg map element combined over every CPU, 0 when
// the key is missing.
llvm::Value *ProgramEmitter::emitAggregationRead(ast::MapAccess *map) {
  return emitAggregationReadAt(map->name, emitKey(map));
}

llvm::Value *ProgramEmitter::emitAggregationReadAt(const std::string &map_name, llvm::Value *key) {
  const sema::MapInfo &info = s_.analysis.maps.at(map_name);
  bool is_count = info.value.kind() == ast::TypeKind::Count;
  AggKind agg = is_count ? AggKind::Sum : info.value.aggKind();
  bool is_signed = !is_count && info.value.isSigned();
  llvm::BasicBlock *before = b_.GetInsertBlock();
  auto *loop = newBlock("cpus");
  auto *body = newBlock("cpus_body");
  auto *done = newBlock("cpus_done");
  b_.CreateBr(loop);
  b_.SetInsertPoint(loop);
  auto *cpu = b_.CreatePHI(mb_.i64(), 2);
  auto *acc = b_.CreatePHI(mb_.i64(), 2);  // sum, count, or min/max value
  auto *acc2 = b_.CreatePHI(mb_.i64(), 2); // total (avg) or seen (min/max)
  cpu->addIncoming(mb_.constI64(0), before);
  acc->addIncoming(mb_.constI64(0), before);
  acc2->addIncoming(mb_.constI64(0), before);
  llvm::Value *p = mb_.callHelper(Helper::MapLookupPercpuElem, mb_.ptr(),
                                  {s_.maps.at(map_name), key, b_.CreateTrunc(cpu, b_.getInt32Ty())});
  b_.CreateCondBr(b_.CreateIsNull(p), done, body);
  b_.SetInsertPoint(body);
  auto [next, next2] = accumulateCpu(b_, agg, is_signed, p, acc, acc2);
  llvm::Value *cpu_next = b_.CreateAdd(cpu, mb_.constI64(1));
  llvm::BasicBlock *body_end = b_.GetInsertBlock();
  cpu->addIncoming(cpu_next, body_end);
  acc->addIncoming(next, body_end);
  acc2->addIncoming(next2, body_end);
  // Over the possible CPUs (a constant: the verifier walks each iteration); the loop
  // also stops at the first CPU bpf_map_lookup_percpu_elem (5.19+) refuses.
  b_.CreateCondBr(b_.CreateICmpULT(cpu_next, mb_.constI64(s_.possible_cpus)), loop, done);
  b_.SetInsertPoint(done);
  auto *result = b_.CreatePHI(mb_.i64(), 2);
  auto *result2 = b_.CreatePHI(mb_.i64(), 2);
  result->addIncoming(acc, loop);
  result2->addIncoming(acc2, loop);
  result->addIncoming(next, body_end);
  result2->addIncoming(next2, body_end);
  if (agg != AggKind::Avg)
    return result;
  // avg: total / count, 0 without values; signed division when the values are.
  llvm::Value *count = b_.CreateSelect(b_.CreateICmpEQ(result, mb_.constI64(0)),
                                       mb_.constI64(1), result);
  return is_signed ? emitSignedDivRem(false, result2, count) : b_.CreateUDiv(result2, count);
}

} // namespace scry::codegen
