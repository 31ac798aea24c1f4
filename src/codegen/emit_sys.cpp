// Emission of the time, process and system builtins and functions. Most of them are
// asynchronous, as in bpftrace: the program sends a ring-buffer record and user space
// acts on it (time, cat, system, join, errorf, warnf; runtime/sys_events.h). Values
// that user space turns into text (username, strftime, cgroup_path) travel as a u64.
// signal, override and debugf call their BPF helper in the probe.
#include <cstdlib>

#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

namespace {

// x86-64 struct pt_regs (arch/x86/include/asm/ptrace.h): the code segment, whose low
// two bits are the privilege level (3: user mode), and the stack pointer.
constexpr uint32_t kPtRegsCs = 136;
constexpr uint32_t kPtRegsSp = 152;
// join(): bpftrace reads at most 16 strings of the array.
constexpr uint32_t kJoinMaxArgs = 16;
constexpr uint32_t kJoinHeaderSize = 16; // EventHeader, then the u64 count

// "stdin:1:9-62" for a range on one line, "stdin:1-3" across lines, as bpftrace prints
// the location of errorf() and warnf().
object::ErrorfDesc describeLocation(const diag::SourceFile *source, ast::SourceRange range) {
  object::ErrorfDesc desc;
  if (!source)
    return desc;
  diag::LineCol begin = source->lineCol(range.begin), end = source->lineCol(range.end);
  desc.filename = source->nameAt(range.begin);
  desc.line = begin.line;
  desc.col = begin.col;
  desc.location = desc.filename + ":" + std::to_string(begin.line);
  if (begin.line == end.line)
    desc.location += ":" + std::to_string(begin.col) + "-" + std::to_string(end.col);
  else
    desc.location += "-" + std::to_string(end.line);
  return desc;
}

} // namespace

llvm::Value *ProgramEmitter::emitSysBuiltin(ast::Builtin *builtin) {
  const ast::Type u64 = ast::Type::integer(64, false);
  if (builtin->id == ast::BuiltinId::Elapsed) {
    llvm::Value *now = mb_.callHelper(Helper::KtimeGetBootNs, mb_.i64(), {});
    return b_.CreateSub(now, mb_.constI64(s_.start_boot_ns));
  }
  if (builtin->id == ast::BuiltinId::Username) // the uid; user space finds its name
    return b_.CreateAnd(mb_.callHelper(Helper::GetCurrentUidGid, mb_.i64(), {}), 0xffffffffULL);
  if (builtin->id == ast::BuiltinId::Ppid) { // curtask->real_parent->tgid (checker_sys.cpp)
    uint64_t offsets = s_.analysis.constants.at(builtin->Node::id());
    llvm::Value *slot = allocBuffer(8);
    b_.CreateStore(mb_.constI64(0), slot);
    llvm::Value *task = mb_.callHelper(Helper::GetCurrentTask, mb_.i64(), {});
    auto read = [&](llvm::Value *addr, uint32_t size) {
      mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                     {slot, b_.getInt32(size), b_.CreateIntToPtr(addr, mb_.ptr())});
    };
    read(b_.CreateAdd(task, mb_.constI64(offsets >> 32)), 8);
    llvm::Value *parent = b_.CreateLoad(mb_.i64(), slot);
    b_.CreateStore(mb_.constI64(0), slot);
    read(b_.CreateAdd(parent, mb_.constI64(offsets & 0xffffffffULL)), 4);
    return b_.CreateZExt(b_.CreateLoad(b_.getInt32Ty(), slot), mb_.i64());
  }
  if (builtin->id == ast::BuiltinId::Usermode) {
    llvm::Value *cs = loadContext(kPtRegsCs, u64);
    return b_.CreateZExt(b_.CreateICmpEQ(b_.CreateAnd(cs, 3), mb_.constI64(3)), mb_.i64());
  }
  // sargN: the N+1th u64 above the return address on the stack (x86-64 System V).
  unsigned n = static_cast<unsigned>(std::strtoul(builtin->name.c_str() + 4, nullptr, 10));
  llvm::Value *sp = loadContext(kPtRegsSp, u64);
  llvm::Value *addr = b_.CreateAdd(sp, mb_.constI64(8 * (static_cast<uint64_t>(n) + 1)));
  llvm::Value *slot = allocBuffer(8);
  b_.CreateStore(mb_.constI64(0), slot);
  Helper read = spec_.kind == ast::ProbeKind::Uprobe ? Helper::ProbeReadUser
                                                     : Helper::ProbeReadKernel;
  mb_.callHelper(read, mb_.i64(), {slot, b_.getInt32(8), b_.CreateIntToPtr(addr, mb_.ptr())});
  return b_.CreateLoad(mb_.i64(), slot);
}

