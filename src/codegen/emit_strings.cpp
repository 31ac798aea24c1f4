// Emission of the string functions: strncmp, strcontains, strstr, strlen (scalars);
// str_concat, strerror and path (strings written in place); bswap, kptr and uptr.
// Searches and copies whose length is not known are bounded loops (kernel 5.3+),
// which the verifier walks iteration by iteration: strstr of two max_strlen strings
// is the costly case.
#include <cstring>

#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Intrinsics.h>

#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

// strerror()'s table: one row per errno up to the first power of two past the last
// one glibc names, then "Unknown error" rows.
constexpr uint32_t kErrnoRows = 256;

} // namespace

ProgramEmitter::CountedLoop ProgramEmitter::beginLoop(uint64_t count, const char *name) {
  CountedLoop loop;
  llvm::BasicBlock *before = b_.GetInsertBlock();
  loop.head = newBlock(name);
  loop.next = newBlock("loop_next");
  loop.done = newBlock("loop_done");
  auto *body = newBlock("loop_body");
  b_.CreateBr(loop.head);
  b_.SetInsertPoint(loop.head);
  loop.i = b_.CreatePHI(mb_.i64(), 2);
  loop.i->addIncoming(mb_.constI64(0), before);
  b_.CreateCondBr(b_.CreateICmpULT(loop.i, mb_.constI64(count)), body, loop.done);
  b_.SetInsertPoint(body);
  return loop;
}

void ProgramEmitter::endLoop(CountedLoop &loop) {
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(loop.next);
  b_.SetInsertPoint(loop.next);
  loop.i->addIncoming(b_.CreateAdd(loop.i, mb_.constI64(1)), loop.next);
  b_.CreateBr(loop.head);
  b_.SetInsertPoint(loop.done);
}

// `v` through an empty asm statement (libbpf's barrier_var): LLVM cannot see through
// it, so it cannot turn `p + (i + j)` into `(p + i) + j` after the bounds check on
// i + j, which the verifier could then not relate to the address.
llvm::Value *ProgramEmitter::opaque(llvm::Value *v) {
  auto *type = llvm::FunctionType::get(v->getType(), {v->getType()}, false);
  auto *barrier = llvm::InlineAsm::get(type, "", "=r,0", /*hasSideEffects=*/true);
  return b_.CreateCall(type, barrier, {v});
}

llvm::Value *ProgramEmitter::loadByte(llvm::Value *base, llvm::Value *index) {
  return b_.CreateLoad(b_.getInt8Ty(), b_.CreateGEP(b_.getInt8Ty(), base, index));
}

llvm::Value *ProgramEmitter::emitStrnlen(llvm::Value *s, uint32_t size) {
  llvm::Value *result = allocBuffer(8);
  b_.CreateStore(mb_.constI64(size), result);
  CountedLoop loop = beginLoop(size, "strlen");
  auto *found = newBlock("strlen_nul");
  b_.CreateCondBr(b_.CreateICmpEQ(loadByte(s, loop.i), b_.getInt8(0)), found, loop.next);
  b_.SetInsertPoint(found);
  b_.CreateStore(loop.i, result);
  b_.CreateBr(loop.done);
  endLoop(loop);
  return b_.CreateLoad(mb_.i64(), result);
}

// 0 when the first `n` bytes of `a` and `b` agree up to a NUL, else 1 (bpftrace's
// strncmp: equal or not). Reads no further than the shorter string.
llvm::Value *ProgramEmitter::emitStrncmp(ast::Call *call) {
  uint64_t n = ast::cast<ast::IntegerLit>(call->args[2])->value;
  n = std::min<uint64_t>({n, typeOf(call->args[0]).size(), typeOf(call->args[1]).size()});
  llvm::Value *a = emitBuffer(call->args[0]);
  llvm::Value *b = emitBuffer(call->args[1]);
  llvm::Value *result = allocBuffer(8);
  b_.CreateStore(mb_.constI64(0), result);
  CountedLoop loop = beginLoop(n, "strncmp");
  llvm::Value *ca = loadByte(a, loop.i);
  auto *differ = newBlock("strncmp_differ");
  auto *same = newBlock("strncmp_same");
  b_.CreateCondBr(b_.CreateICmpNE(ca, loadByte(b, loop.i)), differ, same);
  b_.SetInsertPoint(differ);
  b_.CreateStore(mb_.constI64(1), result);
  b_.CreateBr(loop.done);
  b_.SetInsertPoint(same); // both end here: equal
  b_.CreateCondBr(b_.CreateICmpEQ(ca, b_.getInt8(0)), loop.done, loop.next);
  endLoop(loop);
  return b_.CreateLoad(mb_.i64(), result);
}

