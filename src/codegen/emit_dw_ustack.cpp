// dw_ustack (issue 5; bpftrace 0.26, unstable): user stacks unwound in BPF with the
// binaries' .eh_frame call-frame information, for programs built without frame
// pointers, where bpf_get_stack's frame-pointer walk (ustack) goes astray after the
// first frame. User space evaluates each binary's CFI into rows (symbols/unwind_table.h)
// and loads them into two maps (runtime/unwind_tables.cpp):
//   scry_unwind_files: (inode number, device) -> (first row, row count)
//   scry_unwind_rows:  row index -> UnwindRow; each binary's rows sorted by file offset
// The program starts from the task's user registers (bpf_task_pt_regs) and runs a
// bpf_loop callback per frame: bpf_find_vma gives the mapping of the address, hence its
// file and its offset in that file (where interrupts are disabled, as in profile
// probes, bpf_find_vma works once per run of a program: it defers releasing the mm's
// lock to an irq_work that is still pending at the second call, which fails with
// EBUSY; then the mappings come from a table user space keeps per process:
//   scry_unwind_procs: tgid -> the executable file mappings, as /proc/PID/maps has them);
// a binary search finds the row, which says where the
// canonical frame address (CFA) is; the return address is at CFA - 8 and the caller's
// rbp where the row says. The stack ends at an address in no known binary, a row without
// rules (the outermost frame), a failed read, a frame that does not move up the stack,
// or the frame limit. The value has ustack's layout (emit_stacks.cpp), so it prints,
// keys maps and is symbolised alike.
#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

constexpr uint64_t kPageSize = 4096;  // vm_pgoff counts x86_64 pages
constexpr uint32_t kSearchSteps = 24; // a binary of up to 2^24 rows
constexpr uint32_t kUnwindFiles = 4096;
constexpr uint32_t kUnwindProcs = 4096;
constexpr uint64_t kNoPrealloc = 1; // BPF_F_NO_PREALLOC: a process's entry is 2.5 KiB
constexpr uint64_t kEbusy = 16;
constexpr uint64_t kAskAgainNs = 100'000'000; // PidMapsChanged at most 10 times a second
constexpr uint32_t kAskedEntries = 8192;      // LRU
// scry_unwind_procs' value: a count, then mappings {start, end, file offset at start,
// inode, device} (runtime/unwind_tables.cpp).
constexpr uint32_t kProcMappings = 64, kProcMappingSize = 40;
constexpr uint32_t kProcSize = 8 + kProcMappings * kProcMappingSize;
constexpr uint32_t kRowSize = 24; // sizeof(symbols::UnwindRow)
// x86_64 struct pt_regs
constexpr uint64_t kRegsBp = 32, kRegsIp = 128, kRegsCs = 136, kRegsSp = 152;
// The frame callback's context: the registers being unwound, the stack value being
// filled, and its frame count.
constexpr uint64_t kCtxIp = 0, kCtxSp = 8, kCtxBp = 16, kCtxDst = 24, kCtxCount = 32;
constexpr uint32_t kCtxSize = 40;
// bpf_find_vma's callback context: the address; out: its file offset, the file's inode
// number and device, and whether the address is in a file's mapping.
constexpr uint64_t kVmaPc = 0, kVmaOffset = 8, kVmaIno = 16, kVmaDev = 24, kVmaFound = 32;
constexpr uint32_t kVmaSize = 40;

} // namespace

// The unwinder's maps, declared with the first dw_ustack; the runtime sizes the rows
// map before loading (one row is a placeholder).
void ProgramEmitter::declareUnwindMaps() {
  if (s_.unwind_files)
    return;
  s_.unwind_files = mb_.declareMap("scry_unwind_files", 4);
  mb_.finishMap(s_.unwind_files, {MapType::Hash, 16, 8, kUnwindFiles});
  s_.unwind_rows = mb_.declareMap("scry_unwind_rows", 4);
  mb_.finishMap(s_.unwind_rows, {MapType::Array, 4, kRowSize, 1});
  s_.unwind_procs = mb_.declareMap("scry_unwind_procs", 5);
  mb_.finishMap(s_.unwind_procs, {MapType::Hash, 4, kProcSize, kUnwindProcs, kNoPrealloc});
  s_.unwind_asked = mb_.declareMap("scry_unwind_asked", 4);
  mb_.finishMap(s_.unwind_asked, {MapType::LruHash, 4, 8, kAskedEntries});
  s_.out.unwind_files_map = "scry_unwind_files";
  s_.out.unwind_rows_map = "scry_unwind_rows";
  s_.out.unwind_procs_map = "scry_unwind_procs";
}