llvm::Value *ProgramEmitter::emitSysValue(ast::Call *call) {
  auto constant = [&](uint64_t fallback) {
    auto it = s_.analysis.constants.find(call->Node::id());
    return it == s_.analysis.constants.end() ? fallback : it->second;
  };
  if (call->id == ast::FuncId::Strftime) // the timestamp; user space formats it
    return emitScalar(call->args[1]);
  if (call->id == ast::FuncId::CgroupPath) // the id; user space finds its paths
    return emitScalar(call->args[0]);
  if (call->id == ast::FuncId::Cgroupid) // resolved by sema
    return mb_.constI64(constant(0));
  auto boot = [&] { return mb_.callHelper(Helper::KtimeGetBootNs, mb_.i64(), {}); };
  switch (static_cast<ast::Clock>(constant(static_cast<uint64_t>(ast::Clock::Boot)))) {
  case ast::Clock::Boot:
    return boot();
  case ast::Clock::Monotonic:
    return mb_.callHelper(Helper::KtimeGetNs, mb_.i64(), {});
  case ast::Clock::Tai:
    return mb_.callHelper(Helper::KtimeGetTaiNs, mb_.i64(), {});
  case ast::Clock::SwTai: // for kernels before 6.1: the boot clock plus TAI's lead
    return b_.CreateAdd(boot(), mb_.constI64(static_cast<uint64_t>(s_.tai_offset_ns)));
  }
  return boot();
}

// Record: the header {Time, index into time_formats}; user space reads the clock.
void ProgramEmitter::emitTime(ast::Call *call) {
  std::string format = "%H:%M:%S\n"; // bpftrace's default
  if (!call->args.empty())
    format = ast::cast<ast::StringLit>(call->args[0])->value;
  uint32_t id = static_cast<uint32_t>(s_.out.time_formats.size());
  s_.out.time_formats.push_back(format);
  llvm::Value *record = allocBuffer(object::kEventHeaderSize);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::Time)), record);
  b_.CreateStore(b_.getInt32(id), offsetPtr(record, 4));
  countIfLost(mb_.callHelper(Helper::RingbufOutput, mb_.i64(),
                             {s_.events, record, mb_.constI64(object::kEventHeaderSize),
                              mb_.constI64(0)}));
}

void ProgramEmitter::emitFormattedAction(ast::Call *call) {
  object::BpfObject &out = s_.out;
  if (call->id == ast::FuncId::Cat) {
    uint32_t id = static_cast<uint32_t>(out.cats.size());
    out.cats.emplace_back();
    out.cats[id] = emitFormatRecord(call, object::EventKind::Cat, id);
  } else if (call->id == ast::FuncId::System) {
    uint32_t id = static_cast<uint32_t>(out.systems.size());
    out.systems.emplace_back();
    out.systems[id] = emitFormatRecord(call, object::EventKind::System, id);
  } else { // errorf, warnf
    uint32_t id = static_cast<uint32_t>(out.errorfs.size());
    out.errorfs.push_back(describeLocation(s_.source, call->range));
    out.errorfs[id].is_error = call->id == ast::FuncId::Errorf;
    out.errorfs[id].printf = emitFormatRecord(call, object::EventKind::Errorf, id);
  }
}