// The index of the first `needle` in `haystack`, or -1; an empty needle is found at 0.
// A bpf_loop over the haystack's positions, whose callback compares the needle there:
// the verifier checks the callback once, so two max_strlen strings stay cheap to
// verify (a loop in the program is walked once per position and needle byte).
// The callback's context: {haystack, needle, result}.
llvm::Value *ProgramEmitter::emitStrstr(ast::Expr *haystack, ast::Expr *needle) {
  uint32_t h_size = typeOf(haystack).size();
  uint32_t n_size = typeOf(needle).size();
  llvm::Value *ctx = allocBuffer(24);
  b_.CreateStore(emitBuffer(haystack), ctx);
  b_.CreateStore(emitBuffer(needle), offsetPtr(ctx, 8));
  b_.CreateStore(mb_.constI64(-1), offsetPtr(ctx, 16));
  std::string name = "scry_strstr_" + std::to_string(h_size) + "_" + std::to_string(n_size);
  llvm::Function *callback = mb_.module().getFunction(name);
  if (!callback)
    callback = emitStrstrCallback(name, h_size, n_size);
  mb_.callHelper(Helper::Loop, mb_.i64(), {b_.getInt32(h_size), callback, ctx, mb_.constI64(0)});
  return b_.CreateLoad(mb_.i64(), offsetPtr(ctx, 16));
}

// `long cb(u64 i, ctx)`: 1 (stop) with ctx->result = i when the needle is at i, or when
// the haystack ended there; 0 to try i + 1. The needle is compared by a bpf_loop of its
// own (emitStrstrMatchCallback): a loop here would be walked byte by byte, and with a
// max_strlen needle its branches outgrow what the verifier can track.
llvm::Function *ProgramEmitter::emitStrstrCallback(const std::string &name, uint32_t h_size,
                                                   uint32_t n_size) {
  llvm::Function *match = mb_.module().getFunction(name + "_match");
  if (!match)
    match = emitStrstrMatchCallback(name + "_match", h_size, n_size);
  llvm::IRBuilderBase::InsertPoint saved = b_.saveIP();
  llvm::DebugLoc saved_loc = b_.getCurrentDebugLocation();
  llvm::Function *fn = mb_.beginLoopCallback(name, spec_.probe->range);
  auto block = [&](const char *label) { return llvm::BasicBlock::Create(mb_.ctx(), label, fn); };
  llvm::Value *i = fn->getArg(0);
  llvm::Value *ctx = fn->getArg(1);
  // The matcher's context: {haystack, needle, i, matched}.
  auto *match_ctx = b_.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), 32));
  match_ctx->setAlignment(llvm::Align(8));
  auto *check = block("check");
  auto *h_end = block("haystack_end");
  auto *compare = block("compare");
  auto *found = block("found");
  auto *stop = block("stop");
  auto *next = block("next");
  b_.CreateCondBr(b_.CreateICmpULT(i, mb_.constI64(h_size)), check, stop);
  b_.SetInsertPoint(check);
  llvm::Value *h = b_.CreateLoad(mb_.ptr(), ctx);
  llvm::Value *n = b_.CreateLoad(mb_.ptr(), offsetPtr(ctx, 8));
  // Past the haystack's NUL lie stale bytes: stop there (an empty needle is found).
  b_.CreateCondBr(b_.CreateICmpEQ(loadByte(h, i), b_.getInt8(0)), h_end, compare);
  b_.SetInsertPoint(h_end);
  b_.CreateCondBr(b_.CreateICmpEQ(loadByte(n, mb_.constI64(0)), b_.getInt8(0)), found, stop);
  b_.SetInsertPoint(compare);
  b_.CreateStore(h, match_ctx);
  b_.CreateStore(n, offsetPtr(match_ctx, 8));
  b_.CreateStore(i, offsetPtr(match_ctx, 16));
  b_.CreateStore(mb_.constI64(1), offsetPtr(match_ctx, 24));
  mb_.callHelper(Helper::Loop, mb_.i64(),
                 {b_.getInt32(n_size), match, match_ctx, mb_.constI64(0)});
  llvm::Value *matched = b_.CreateLoad(mb_.i64(), offsetPtr(match_ctx, 24));
  b_.CreateCondBr(b_.CreateICmpNE(matched, mb_.constI64(0)), found, next);
  b_.SetInsertPoint(found);
  b_.CreateStore(i, offsetPtr(ctx, 16));
  b_.CreateBr(stop);
  b_.SetInsertPoint(stop);
  b_.CreateRet(mb_.constI64(1));
  b_.SetInsertPoint(next);
  b_.CreateRet(mb_.constI64(0));
  b_.restoreIP(saved);
  b_.SetCurrentDebugLocation(saved_loc);
  mb_.resumeFunction(fn_);
  return fn;
}

