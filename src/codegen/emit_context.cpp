// Emission of the builtins that read the probe's context, per probe family:
//   kprobe/uprobe argN     pt_regs registers (x86-64 System V: di si dx cx r8 r9)
//   kretprobe/uretprobe    retval in pt_regs ax
//   rawtracepoint argN     the u64 array of tp_btf/raw_tp contexts
//   fexit retval           the u64 after the arguments, typed from BTF
//   usdt argN              decoded at run time from libbpf's __bpf_usdt_specs map, which
//                          libbpf fills at attach and indexes by the BPF cookie
//   reg("name")            a pt_regs register: kprobe/uprobe/usdt contexts are pt_regs,
//                          perf-event contexts (bpf_perf_event_data) start with them
//   ctx                    the context's address
#include "codegen/program_emitter.h"
#include "sema/probe_builtins.h"
#include "sema/probe_families.h"

namespace scry::codegen {

namespace {

// libbpf 1.1 usdt.bpf.h: struct __bpf_usdt_arg_spec is 16 bytes (u64 val_off, enum
// arg_type, short reg_off, bool arg_signed, char arg_bitshift); struct __bpf_usdt_spec
// holds 12 of them, a u64 cookie and a short count: 208 bytes.
constexpr uint32_t kUsdtArgSpecSize = 16;
constexpr uint32_t kUsdtSpecSize = 208;
constexpr uint32_t kUsdtMaxSpecs = 256;  // BPF_USDT_MAX_SPEC_CNT
constexpr uint32_t kUsdtMaxIps = 1024;   // BPF_USDT_MAX_IP_CNT
enum UsdtArgType { kUsdtConst = 0, kUsdtReg = 1, kUsdtRegDeref = 2 };

} // namespace

llvm::Value *ProgramEmitter::loadContext(uint32_t offset, const ast::Type &type) {
  return loadScalar(offsetPtr(ctx_, offset), type);
}

llvm::Value *ProgramEmitter::emitContextScalar(ast::Builtin *builtin) {
  const ast::Type u64 = ast::Type::integer(64, false);
  if (builtin->id == ast::BuiltinId::Ctx) // the context's address; its fields are read
    return b_.CreatePtrToInt(ctx_, mb_.i64()); // with bpf_probe_read_kernel like any struct
  bool is_arg = builtin->id == ast::BuiltinId::ArgN;
  unsigned n = is_arg ? sema::argIndex(builtin) : 0;
  switch (spec_.kind) {
  case ast::ProbeKind::Kprobe:
  case ast::ProbeKind::Uprobe:
    return loadContext(sema::kArgRegOffsets[n], u64);
  case ast::ProbeKind::Kretprobe:
  case ast::ProbeKind::Uretprobe:
    return loadContext(sema::kRetRegOffset, u64);
  case ast::ProbeKind::RawTracepoint:
    return loadContext(8 * n, u64);
  case ast::ProbeKind::Fexit:
    return loadContext(8 * static_cast<uint32_t>(spec_.args ? spec_.args->fields.size() : 0),
                       spec_.retval);
  case ast::ProbeKind::Usdt:
    return emitUsdtArg(n);
  case ast::ProbeKind::Unknown:
  case ast::ProbeKind::Begin:
  case ast::ProbeKind::End:
  case ast::ProbeKind::Tracepoint:
  case ast::ProbeKind::Interval:
  case ast::ProbeKind::Profile:
  case ast::ProbeKind::Software:
  case ast::ProbeKind::Hardware:
  case ast::ProbeKind::Fentry:
  case ast::ProbeKind::Kfunc:
  case ast::ProbeKind::Kretfunc:
  case ast::ProbeKind::Watchpoint:
  case ast::ProbeKind::Iter:
  case ast::ProbeKind::Self:
    break;
  }
  return mb_.constI64(0); // sema reported the builtin as unavailable
}

llvm::Value *ProgramEmitter::emitReg(ast::Call *call) {
  int offset = sema::regOffset(ast::cast<ast::StringLit>(call->args[0])->value); // sema checked
  return loadContext(static_cast<uint32_t>(offset), ast::Type::integer(64, false));
}

bool ProgramEmitter::ctxFieldOffset(ast::FieldAccess *access, uint64_t &offset) {
  sema::ContextKind kind = sema::contextKind(spec_);
  if (kind != sema::ContextKind::Regs && kind != sema::ContextKind::PerfEvent)
    return false; // iterators' contexts are plain memory, read like any struct
  const ast::Type &type = typeOf(access);
  if (!type.isScalar() || type.isPointer() || (type.size() != 1 && type.size() != 2 &&
                                                type.size() != 4 && type.size() != 8))
    return false;
  offset = 0;
  ast::Expr *node = access;
  while (auto *field = ast::dyn_cast<ast::FieldAccess>(node)) {
    if (isArgsField(field)) // a struct in a uprobe's args record, not in ctx (issue 4)
      return false;
    offset += s_.analysis.constants.at(field->id());
    node = field->base;
    if (typeOf(node).isPointer()) { // only ctx itself may be a pointer on the way
      auto *builtin = ast::dyn_cast<ast::Builtin>(node);
      return builtin && builtin->id == ast::BuiltinId::Ctx && offset % type.size() == 0;
    }
  }
  return false;
}

// libbpf's USDT manager looks both maps up by name at attach time.
llvm::GlobalVariable *ProgramEmitter::usdtSpecsMap() {
  if (auto *gv = mb_.module().getNamedGlobal("__bpf_usdt_specs"))
    return gv;
  auto *specs = mb_.declareMap("__bpf_usdt_specs", 4);
  mb_.finishMap(specs, {MapType::Array, 4, kUsdtSpecSize, kUsdtMaxSpecs});
  auto *ips = mb_.declareMap("__bpf_usdt_ip_to_spec_id", 4);
  mb_.finishMap(ips, {MapType::Hash, 8, 4, kUsdtMaxIps});
  return specs;
}

llvm::Value *ProgramEmitter::emitUsdtArg(unsigned index) {
  llvm::Type *i64 = mb_.i64();
  llvm::Value *cookie = mb_.callHelper(Helper::GetAttachCookie, i64, {ctx_});
  llvm::Value *key = allocBuffer(8);
  b_.CreateStore(b_.CreateTrunc(cookie, b_.getInt32Ty()), key);
  llvm::Value *spec = mb_.callHelper(Helper::MapLookupElem, mb_.ptr(), {usdtSpecsMap(), key});
  llvm::Value *result = allocBuffer(8);
  b_.CreateStore(mb_.constI64(0), result);
  auto *found = newBlock("usdt_spec");
  auto *done = newBlock("usdt_done");
  b_.CreateCondBr(b_.CreateIsNull(spec), done, found);

  b_.SetInsertPoint(found);
  llvm::Value *arg = offsetPtr(spec, index * kUsdtArgSpecSize);
  llvm::Value *val_off = b_.CreateLoad(i64, arg);
  llvm::Value *type = b_.CreateLoad(b_.getInt32Ty(), offsetPtr(arg, 8));
  llvm::Value *reg_off = b_.CreateSExt(b_.CreateLoad(b_.getInt16Ty(), offsetPtr(arg, 12)), i64);
  llvm::Value *is_signed = b_.CreateLoad(b_.getInt8Ty(), offsetPtr(arg, 14));
  llvm::Value *shift = b_.CreateZExt(b_.CreateLoad(b_.getInt8Ty(), offsetPtr(arg, 15)), i64);
  b_.CreateStore(val_off, result);
  auto *reg = newBlock("usdt_reg");
  auto *shifted = newBlock("usdt_shift");
  b_.CreateCondBr(b_.CreateICmpEQ(type, b_.getInt32(kUsdtConst)), shifted, reg);

  b_.SetInsertPoint(reg); // the register's value, then maybe the memory it points at
  llvm::Value *reg_addr = b_.CreateGEP(b_.getInt8Ty(), ctx_, reg_off);
  mb_.callHelper(Helper::ProbeReadKernel, i64, {result, b_.getInt32(8), reg_addr});
  auto *deref = newBlock("usdt_deref");
  b_.CreateCondBr(b_.CreateICmpEQ(type, b_.getInt32(kUsdtRegDeref)), deref, shifted);
  b_.SetInsertPoint(deref);
  llvm::Value *addr = b_.CreateAdd(b_.CreateLoad(i64, result), val_off);
  mb_.callHelper(Helper::ProbeReadUser, i64,
                 {result, b_.getInt32(8), b_.CreateIntToPtr(addr, mb_.ptr())});
  b_.CreateBr(shifted);

  b_.SetInsertPoint(shifted); // narrow 1/2/4-byte arguments, sign-extending if signed
  llvm::Value *v = b_.CreateShl(b_.CreateLoad(i64, result), shift);
  v = b_.CreateSelect(b_.CreateICmpNE(is_signed, b_.getInt8(0)), b_.CreateAShr(v, shift),
                      b_.CreateLShr(v, shift));
  b_.CreateStore(v, result);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return b_.CreateLoad(i64, result);
}

} // namespace scry::codegen