void ProgramEmitter::emitDwUstackInto(llvm::Value *dst, uint32_t limit) {
  declareUnwindMaps();
  std::string name = "scry_dw_frame_" + std::to_string(limit);
  llvm::Function *frame = mb_.module().getFunction(name);
  if (!frame)
    frame = emitDwFrameCallback(name, limit);
  zero(dst, 8 + 8 * limit); // equal stacks must be equal keys
  llvm::Value *task = mb_.callHelper(Helper::GetCurrentTaskBtf, mb_.ptr(), {});
  llvm::Value *regs = mb_.callHelper(Helper::TaskPtRegs, mb_.ptr(), {task});
  auto reg = [&](uint64_t offset) { return b_.CreateLoad(mb_.i64(), offsetPtr(regs, offset)); };
  // A kernel thread has no user registers: then no frames.
  llvm::Value *cs = reg(kRegsCs);
  llvm::Value *user = b_.CreateICmpEQ(b_.CreateAnd(cs, mb_.constI64(3)), mb_.constI64(3));
  llvm::Value *ctx = allocBuffer(kCtxSize);
  b_.CreateStore(b_.CreateSelect(user, reg(kRegsIp), mb_.constI64(0)), offsetPtr(ctx, kCtxIp));
  b_.CreateStore(reg(kRegsSp), offsetPtr(ctx, kCtxSp));
  b_.CreateStore(reg(kRegsBp), offsetPtr(ctx, kCtxBp));
  b_.CreateStore(dst, offsetPtr(ctx, kCtxDst));
  b_.CreateStore(mb_.constI64(0), offsetPtr(ctx, kCtxCount));
  mb_.callHelper(Helper::Loop, mb_.i64(), {b_.getInt32(limit), frame, ctx, mb_.constI64(0)});
  b_.CreateStore(b_.CreateLoad(mb_.i64(), offsetPtr(ctx, kCtxCount)), dst);
}

