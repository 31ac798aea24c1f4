// Emission of the byte values: buf() buffers, ntop() addresses and macaddr() hardware
// addresses (layouts in object::ValueKind), written in place; the bytes of arrays and
// strings they are made from; and pton()'s constant bytes.
#include <arpa/inet.h>
#include <sys/socket.h>

#include "codegen/program_emitter.h"

namespace scry::codegen {

namespace {

// pton()'s bytes, as sema accepted them.
std::string ptonBytes(const ast::Call *call) {
  const std::string &text = ast::cast<ast::StringLit>(call->args[0])->value;
  bool v6 = text.find(':') != std::string::npos;
  unsigned char bytes[16] = {};
  inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), bytes);
  return std::string(reinterpret_cast<const char *>(bytes), v6 ? 16 : 4);
}

bool isCallOf(const ast::Expr *e, ast::FuncId id) {
  auto *call = ast::dyn_cast<ast::Call>(e);
  return call && call->id == id;
}

} // namespace

// `n` bytes at `addr`, an address of type `type`: a pointer read in its address
// space, an integer address through bpf_probe_read (either space on x86-64).
void ProgramEmitter::readAddressInto(llvm::Value *dst, llvm::Value *n, llvm::Value *addr,
                                     const ast::Type &type) {
  Helper helper = Helper::ProbeRead;
  if (type.isPointer())
    helper = type.addrSpace() == ast::AddrSpace::User ? Helper::ProbeReadUser
                                                      : Helper::ProbeReadKernel;
  mb_.callHelper(helper, mb_.i64(), {dst, b_.CreateTrunc(n, b_.getInt32Ty()),
                                     b_.CreateIntToPtr(addr, mb_.ptr())});
}

void ProgramEmitter::emitBytesOf(ast::Expr *expr, llvm::Value *dst, uint32_t n) {
  if (n == 0)
    return;
  if (isCallOf(expr, ast::FuncId::Pton)) {
    std::string bytes = ptonBytes(ast::cast<ast::Call>(expr));
    for (uint32_t i = 0; i < n; ++i)
      b_.CreateStore(b_.getInt8(i < bytes.size() ? static_cast<uint8_t>(bytes[i]) : 0),
                     offsetPtr(dst, i));
    return;
  }
  if (auto *lit = ast::dyn_cast<ast::StringLit>(expr)) { // NUL-padded, as in C
    uint32_t k = std::min<uint32_t>(n, lit->value.size());
    for (uint32_t i = 0; i < k; ++i)
      b_.CreateStore(b_.getInt8(static_cast<uint8_t>(lit->value[i])), offsetPtr(dst, i));
    zero(offsetPtr(dst, k), n - k, 1); // `dst` may be anywhere in a key or record
    return;
  }
  if (auto *access = ast::dyn_cast<ast::FieldAccess>(expr)) {
    // An array field: copied from the tracepoint record or from kernel/user memory.
    if (isArgsField(access)) {
      const ast::Field *field = spec_.args->find(access->field);
      mb_.callHelper(Helper::ProbeReadKernel, mb_.i64(),
                     {dst, b_.getInt32(n), offsetPtr(args_base_, field->offset)});
      return;
    }
    if (typeOf(access).isArray()) {
      ast::AddrSpace space = ast::AddrSpace::Kernel;
      llvm::Value *addr = emitMemberAddress(access, space);
      Helper helper =
          space == ast::AddrSpace::User ? Helper::ProbeReadUser : Helper::ProbeReadKernel;
      mb_.callHelper(helper, mb_.i64(), {dst, b_.getInt32(n), b_.CreateIntToPtr(addr, mb_.ptr())});
      return;
    }
  }
  copy(dst, emitBuffer(expr), n); // a string or array value in our own memory
}

// buf(data[, length]): {u32 length, bytes}. A length that is not a literal is clamped
// to [0, capacity] in the program, which also bounds the read for the verifier.
void ProgramEmitter::emitBufInto(ast::Call *call, llvm::Value *dst, uint32_t capacity) {
  ast::Expr *data = call->args[0];
  const ast::Type &data_type = typeOf(data);
  llvm::Value *bytes = offsetPtr(dst, 4);
  llvm::Value *length = mb_.constI64(capacity);
  if (call->args.size() == 2 && !ast::isa<ast::IntegerLit>(call->args[1])) {
    llvm::Value *asked = emitScalar(call->args[1]);
    llvm::Value *cap = mb_.constI64(capacity);
    length = b_.CreateSelect(b_.CreateICmpSLT(asked, mb_.constI64(0)), mb_.constI64(0),
                             b_.CreateSelect(b_.CreateICmpUGT(asked, cap), cap, asked));
  }
  if (data_type.isPointer() || data_type.isInt()) {
    if (!llvm::isa<llvm::Constant>(length))
      zero(bytes, capacity, 4); // the bytes past a shorter read stay zero in map keys
    readAddressInto(bytes, length, emitScalar(data), data_type);
  } else {
    emitBytesOf(data, bytes, capacity);
  }
  b_.CreateStore(b_.CreateTrunc(length, b_.getInt32Ty()), dst);
}