// `long cb(u64 j, ctx)`, ctx = {haystack, needle, i, matched}: compares needle byte j
// with haystack byte i + j; clears `matched` and stops at a difference, stops at the
// needle's end (a match: every byte of a needle that fills its buffer matched too).
llvm::Function *ProgramEmitter::emitStrstrMatchCallback(const std::string &name,
                                                        uint32_t h_size, uint32_t n_size) {
  llvm::IRBuilderBase::InsertPoint saved = b_.saveIP();
  llvm::DebugLoc saved_loc = b_.getCurrentDebugLocation();
  llvm::Function *fn = mb_.beginLoopCallback(name, spec_.probe->range);
  auto block = [&](const char *label) { return llvm::BasicBlock::Create(mb_.ctx(), label, fn); };
  llvm::Value *j = fn->getArg(0);
  llvm::Value *ctx = fn->getArg(1);
  auto *body = block("byte");
  auto *compare = block("compare");
  auto *compare_byte = block("compare_byte");
  auto *differ = block("differ");
  auto *stop = block("stop");
  auto *next = block("next");
  b_.CreateCondBr(b_.CreateICmpULT(j, mb_.constI64(n_size)), body, stop);
  b_.SetInsertPoint(body);
  llvm::Value *h = b_.CreateLoad(mb_.ptr(), ctx);
  llvm::Value *n = b_.CreateLoad(mb_.ptr(), offsetPtr(ctx, 8));
  llvm::Value *i = b_.CreateLoad(mb_.i64(), offsetPtr(ctx, 16));
  llvm::Value *nc = loadByte(n, j);
  b_.CreateCondBr(b_.CreateICmpEQ(nc, b_.getInt8(0)), stop, compare);
  b_.SetInsertPoint(compare);
  llvm::Value *k = opaque(b_.CreateAdd(i, j));
  b_.CreateCondBr(b_.CreateICmpULT(k, mb_.constI64(h_size)), compare_byte, differ);
  b_.SetInsertPoint(compare_byte);
  b_.CreateCondBr(b_.CreateICmpEQ(loadByte(h, k), nc), next, differ);
  b_.SetInsertPoint(differ);
  b_.CreateStore(mb_.constI64(0), offsetPtr(ctx, 24));
  b_.CreateBr(stop);
  b_.SetInsertPoint(stop);
  b_.CreateRet(mb_.constI64(1));
  b_.SetInsertPoint(next);
  b_.CreateRet(mb_.constI64(0));
  b_.restoreIP(saved);
  b_.SetCurrentDebugLocation(saved_loc);
  mb_.resumeFunction(fn_);
  return fn;
}

llvm::Value *ProgramEmitter::emitStringFunction(ast::Call *call) {
  ast::FuncId id = call->id;
  if (id == ast::FuncId::Strncmp)
    return emitStrncmp(call);
  if (id == ast::FuncId::Strstr)
    return emitStrstr(call->args[0], call->args[1]);
  if (id == ast::FuncId::Strcontains) {
    llvm::Value *index = emitStrstr(call->args[0], call->args[1]);
    return b_.CreateZExt(b_.CreateICmpSGE(index, mb_.constI64(0)), mb_.i64());
  }
  if (id == ast::FuncId::Strlen)
    return emitStrnlen(emitBuffer(call->args[0]), typeOf(call->args[0]).size());
  if (id == ast::FuncId::Bswap) {
    llvm::Value *v = emitScalar(call->args[0]);
    unsigned bits = typeOf(call->args[0]).bits();
    if (bits == 8)
      return b_.CreateAnd(v, mb_.constI64(0xff));
    llvm::Value *narrow = b_.CreateTrunc(v, b_.getIntNTy(bits));
    llvm::Value *swapped = b_.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, narrow);
    return b_.CreateZExt(swapped, mb_.i64());
  }
  // kptr(), uptr(): the address space is the type's; the value is unchanged.
  return emitScalar(call->args[0]);
}