// `long cb(u64 index, ctx)`: records the frame at ctx's ip, then unwinds one frame;
// returns 1 (stop) once there is nothing more to unwind, leaving ip 0.
llvm::Function *ProgramEmitter::emitDwFrameCallback(const std::string &name, uint32_t limit) {
  llvm::Function *vma_cb = mb_.module().getFunction("scry_dw_vma");
  if (!vma_cb)
    vma_cb = emitDwVmaCallback();
  llvm::IRBuilderBase::InsertPoint saved = b_.saveIP();
  llvm::DebugLoc saved_loc = b_.getCurrentDebugLocation();
  llvm::Function *fn = mb_.beginLoopCallback(name, spec_.probe->range);
  auto block = [&](const char *label) { return llvm::BasicBlock::Create(mb_.ctx(), label, fn); };
  auto slot = [&](uint32_t size) {
    auto *a = b_.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), size));
    a->setAlignment(llvm::Align(8));
    return a;
  };
  // Frame `index` goes at slot `index`: bpf_loop's index is a scalar the verifier does
  // not track per iteration, so it checks this body a few times, not once per frame
  // (as a count kept in ctx made it: 264,000 instructions for 127 frames).
  llvm::Value *index = fn->getArg(0);
  llvm::Value *ctx = fn->getArg(1);
  llvm::Value *vma = slot(kVmaSize);
  llvm::Value *file_key = slot(16);
  llvm::Value *row_key = slot(8);
  llvm::Value *word = slot(8);
  auto *stop = block("stop");
  auto *ask = block("ask");
  auto *record = block("record");
  auto *in_file = block("in_file");
  auto *known = block("known");
  auto *search = block("search");
  auto *probe = block("probe");
  auto *step = block("step");
  auto *found = block("found");
  auto *rules = block("rules");
  auto *from_rbp = block("cfa_rbp");
  auto *have_cfa = block("have_cfa");
  auto *read_rbp = block("read_rbp");
  auto *next = block("next");

  auto load64 = [&](llvm::Value *base, uint64_t offset) {
    return b_.CreateLoad(mb_.i64(), offsetPtr(base, offset));
  };
  auto lookupRow = [&](llvm::Value *row_index) {
    b_.CreateStore(b_.CreateTrunc(row_index, b_.getInt32Ty()), row_key);
    return mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.unwind_rows, row_key});
  };

  // Record the frame.
  llvm::Value *ip = load64(ctx, kCtxIp);
  b_.CreateCondBr(b_.CreateOr(b_.CreateICmpUGE(index, mb_.constI64(limit)),
                              b_.CreateICmpEQ(ip, mb_.constI64(0))),
                  stop, record);
  b_.SetInsertPoint(record);
  llvm::Value *dst = b_.CreateLoad(mb_.ptr(), offsetPtr(ctx, kCtxDst));
  llvm::Value *at = b_.CreateAdd(mb_.constI64(8), b_.CreateShl(index, 3));
  b_.CreateStore(ip, b_.CreateGEP(b_.getInt8Ty(), dst, at));
  b_.CreateStore(b_.CreateAdd(index, mb_.constI64(1)), offsetPtr(ctx, kCtxCount));
  // A return address may follow a call that never returns, at the very end of its
  // function: look up the call's own address instead.
  llvm::Value *pc = b_.CreateSelect(b_.CreateICmpEQ(index, mb_.constI64(0)), ip,
                                    b_.CreateSub(ip, mb_.constI64(1)));
  b_.CreateStore(pc, offsetPtr(vma, kVmaPc));
  b_.CreateStore(mb_.constI64(0), offsetPtr(vma, kVmaFound));
  llvm::Value *task = mb_.callHelper(Helper::GetCurrentTaskBtf, mb_.ptr(), {});
  llvm::Value *err =
      mb_.callHelper(Helper::FindVma, mb_.i64(), {task, pc, vma_cb, vma, mb_.constI64(0)});
  auto *vma_done = block("vma_done");
  auto *busy = block("busy");
  b_.CreateCondBr(b_.CreateICmpEQ(err, mb_.constI64(-kEbusy)), busy, vma_done);
  b_.SetInsertPoint(vma_done);
  b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpEQ(err, mb_.constI64(0)),
                               b_.CreateICmpNE(load64(vma, kVmaFound), mb_.constI64(0))),
                  in_file, stop);

  // bpf_find_vma could not lock the mm: the process's mappings as user space saw them.
  b_.SetInsertPoint(busy);
  llvm::Value *tgid = b_.CreateLShr(mb_.callHelper(Helper::GetCurrentPidTgid, mb_.i64(), {}), 32);
  b_.CreateStore(b_.CreateTrunc(tgid, b_.getInt32Ty()), row_key);
  llvm::Value *proc = mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.unwind_procs, row_key});
  auto *scan = block("scan");
  auto *scan_entry = block("scan_entry");
  auto *scan_next = block("scan_next");
  auto *scan_hit = block("scan_hit");
  b_.CreateCondBr(b_.CreateIsNull(proc), ask, scan);
  b_.SetInsertPoint(scan);
  llvm::PHINode *i = b_.CreatePHI(mb_.i64(), 2);
  i->addIncoming(mb_.constI64(0), busy);
  llvm::Value *mappings = b_.CreateZExt(b_.CreateLoad(b_.getInt32Ty(), proc), mb_.i64());
  b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpULT(i, mb_.constI64(kProcMappings)),
                               b_.CreateICmpULT(i, mappings)),
                  scan_entry, ask);
  b_.SetInsertPoint(scan_entry);
  llvm::Value *entry = b_.CreateGEP(
      b_.getInt8Ty(), proc,
      b_.CreateAdd(mb_.constI64(8), b_.CreateMul(i, mb_.constI64(kProcMappingSize))));
  llvm::Value *start = load64(entry, 0);
  b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpUGE(pc, start), b_.CreateICmpULT(pc, load64(entry, 8))),
                  scan_hit, scan_next);
  b_.SetInsertPoint(scan_next);
  i->addIncoming(b_.CreateAdd(i, mb_.constI64(1)), scan_next);
  b_.CreateBr(scan);
  b_.SetInsertPoint(scan_hit);
  b_.CreateStore(b_.CreateAdd(b_.CreateSub(pc, start), load64(entry, 16)),
                 offsetPtr(vma, kVmaOffset));
  b_.CreateStore(load64(entry, 24), offsetPtr(vma, kVmaIno));
  b_.CreateStore(load64(entry, 32), offsetPtr(vma, kVmaDev));
  b_.CreateBr(in_file);

  // The binary's rows.
  b_.SetInsertPoint(in_file);
  b_.CreateStore(load64(vma, kVmaIno), file_key);
  b_.CreateStore(load64(vma, kVmaDev), offsetPtr(file_key, 8));
  llvm::Value *rows =
      mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.unwind_files, file_key});
  b_.CreateCondBr(b_.CreateIsNull(rows), ask, known);
  b_.SetInsertPoint(known);
  llvm::Value *first = b_.CreateZExt(b_.CreateLoad(b_.getInt32Ty(), rows), mb_.i64());
  llvm::Value *n = b_.CreateZExt(b_.CreateLoad(b_.getInt32Ty(), offsetPtr(rows, 4)), mb_.i64());
  llvm::Value *offset = load64(vma, kVmaOffset);
  llvm::Value *end = b_.CreateAdd(first, n);
  b_.CreateBr(search);

  // Binary search for the last row at or before `offset`: lo ends one past it.
  b_.SetInsertPoint(search);
  llvm::PHINode *lo = b_.CreatePHI(mb_.i64(), 2);
  llvm::PHINode *hi = b_.CreatePHI(mb_.i64(), 2);
  llvm::PHINode *k = b_.CreatePHI(mb_.i64(), 2);
  lo->addIncoming(first, known);
  hi->addIncoming(end, known);
  k->addIncoming(mb_.constI64(0), known);
  b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpULT(k, mb_.constI64(kSearchSteps)),
                               b_.CreateICmpULT(lo, hi)),
                  probe, found);
  b_.SetInsertPoint(probe);
  llvm::Value *mid = b_.CreateLShr(b_.CreateAdd(lo, hi), 1);
  llvm::Value *mid_row = lookupRow(mid);
  b_.CreateCondBr(b_.CreateIsNull(mid_row), stop, step);
  b_.SetInsertPoint(step);
  llvm::Value *before = b_.CreateICmpULE(b_.CreateLoad(mb_.i64(), mid_row), offset);
  lo->addIncoming(b_.CreateSelect(before, b_.CreateAdd(mid, mb_.constI64(1)), lo), step);
  hi->addIncoming(b_.CreateSelect(before, hi, mid), step);
  k->addIncoming(b_.CreateAdd(k, mb_.constI64(1)), step);
  b_.CreateBr(search);

  b_.SetInsertPoint(found);
  llvm::Value *row = lookupRow(b_.CreateSub(lo, mb_.constI64(1)));
  b_.CreateCondBr(b_.CreateOr(b_.CreateICmpEQ(lo, first), b_.CreateIsNull(row)), stop, rules);

  // The CFA, by the row's rule (symbols::UnwindCfa).
  b_.SetInsertPoint(rules);
  llvm::Value *cfa_offset =
      b_.CreateSExt(b_.CreateLoad(b_.getInt32Ty(), offsetPtr(row, 8)), mb_.i64());
  llvm::Value *rbp_offset =
      b_.CreateSExt(b_.CreateLoad(b_.getInt32Ty(), offsetPtr(row, 12)), mb_.i64());
  llvm::Value *cfa_rule = b_.CreateLoad(b_.getInt8Ty(), offsetPtr(row, 16));
  llvm::Value *rbp_rule = b_.CreateLoad(b_.getInt8Ty(), offsetPtr(row, 17));
  llvm::Value *sp = load64(ctx, kCtxSp);
  llvm::Value *bp = load64(ctx, kCtxBp);
  // A PLT entry's CFA: rsp + 8, plus 8 once past the entry's push (binutils' rule).
  llvm::Value *past_push =
      b_.CreateICmpUGE(b_.CreateAnd(ip, mb_.constI64(15)), mb_.constI64(11));
  llvm::Value *plt_cfa = b_.CreateAdd(
      sp, b_.CreateSelect(past_push, mb_.constI64(16), mb_.constI64(8)));
  llvm::Value *rsp_cfa = b_.CreateAdd(sp, cfa_offset);
  auto *from_rsp_or_plt = block("cfa_rsp_or_plt");
  llvm::SwitchInst *by_rule = b_.CreateSwitch(cfa_rule, stop, 3);
  by_rule->addCase(b_.getInt8(1), from_rsp_or_plt);
  by_rule->addCase(b_.getInt8(3), from_rsp_or_plt);
  by_rule->addCase(b_.getInt8(2), from_rbp);
  b_.SetInsertPoint(from_rsp_or_plt);
  llvm::Value *sp_cfa =
      b_.CreateSelect(b_.CreateICmpEQ(cfa_rule, b_.getInt8(3)), plt_cfa, rsp_cfa);
  b_.CreateBr(have_cfa);
  b_.SetInsertPoint(from_rbp);
  llvm::Value *bp_cfa = b_.CreateAdd(bp, cfa_offset);
  b_.CreateCondBr(b_.CreateICmpEQ(bp, mb_.constI64(0)), stop, have_cfa);

  // The return address at CFA - 8; the caller's frame must lie above this one.
  b_.SetInsertPoint(have_cfa);
  llvm::PHINode *cfa = b_.CreatePHI(mb_.i64(), 2);
  cfa->addIncoming(sp_cfa, from_rsp_or_plt);
  cfa->addIncoming(bp_cfa, from_rbp);
  llvm::Value *read = mb_.callHelper(
      Helper::ProbeReadUser, mb_.i64(),
      {word, b_.getInt32(8), b_.CreateIntToPtr(b_.CreateSub(cfa, mb_.constI64(8)), mb_.ptr())});
  llvm::Value *ra = b_.CreateLoad(mb_.i64(), word);
  b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpEQ(read, mb_.constI64(0)),
                               b_.CreateICmpUGT(cfa, sp)),
                  read_rbp, stop);

  // The caller's rbp (symbols::UnwindRbp): saved at CFA + offset, unknown (0), or as is.
  b_.SetInsertPoint(read_rbp);
  b_.CreateStore(bp, word);
  auto *saved_rbp = block("saved_rbp");
  b_.CreateCondBr(b_.CreateICmpEQ(rbp_rule, b_.getInt8(1)), saved_rbp, next);
  b_.SetInsertPoint(saved_rbp);
  // A failed read zeroes `word`: rbp unknown.
  mb_.callHelper(Helper::ProbeReadUser, mb_.i64(),
                 {word, b_.getInt32(8), b_.CreateIntToPtr(b_.CreateAdd(cfa, rbp_offset), mb_.ptr())});
  b_.CreateBr(next);
  b_.SetInsertPoint(next);
  llvm::Value *caller_bp = b_.CreateSelect(b_.CreateICmpEQ(rbp_rule, b_.getInt8(2)),
                                           mb_.constI64(0), b_.CreateLoad(mb_.i64(), word));
  b_.CreateStore(ra, offsetPtr(ctx, kCtxIp));
  b_.CreateStore(cfa, offsetPtr(ctx, kCtxSp));
  b_.CreateStore(caller_bp, offsetPtr(ctx, kCtxBp));
  b_.CreateRet(mb_.constI64(0));

  // What user space knows of this process is out of date: its mappings were read
  // before the dynamic linker had mapped everything, or it has loaded or exec'd since.
  // Ask it to read them again, at most every kAskAgainNs per process.
  b_.SetInsertPoint(ask);
  llvm::Value *now = mb_.callHelper(Helper::KtimeGetNs, mb_.i64(), {});
  llvm::Value *pid = b_.CreateLShr(mb_.callHelper(Helper::GetCurrentPidTgid, mb_.i64(), {}), 32);
  b_.CreateStore(b_.CreateTrunc(pid, b_.getInt32Ty()), row_key);
  llvm::Value *asked = mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {s_.unwind_asked, row_key});
  auto *recent = block("asked_before");
  auto *send = block("send");
  b_.CreateCondBr(b_.CreateIsNull(asked), send, recent);
  b_.SetInsertPoint(recent);
  llvm::Value *since = b_.CreateSub(now, b_.CreateLoad(mb_.i64(), asked));
  b_.CreateCondBr(b_.CreateICmpULT(since, mb_.constI64(kAskAgainNs)), stop, send);
  b_.SetInsertPoint(send);
  b_.CreateStore(now, word);
  mb_.callHelper(Helper::MapUpdateElem, mb_.i64(), {s_.unwind_asked, row_key, word, mb_.constI64(0)});
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::PidMapsChanged)), file_key);
  b_.CreateStore(b_.CreateTrunc(pid, b_.getInt32Ty()), offsetPtr(file_key, 4));
  mb_.callHelper(Helper::RingbufOutput, mb_.i64(), {s_.events, file_key, mb_.constI64(8), mb_.constI64(0)});
  b_.CreateBr(stop);

  b_.SetInsertPoint(stop);
  b_.CreateStore(mb_.constI64(0), offsetPtr(ctx, kCtxIp));
  b_.CreateRet(mb_.constI64(1));

  b_.restoreIP(saved);
  b_.SetCurrentDebugLocation(saved_loc);
  mb_.resumeFunction(fn_);
  return fn;
}

