// Emission of calls: printf and exit send records through the ring buffer; str reads
// a string from kernel or user memory.
#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

void ProgramEmitter::emitCallStmt(ast::Call *call) {
  switch (call->id) {
  case ast::FuncId::Printf:
    emitPrintf(call);
    return;
  case ast::FuncId::Exit:
    emitExit(call);
    return;
  case ast::FuncId::Print:
    if (auto *map = ast::dyn_cast<ast::MapAccess>(call->args[0]); map && map->keys.empty())
      emitMapEvent(call, object::EventKind::PrintMap);
    else
      emitPrintValue(call);
    return;
  case ast::FuncId::Clear:
    emitMapEvent(call, object::EventKind::ClearMap);
    return;
  case ast::FuncId::Zero:
    emitMapEvent(call, object::EventKind::ZeroMap);
    return;
  case ast::FuncId::Delete:
  case ast::FuncId::HasKey:
  case ast::FuncId::Len:
    emitMapFuncScalar(call);
    return;
  case ast::FuncId::Find: // emit_memfuncs.cpp
    emitFind(call);
    return;
  case ast::FuncId::WriteUser: // emit_memfuncs.cpp
    emitWriteUser(call);
    return;
  case ast::FuncId::SocketCookie:
    return; // no side effects
  case ast::FuncId::Skboutput: // emit_skboutput.cpp
    emitSkboutput(call);
    return;
  // Strings, buffers and addresses: values, with no side effects (emit_strings.cpp)
  case ast::FuncId::Buf:
  case ast::FuncId::Strncmp:
  case ast::FuncId::Strcontains:
  case ast::FuncId::Strstr:
  case ast::FuncId::Strlen:
  case ast::FuncId::StrConcat:
  case ast::FuncId::Strerror:
  case ast::FuncId::Bswap:
  case ast::FuncId::Ntop:
  case ast::FuncId::Pton:
  case ast::FuncId::Macaddr:
  case ast::FuncId::Kptr:
  case ast::FuncId::Uptr:
  case ast::FuncId::Path:
  case ast::FuncId::SyscallName: // emit_task.cpp
  case ast::FuncId::SignalName:
  case ast::FuncId::KfuncExist:
  case ast::FuncId::KfuncAllowed:
  case ast::FuncId::Getopt: // a constant (checker_getopt.cpp)
  case ast::FuncId::CommOf: // kfuncs and ksyms: values (emit_kfuncs.cpp)
  case ast::FuncId::PercpuKaddr:
    return;
  case ast::FuncId::Str:
  case ast::FuncId::Count:
  case ast::FuncId::Sum:
  case ast::FuncId::Avg:
  case ast::FuncId::Min:
  case ast::FuncId::Max:
  case ast::FuncId::Stats:
  case ast::FuncId::Hist:
  case ast::FuncId::Lhist:
    return; // values: nothing to do as a statement (str(pid); count() outside a map is refused)
  // Time, process and system functions (emit_sys.cpp)
  case ast::FuncId::Time:
    emitTime(call);
    return;
  case ast::FuncId::Cat:
  case ast::FuncId::System:
  case ast::FuncId::Errorf:
  case ast::FuncId::Warnf:
    emitFormattedAction(call);
    return;
  case ast::FuncId::Join:
    emitJoin(call);
    return;
  case ast::FuncId::Signal:
  case ast::FuncId::SignalThread:
    emitSignal(call);
    return;
  case ast::FuncId::Unwatch: // emit_morefuncs.cpp
    emitUnwatch(call);
    return;
  case ast::FuncId::Override:
    emitOverride(call);
    return;
  case ast::FuncId::Debugf:
    emitDebugf(call);
    return;
  case ast::FuncId::Tseries:
  case ast::FuncId::Nsecs:
  case ast::FuncId::Strftime:
  case ast::FuncId::Cgroupid:
  case ast::FuncId::CgroupPath:
  case ast::FuncId::Kstack: // stacks and symbols (emit_stacks.cpp)
  case ast::FuncId::Ustack:
  case ast::FuncId::DwUstack:
  case ast::FuncId::Ksym:
  case ast::FuncId::Usym:
  case ast::FuncId::Kaddr:
  case ast::FuncId::Uaddr:
  case ast::FuncId::Reg: // a register's value (emit_context.cpp)
  case ast::FuncId::Pid: // compile-time functions (emit_ctfuncs.cpp); fail() and
  case ast::FuncId::Tid: // static_assert() stop compilation in sema when reached,
  case ast::FuncId::Fail: // and assert() is an `if` after parsing
  case ast::FuncId::Assert:
  case ast::FuncId::StaticAssert:
  case ast::FuncId::AssertStr:
  case ast::FuncId::IsPtr:
  case ast::FuncId::IsStr:
  case ast::FuncId::IsInteger:
  case ast::FuncId::IsUnsignedInteger:
  case ast::FuncId::IsArray:
  case ast::FuncId::IsLiteral:
  case ast::FuncId::IsErr:
  case ast::FuncId::ContainerOf:
  case ast::FuncId::Strcap: // emit_morefuncs.cpp
  case ast::FuncId::Memcmp:
  case ast::FuncId::Typeinfo: // a constant (emit_typeinfo.cpp)
  case ast::FuncId::Unknown:
    return; // no side effects
  }
}

void ProgramEmitter::emitPrintf(ast::Call *call) {
  if (spec_.kind == ast::ProbeKind::Iter)
    return emitSeqPrintf(call); // into the iterator's seq file (emit_iter.cpp)
  uint32_t id = static_cast<uint32_t>(s_.out.printfs.size());
  s_.out.printfs.emplace_back();
  s_.out.printfs[id] = emitFormatRecord(call, object::EventKind::Printf, id);
}

