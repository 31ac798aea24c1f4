// `for ($kv : @map) { ... }`: bpf_for_each_map_elem (kernel 5.13) with the body as its
// callback, a function of its own. The callback reaches the probe's state through its
// context argument, a frame on the probe's stack:
//   0   the program's context (args, argN, and helpers that need it read it)
//   8   the record `args` fields are read from (emit_groups.cpp)
//   16  which attach point of a shared program fired (`probe`)
//   24  a pointer to each variable of the enclosing scopes the body uses, so the body
//       reads and writes the probe's own variables, as bpftrace 0.24+ does
// The callback returns 0 to go on (the end of the body, `continue`) and 1 to stop
// (`break`). $kv is (key, value) in the callback's frame; a per-CPU value (count(),
// sum(), ...) is combined over the CPUs, as reading @map[key] is.
#include "codegen/program_emitter.h"

#include <set>

namespace scry::codegen {

namespace {

constexpr uint32_t kFrameCtx = 0;
constexpr uint32_t kFrameArgs = 8;
constexpr uint32_t kFrameProbeIndex = 16;
constexpr uint32_t kFrameVars = 24;

} // namespace

void ProgramEmitter::emitBail() {
  if (in_callback_)
    b_.CreateRet(b_.getInt64(1));
  else
    b_.CreateRet(b_.getInt32(0));
}

llvm::Value *ProgramEmitter::stackBuffer(uint32_t size) {
  llvm::IRBuilderBase::InsertPointGuard guard(b_);
  b_.SetInsertPoint(entry_, entry_->getFirstInsertionPt());
  auto *slot = b_.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), (size + 7) & ~7u));
  slot->setAlignment(llvm::Align(8));
  stack_bytes_ += (size + 7) & ~7u;
  return slot;
}

// The variables of the enclosing scopes that `body` names, in a stable order. A
// `let $x;` not assigned yet gets its storage here, typed as the body uses it.
std::vector<std::pair<std::string, ProgramEmitter::Var>>
ProgramEmitter::capturedVariables(ast::Block *body) {
  std::vector<std::pair<std::string, Var>> out;
  std::set<std::string> seen;
  std::vector<ast::Node *> todo{body};
  while (!todo.empty()) {
    ast::Node *n = todo.back();
    todo.pop_back();
    if (auto *v = ast::dyn_cast<ast::Variable>(n); v && !seen.count(v->name)) {
      Var *var = findVar(v->name);
      const ast::Type &type = typeOf(v);
      if (var && !var->storage && !type.isNone()) {
        var->type = type;
        var->storage = allocBuffer(type.isScalar() ? 8 : type.size(), /*persistent=*/true);
      }
      if (var && var->storage) {
        seen.insert(v->name);
        out.emplace_back(v->name, *var);
      }
    }
    ast::forEachChild(n, [&](ast::Node *child) { todo.push_back(child); });
  }
  return out;
}

void ProgramEmitter::emitForMap(ast::ForMap *loop) {
  auto captured = capturedVariables(loop->body);
  llvm::Value *frame = stackBuffer(kFrameVars + 8 * static_cast<uint32_t>(captured.size()));
  llvm::Value *null = llvm::ConstantPointerNull::get(b_.getPtrTy());
  b_.CreateStore(ctx_ ? ctx_ : null, offsetPtr(frame, kFrameCtx));
  b_.CreateStore(args_base_ ? args_base_ : null, offsetPtr(frame, kFrameArgs));
  b_.CreateStore(probe_index_ ? probe_index_ : mb_.constI64(0), offsetPtr(frame, kFrameProbeIndex));
  for (size_t i = 0; i < captured.size(); ++i)
    b_.CreateStore(captured[i].second.storage, offsetPtr(frame, kFrameVars + 8 * i));
  llvm::Function *callback = emitForMapCallback(loop, captured, probe_index_ != nullptr);
  mb_.setLocation(loop->range);
  mb_.callHelper(Helper::ForEachMapElem, mb_.i64(),
                 {s_.maps.at(loop->map->name), callback, frame, mb_.constI64(0)});
}