// `long cb(task, vma, ctx)` for bpf_find_vma: the file offset of ctx's address, and
// the mapped file's inode number and device (as /proc/PID/maps shows them).
llvm::Function *ProgramEmitter::emitDwVmaCallback() {
  const sema::DwUnwindOffsets &o = s_.analysis.dw_unwind;
  llvm::IRBuilderBase::InsertPoint saved = b_.saveIP();
  llvm::DebugLoc saved_loc = b_.getCurrentDebugLocation();
  llvm::Function *fn = mb_.beginCallback("scry_dw_vma", spec_.probe->range);
  auto *has_file = llvm::BasicBlock::Create(mb_.ctx(), "has_file", fn);
  auto *done = llvm::BasicBlock::Create(mb_.ctx(), "done", fn);
  llvm::Value *vma = fn->getArg(1);
  llvm::Value *ctx = fn->getArg(2);
  auto field = [&](llvm::Value *base, uint32_t offset, llvm::Type *type) {
    return b_.CreateLoad(type, offsetPtr(base, offset));
  };
  llvm::Value *file = field(vma, o.vm_file, mb_.ptr());
  b_.CreateCondBr(b_.CreateIsNull(file), done, has_file);
  b_.SetInsertPoint(has_file);
  llvm::Value *start = field(vma, o.vm_start, mb_.i64());
  llvm::Value *pgoff = field(vma, o.vm_pgoff, mb_.i64());
  llvm::Value *inode = field(file, o.f_inode, mb_.ptr());
  llvm::Value *ino = field(inode, o.i_ino, mb_.i64());
  llvm::Value *sb = field(inode, o.i_sb, mb_.ptr());
  llvm::Value *dev = b_.CreateZExt(field(sb, o.s_dev, b_.getInt32Ty()), mb_.i64());
  llvm::Value *pc = b_.CreateLoad(mb_.i64(), offsetPtr(ctx, kVmaPc));
  llvm::Value *file_offset =
      b_.CreateAdd(b_.CreateSub(pc, start), b_.CreateMul(pgoff, mb_.constI64(kPageSize)));
  b_.CreateStore(file_offset, offsetPtr(ctx, kVmaOffset));
  b_.CreateStore(ino, offsetPtr(ctx, kVmaIno));
  b_.CreateStore(dev, offsetPtr(ctx, kVmaDev));
  b_.CreateStore(mb_.constI64(1), offsetPtr(ctx, kVmaFound));
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  b_.CreateRet(mb_.constI64(0));
  b_.restoreIP(saved);
  b_.SetCurrentDebugLocation(saved_loc);
  mb_.resumeFunction(fn_);
  return fn;
}

} // namespace scry::codegen