object::PrintfDesc ProgramEmitter::emitFormatRecord(ast::Call *call, object::EventKind kind,
                                                    uint32_t id) {
  // Record: header, then each argument at an 8-aligned offset. Arguments are written
  // straight into the reserved ring-buffer space: no copy through the stack. Integers,
  // bools and pointers travel as 64-bit integers; other values keep their layout.
  object::PrintfDesc desc;
  desc.format = ast::cast<ast::StringLit>(call->args[0])->value;
  uint32_t size = object::kEventHeaderSize;
  std::vector<ast::Type> slots;
  for (size_t i = 1; i < call->args.size(); ++i) {
    const ast::Type &t = typeOf(call->args[i]);
    // Bools keep their type, so that %s prints true/false; pointers print in hex.
    ast::Type slot = t.isPointer() || t.isAddress() ? ast::Type::address()
                     : t.isInt()                    ? ast::Type::integer(64, t.isSigned())
                                                    : t;
    desc.offsets.push_back(size);
    desc.args.push_back(toValueType(slot));
    slots.push_back(slot);
    size += (slot.size() + 7) & ~7u;
  }

  notePidBeforeRecord(std::span(call->args).subspan(1));
  llvm::Value *record = mb_.callHelper(Helper::RingbufReserve, mb_.ptr(),
                                       {s_.events, mb_.constI64(size), mb_.constI64(0)});
  auto *fill = newBlock("printf_fill");
  auto *done = newBlock("printf_done");
  branchOnReserve(record, fill, done); // no room: counted as lost
  b_.SetInsertPoint(fill);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(kind)), record);
  b_.CreateStore(b_.getInt32(id), offsetPtr(record, 4));
  for (size_t i = 1; i < call->args.size(); ++i)
    emitInto(call->args[i], offsetPtr(record, desc.offsets[i - 1]), slots[i - 1]);
  mb_.callHelper(Helper::RingbufSubmit, b_.getVoidTy(), {record, mb_.constI64(0)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return desc;
}

void ProgramEmitter::emitExit(ast::Call *call) {
  llvm::Value *code = call->args.empty() ? mb_.constI64(0) : emitScalar(call->args[0]);
  llvm::Value *record = allocBuffer(16);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::Exit)), record);
  b_.CreateStore(b_.getInt32(0), offsetPtr(record, 4));
  b_.CreateStore(code, offsetPtr(record, 8));
  llvm::Value *err = mb_.callHelper(Helper::RingbufOutput, mb_.i64(),
                 {s_.events, record, mb_.constI64(16), mb_.constI64(0)});
  // No room for the record: the runtime finds the request in the counters instead.
  auto *fallback = newBlock("exit_fallback");
  auto *sent = newBlock("exit_sent");
  b_.CreateCondBr(b_.CreateICmpNE(err, mb_.constI64(0)), fallback, sent);
  b_.SetInsertPoint(fallback);
  recordExitFallback(code);
  b_.CreateBr(sent);
  b_.SetInsertPoint(sent);
  b_.CreateRet(b_.getInt32(0));
  continueAfterTerminator();
}

void ProgramEmitter::emitStrInto(ast::Call *call, llvm::Value *dst, uint32_t size) {
  if (call->id == ast::FuncId::Getopt) { // the command line's value (named_params.h)
    storeLiteral(sema::findNamedParam(s_.analysis.named_params, call)->str_value, dst, size);
    return;
  }
  if (call->id == ast::FuncId::CommOf) {
    emitCommOfInto(call, dst, std::min(size, typeOf(call).size())); // emit_kfuncs.cpp
    return;
  }
  if (call->id == ast::FuncId::SyscallName || call->id == ast::FuncId::SignalName) {
    emitNameInto(call, dst, std::min(size, typeOf(call).size())); // emit_task.cpp
    return;
  }
  if (call->id == ast::FuncId::StrConcat || call->id == ast::FuncId::Strerror ||
      call->id == ast::FuncId::Path) { // emit_strings.cpp
    emitStringResultInto(call, dst, std::min(size, typeOf(call).size()));
    return;
  }
  ast::Expr *arg = call->args[0];
  const ast::Type &arg_type = typeOf(arg);
  size = std::min(size, typeOf(call).size());
  if (arg_type.isString()) {
    emitStringInto(arg, dst, size);
    return;
  }
  Helper helper = Helper::ProbeReadStr;
  if (arg_type.isPointer())
    helper = arg_type.addrSpace() == ast::AddrSpace::User ? Helper::ProbeReadUserStr
                                                          : Helper::ProbeReadKernelStr;
  llvm::Value *src = b_.CreateIntToPtr(emitScalar(arg), mb_.ptr());
  llvm::Value *limit = b_.getInt32(size);
  if (call->args.size() == 2 && !ast::isa<ast::IntegerLit>(call->args[1])) {
    // str(p, n) with n known only now: clamped to [0, size], which bounds the read.
    llvm::Value *n = emitScalar(call->args[1]);
    llvm::Value *cap = mb_.constI64(size);
    n = b_.CreateSelect(b_.CreateICmpSLT(n, mb_.constI64(0)), mb_.constI64(0),
                        b_.CreateSelect(b_.CreateICmpUGT(n, cap), cap, n));
    limit = b_.CreateTrunc(n, b_.getInt32Ty());
    b_.CreateStore(b_.getInt8(0), dst); // n == 0 reads nothing
  }
  mb_.callHelper(helper, mb_.i64(), {dst, limit, src});
}

} // namespace scry::codegen
