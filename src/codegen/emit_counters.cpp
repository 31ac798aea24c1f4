// Counting what the programs could not record (issue 7), in the per-CPU array of
// object::kCounter* slots that the runtime sums and reports while it polls: records the
// events ring buffer had no room for, map updates a full map refused, and an exit()
// whose record could not be sent. Increments are atomic: a program can be interrupted
// on its CPU by another one (a tracepoint hit in an interrupt) that bumps the same slot.
#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

constexpr uint64_t kNoExist = 1; // BPF_NOEXIST
constexpr int64_t kEExist = 17;  // EEXIST

} // namespace

void ProgramEmitter::bumpCounter(uint32_t slot) {
  llvm::Value *key = allocBuffer(4);
  b_.CreateStore(b_.getInt32(slot), key);
  llvm::Value *counter = mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.counters, key});
  auto *bump = newBlock("counter_bump");
  auto *done = newBlock("counter_done");
  b_.CreateCondBr(b_.CreateIsNull(counter), done, bump);
  b_.SetInsertPoint(bump);
  b_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, counter, mb_.constI64(1), llvm::MaybeAlign(8),
                     llvm::AtomicOrdering::Monotonic);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

llvm::Value *ProgramEmitter::updateMap(ast::MapAccess *map, llvm::Value *key, llvm::Value *value,
                                       uint64_t flags) {
  llvm::Value *err = mb_.callHelper(Helper::MapUpdateElem, mb_.i64(),
                                    {s_.maps.at(map->name), key, value, mb_.constI64(flags)});
  llvm::Value *refused = b_.CreateICmpNE(err, mb_.constI64(0));
  if (flags == kNoExist)
    refused = b_.CreateAnd(refused, b_.CreateICmpNE(err, mb_.constI64(-kEExist)));
  auto *count = newBlock("map_full");
  auto *done = newBlock("map_updated");
  b_.CreateCondBr(refused, count, done);
  b_.SetInsertPoint(count);
  uint32_t index = 0;
  while (index < s_.out.maps.size() && s_.out.maps[index].name != map->name)
    ++index;
  bumpCounter(object::kCounterMapDrops + index);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return err;
}

void ProgramEmitter::recordExitFallback(llvm::Value *code) {
  for (uint32_t slot : {object::kCounterExitCode, object::kCounterExitRequested}) {
    llvm::Value *key = allocBuffer(4);
    b_.CreateStore(b_.getInt32(slot), key);
    llvm::Value *p = mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.counters, key});
    auto *store = newBlock("exit_store");
    auto *done = newBlock("exit_stored");
    b_.CreateCondBr(b_.CreateIsNull(p), done, store);
    b_.SetInsertPoint(store);
    // The code first: the runtime takes it once it sees the request.
    b_.CreateStore(slot == object::kCounterExitCode ? code : mb_.constI64(1), p);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }
}

void ProgramEmitter::branchOnReserve(llvm::Value *record, llvm::BasicBlock *fill,
                                     llvm::BasicBlock *done) {
  auto *lost = newBlock("event_lost");
  b_.CreateCondBr(b_.CreateIsNull(record), lost, fill);
  b_.SetInsertPoint(lost);
  bumpCounter(object::kCounterLostEvents);
  b_.CreateBr(done);
}

void ProgramEmitter::countIfLost(llvm::Value *err) {
  auto *lost = newBlock("event_lost");
  auto *done = newBlock("event_sent");
  b_.CreateCondBr(b_.CreateICmpNE(err, mb_.constI64(0)), lost, done);
  b_.SetInsertPoint(lost);
  bumpCounter(object::kCounterLostEvents);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

} // namespace scry::codegen