llvm::Function *ProgramEmitter::emitForMapCallback(
    ast::ForMap *loop, const std::vector<std::pair<std::string, Var>> &captured,
    bool has_probe_index) {
  // The probe's function state, put back when the callback is done.
  llvm::IRBuilderBase::InsertPointGuard guard(b_);
  llvm::Function *saved_fn = fn_;
  llvm::Value *saved_ctx = ctx_, *saved_args = args_base_, *saved_index = probe_index_;
  llvm::BasicBlock *saved_entry = entry_, *saved_body = body_;
  llvm::Value *saved_scratch = scratch_base_;
  auto saved_slots = std::move(slots_);
  auto saved_temps = std::move(temps_);
  auto saved_scopes = std::move(scopes_);
  auto saved_loops = std::move(loops_);
  bool saved_in_callback = in_callback_;
  uint32_t saved_stack = stack_bytes_, saved_outer = outer_stack_bytes_;

  std::string name = fn_->getName().str() + "_for" + std::to_string(callbacks_++);
  fn_ = mb_.beginCallback(name, loop->range);
  entry_ = b_.GetInsertBlock();
  body_ = newBlock("body");
  b_.CreateBr(body_);
  b_.SetInsertPoint(body_);
  slots_.clear();
  temps_.clear();
  loops_.clear();
  scratch_base_ = nullptr;
  in_callback_ = true;
  outer_stack_bytes_ += stack_bytes_;
  stack_bytes_ = 0;
  llvm::Value *frame = fn_->getArg(3);
  ctx_ = b_.CreateLoad(b_.getPtrTy(), offsetPtr(frame, kFrameCtx));
  args_base_ = b_.CreateLoad(b_.getPtrTy(), offsetPtr(frame, kFrameArgs));
  probe_index_ =
      has_probe_index ? b_.CreateLoad(mb_.i64(), offsetPtr(frame, kFrameProbeIndex)) : nullptr;
  scopes_.assign(1, {});
  for (size_t i = 0; i < captured.size(); ++i) {
    llvm::Value *storage = b_.CreateLoad(b_.getPtrTy(), offsetPtr(frame, kFrameVars + 8 * i));
    scopes_.back()[captured[i].first] = Var{storage, captured[i].second.type};
  }

  // $kv = (key, value)
  const sema::MapInfo &info = s_.analysis.maps.at(loop->map->name);
  const ast::Type &kv_type = typeOf(loop->var);
  Var &kv = declareVar(loop->var->name, kv_type);
  auto offsets = kv_type.tupleOffsets();
  zero(kv.storage, (kv_type.size() + 7) & ~7u);
  llvm::Value *key = fn_->getArg(1);
  copy(offsetPtr(kv.storage, offsets[0]), key, info.key.size());
  if (info.value.kind() == ast::TypeKind::Count || info.value.isAggregation())
    storeScalar(emitAggregationReadAt(loop->map->name, key), offsetPtr(kv.storage, offsets[1]),
                kv_type.elements()[1]);
  else
    copy(offsetPtr(kv.storage, offsets[1]), fn_->getArg(2), info.value.size());

  auto *next = newBlock("for_next");
  auto *stop = newBlock("for_break");
  loops_.push_back({next, stop});
  emitBlock(loop->body);
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(next);
  b_.SetInsertPoint(next);
  b_.CreateRet(b_.getInt64(0));
  b_.SetInsertPoint(stop);
  b_.CreateRet(b_.getInt64(1));
  llvm::Function *callback = fn_;

  fn_ = saved_fn;
  ctx_ = saved_ctx;
  args_base_ = saved_args;
  probe_index_ = saved_index;
  entry_ = saved_entry;
  body_ = saved_body;
  scratch_base_ = saved_scratch;
  slots_ = std::move(saved_slots);
  temps_ = std::move(saved_temps);
  scopes_ = std::move(saved_scopes);
  loops_ = std::move(saved_loops);
  in_callback_ = saved_in_callback;
  stack_bytes_ = saved_stack;
  outer_stack_bytes_ = saved_outer;
  mb_.resumeFunction(fn_);
  return callback;
}

} // namespace scry::codegen