// ntop([af,] addr): {u64 family, 16 bytes}. Without `af`, an integer or 4 bytes are
// AF_INET, 16 bytes AF_INET6.
void ProgramEmitter::emitNtopInto(ast::Call *call, llvm::Value *dst) {
  ast::Expr *addr = call->args.back();
  const ast::Type &addr_type = typeOf(addr);
  uint32_t bytes = 4;
  if (!addr_type.isInt())
    bytes = addr_type.isPointer() ? (addr_type.pointee().isPointer() ? 8 : addr_type.pointee().size())
                                  : addr_type.size();
  llvm::Value *family = call->args.size() == 2
                            ? emitScalar(call->args[0])
                            : mb_.constI64(bytes == 16 ? AF_INET6 : AF_INET);
  b_.CreateStore(family, dst);
  llvm::Value *out = offsetPtr(dst, 8);
  b_.CreateMemSet(out, b_.getInt8(0), 16, llvm::MaybeAlign(8));
  if (addr_type.isInt()) // the address as it lies in memory: network byte order
    b_.CreateStore(b_.CreateTrunc(emitScalar(addr), b_.getInt32Ty()), out);
  else if (addr_type.isPointer())
    readAddressInto(out, mb_.constI64(bytes), emitScalar(addr), addr_type);
  else
    emitBytesOf(addr, out, bytes);
}

// macaddr(mac): 6 bytes of an array or string, or read through a pointer or address.
void ProgramEmitter::emitMacaddrInto(ast::Call *call, llvm::Value *dst) {
  ast::Expr *mac = call->args[0];
  const ast::Type &type = typeOf(mac);
  if (type.isPointer() || type.isInt())
    readAddressInto(dst, mb_.constI64(6), emitScalar(mac), type);
  else
    emitBytesOf(mac, dst, 6);
}

void ProgramEmitter::emitBytesInto(ast::Expr *expr, llvm::Value *dst, const ast::Type &type) {
  if (auto *call = ast::dyn_cast<ast::Call>(expr)) {
    if (call->id == ast::FuncId::Buf) {
      emitBufInto(call, dst, type.count_of());
      return;
    }
    if (call->id == ast::FuncId::Ntop) {
      emitNtopInto(call, dst);
      return;
    }
    if (call->id == ast::FuncId::Macaddr) {
      emitMacaddrInto(call, dst);
      return;
    }
  }
  if (auto *map = ast::dyn_cast<ast::MapAccess>(expr)) {
    llvm::Value *value = lookup(map, emitKey(map));
    auto *found = newBlock("bytes_found");
    auto *missing = newBlock("bytes_missing");
    auto *done = newBlock("bytes_done");
    b_.CreateCondBr(b_.CreateIsNull(value), missing, found);
    b_.SetInsertPoint(found);
    copy(dst, value, type.size());
    b_.CreateBr(done);
    b_.SetInsertPoint(missing);
    b_.CreateMemSet(dst, b_.getInt8(0), type.size(), llvm::MaybeAlign(1));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    return;
  }
  if (auto *ternary = ast::dyn_cast<ast::Ternary>(expr)) {
    llvm::Value *cond = toBool(emitScalar(ternary->cond));
    auto *then_block = newBlock("bytes_then");
    auto *else_block = newBlock("bytes_else");
    auto *done = newBlock("bytes_done");
    b_.CreateCondBr(cond, then_block, else_block);
    b_.SetInsertPoint(then_block);
    emitBytesInto(ternary->then_expr, dst, type);
    b_.CreateBr(done);
    b_.SetInsertPoint(else_block);
    emitBytesInto(ternary->else_expr, dst, type);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    return;
  }
  copy(dst, emitBuffer(expr), type.size()); // a variable, a tuple element
}

} // namespace scry::codegen