// Record: header {Join, index into joins}, the u64 count of strings read, then
// kJoinMaxArgs slots of max_strlen bytes. Reading stops at the array's NULL pointer
// (or a pointer that cannot be read); user space joins `count` slots.
void ProgramEmitter::emitJoin(ast::Call *call) {
  object::JoinDesc desc;
  if (call->args.size() == 2)
    desc.separator = ast::cast<ast::StringLit>(call->args[1])->value;
  desc.max_args = kJoinMaxArgs;
  desc.arg_size = s_.analysis.config.max_strlen;
  uint32_t id = static_cast<uint32_t>(s_.out.joins.size());
  s_.out.joins.push_back(desc);

  const ast::Type &array = typeOf(call->args[0]);
  Helper read = Helper::ProbeRead, read_str = Helper::ProbeReadStr;
  if (array.isPointer() && array.addrSpace() == ast::AddrSpace::User)
    read = Helper::ProbeReadUser, read_str = Helper::ProbeReadUserStr;
  else if (array.isPointer() && array.addrSpace() == ast::AddrSpace::Kernel)
    read = Helper::ProbeReadKernel, read_str = Helper::ProbeReadKernelStr;

  llvm::Value *base = emitScalar(call->args[0]);
  llvm::Value *pointer = allocBuffer(8);
  uint64_t size = kJoinHeaderSize + uint64_t{desc.max_args} * desc.arg_size;
  llvm::Value *record = mb_.callHelper(Helper::RingbufReserve, mb_.ptr(),
                                       {s_.events, mb_.constI64(size), mb_.constI64(0)});
  auto *fill = newBlock("join_fill");
  auto *submit = newBlock("join_submit");
  auto *done = newBlock("join_done");
  branchOnReserve(record, fill, done); // no room: counted as lost
  b_.SetInsertPoint(fill);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::Join)), record);
  b_.CreateStore(b_.getInt32(id), offsetPtr(record, 4));
  b_.CreateStore(mb_.constI64(0), offsetPtr(record, 8));
  for (uint32_t i = 0; i < desc.max_args; ++i) {
    llvm::Value *element = b_.CreateIntToPtr(b_.CreateAdd(base, mb_.constI64(8 * i)), mb_.ptr());
    llvm::Value *err = mb_.callHelper(read, mb_.i64(), {pointer, b_.getInt32(8), element});
    llvm::Value *str = b_.CreateLoad(mb_.i64(), pointer);
    auto *next = newBlock("join_next");
    b_.CreateCondBr(b_.CreateOr(b_.CreateICmpNE(err, mb_.constI64(0)),
                                b_.CreateICmpEQ(str, mb_.constI64(0))),
                    submit, next);
    b_.SetInsertPoint(next);
    llvm::Value *slot = offsetPtr(record, kJoinHeaderSize + uint64_t{i} * desc.arg_size);
    mb_.callHelper(read_str, mb_.i64(),
                   {slot, b_.getInt32(desc.arg_size), b_.CreateIntToPtr(str, mb_.ptr())});
    b_.CreateStore(mb_.constI64(i + 1), offsetPtr(record, 8));
  }
  b_.CreateBr(submit);
  b_.SetInsertPoint(submit);
  mb_.callHelper(Helper::RingbufSubmit, b_.getVoidTy(), {record, mb_.constI64(0)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void ProgramEmitter::emitSignal(ast::Call *call) {
  auto it = s_.analysis.constants.find(call->Node::id()); // a signal named by a string
  llvm::Value *sig = it != s_.analysis.constants.end() ? mb_.constI64(it->second)
                                                        : emitScalar(call->args[0]);
  Helper helper = call->id == ast::FuncId::SignalThread ? Helper::SendSignalThread
                                                        : Helper::SendSignal;
  mb_.callHelper(helper, mb_.i64(), {b_.CreateAnd(sig, 0xffffffffULL)});
}

void ProgramEmitter::emitOverride(ast::Call *call) {
  mb_.callHelper(Helper::OverrideReturn, mb_.i64(), {ctx_, emitScalar(call->args[0])});
}

// bpf_trace_printk(fmt, fmt_size, up to three u64 arguments): the format is copied to
// the stack (the helper reads it from memory), strings are passed by address.
void ProgramEmitter::emitDebugf(ast::Call *call) {
  const std::string &format = ast::cast<ast::StringLit>(call->args[0])->value;
  uint32_t size = static_cast<uint32_t>(format.size() + 1);
  llvm::Value *fmt = allocBuffer(size);
  storeLiteral(format, fmt, size);
  std::vector<llvm::Value *> args = {fmt, b_.getInt32(size)};
  for (size_t i = 1; i < call->args.size(); ++i) {
    ast::Expr *arg = call->args[i];
    if (typeOf(arg).isString())
      args.push_back(b_.CreatePtrToInt(emitBuffer(arg), mb_.i64()));
    else
      args.push_back(emitScalar(arg));
  }
  mb_.callHelper(Helper::TracePrintk, mb_.i64(), args);
}

} // namespace scry::codegen