// str_concat(a, b): `a`, then as much of `b` as fits, NUL-terminated. Two string
// reads into a buffer with room for both: the first returns where `a` ends, and the
// verifier sees that offset as one bounded range rather than walking a loop once per
// possible length. Built apart from `out`, which may be `a`'s or `b`'s storage
// ($s = str_concat("x", $s)), then copied and cut to `size`.
void ProgramEmitter::emitStrConcatInto(ast::Call *call, llvm::Value *out, uint32_t size) {
  ast::Expr *first = call->args[0];
  ast::Expr *second = call->args[1];
  uint32_t first_size = typeOf(first).size();
  uint32_t second_size = typeOf(second).size();
  uint32_t room = std::max(first_size + second_size, size);
  llvm::Value *a = emitBuffer(first);
  llvm::Value *b = emitBuffer(second);
  llvm::Value *joined = allocBuffer(room);
  b_.CreateStore(b_.getInt8(0), joined);
  llvm::Value *n = mb_.callHelper(Helper::ProbeReadKernelStr, mb_.i64(),
                                  {joined, b_.getInt32(first_size), a});
  // n counts the NUL; an error (n < 1) leaves `a` empty.
  llvm::Value *length = b_.CreateSelect(b_.CreateICmpSLT(n, mb_.constI64(1)), mb_.constI64(0),
                                        b_.CreateSub(n, mb_.constI64(1)));
  llvm::Value *last = mb_.constI64(first_size - 1);
  length = b_.CreateSelect(b_.CreateICmpUGT(length, last), last, length);
  mb_.callHelper(Helper::ProbeReadKernelStr, mb_.i64(),
                 {b_.CreateGEP(b_.getInt8Ty(), joined, length), b_.getInt32(second_size), b});
  copy(out, joined, size);
  b_.CreateStore(b_.getInt8(0), offsetPtr(out, size - 1));
}

// strerror(errno): a row of a .rodata table built from this machine's strerror(3),
// copied whole; negative numbers count as their absolute value (bpftrace's stdlib).
void ProgramEmitter::emitStrerrorInto(ast::Call *call, llvm::Value *dst, uint32_t size) {
  constexpr uint32_t kWidth = 64;
  const char *table_name = "scry_strerror";
  auto *table = mb_.module().getNamedGlobal(table_name);
  if (!table) {
    std::string bytes;
    for (uint32_t i = 0; i < kErrnoRows; ++i) {
      std::string text = ::strerror(static_cast<int>(i)); // NOLINT(concurrency-mt-unsafe)
      if (text.rfind("Unknown error", 0) == 0)
        text = "Unknown error";
      text.resize(kWidth - 1);
      text.resize(kWidth, '\0');
      bytes += text;
    }
    table = rodataTable(table_name, llvm::ConstantDataArray::getString(mb_.ctx(), bytes, false));
  }
  llvm::Value *e = emitScalar(call->args[0]);
  llvm::Value *negative = b_.CreateICmpSLT(e, mb_.constI64(0));
  llvm::Value *n = b_.CreateSelect(negative, b_.CreateNeg(e), e);
  llvm::Value *unknown = mb_.constI64(kErrnoRows - 1);
  llvm::Value *row = b_.CreateSelect(b_.CreateICmpULT(n, unknown), n, unknown);
  row = b_.CreateAnd(row, mb_.constI64(kErrnoRows - 1)); // bounds the offset for the verifier
  llvm::Value *src = b_.CreateGEP(b_.getInt8Ty(), table, b_.CreateMul(row, mb_.constI64(kWidth)));
  mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                 {dst, b_.getInt32(std::min(size, kWidth)), src});
  b_.CreateStore(b_.getInt8(0), offsetPtr(dst, std::min(size, kWidth) - 1));
}

// path(p[, size]): bpf_d_path (kernel 5.10+) into `dst`; empty when it fails.
void ProgramEmitter::emitPathInto(ast::Call *call, llvm::Value *dst, uint32_t size) {
  ast::Expr *arg = call->args[0];
  llvm::Value *path = nullptr;
  if (typeOf(arg).isPointer()) {
    path = emitScalar(arg);
  } else { // a struct path field: its address
    ast::AddrSpace space = ast::AddrSpace::Kernel;
    path = emitMemberAddress(ast::cast<ast::FieldAccess>(arg), space);
  }
  llvm::Value *n = mb_.callHelper(Helper::DPath, mb_.i64(),
                                  {b_.CreateIntToPtr(path, mb_.ptr()), dst, b_.getInt32(size)});
  auto *failed = newBlock("d_path_failed");
  auto *done = newBlock("d_path_done");
  b_.CreateCondBr(b_.CreateICmpSLT(n, mb_.constI64(0)), failed, done);
  b_.SetInsertPoint(failed);
  b_.CreateStore(b_.getInt8(0), dst);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void ProgramEmitter::emitStringResultInto(ast::Call *call, llvm::Value *dst, uint32_t size) {
  if (call->id == ast::FuncId::StrConcat)
    emitStrConcatInto(call, dst, size);
  else if (call->id == ast::FuncId::Strerror)
    emitStrerrorInto(call, dst, size);
  else if (call->id == ast::FuncId::Path)
    emitPathInto(call, dst, size);
}

} // namespace scry::codegen
