// Emission of scalar expressions: every integer, bool and pointer is an i64 value,
// sign- or zero-extended from its nominal width.
#include "codegen/program_emitter.h"

namespace scry::codegen {

llvm::Value *ProgramEmitter::toBool(llvm::Value *v) {
  return b_.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
}

llvm::Value *ProgramEmitter::emitScalar(ast::Expr *expr) {
  switch (expr->kind()) {
  case ast::NodeKind::IntegerLit: {
    auto *literal = ast::cast<ast::IntegerLit>(expr);
    if (llvm::Value *slot = emitLiteralSlot(literal)) // a probe class's (body_classes.h)
      return slot;
    return mb_.constI64(literal->value);
  }
  case ast::NodeKind::Builtin:
    return emitBuiltinScalar(ast::cast<ast::Builtin>(expr));
  case ast::NodeKind::Variable: {
    Var *var = findVar(ast::cast<ast::Variable>(expr)->name);
    if (var && var->storage)
      return b_.CreateLoad(mb_.i64(), var->storage);
    return mb_.constI64(0); // sema guarantees assignment first
  }
  case ast::NodeKind::PositionalParam: {
    auto *param = ast::cast<ast::PositionalParam>(expr);
    const auto &params = s_.analysis.params;
    if (param->index == 0)
      return mb_.constI64(params.size());
    if (param->index > params.size())
      return mb_.constI64(0);
    return mb_.constI64(std::stoll(params[param->index - 1]));
  }
  case ast::NodeKind::Cast:
    return emitCast(ast::cast<ast::Cast>(expr));
  case ast::NodeKind::Sizeof:
  case ast::NodeKind::Offsetof:
    return mb_.constI64(s_.analysis.constants.at(expr->id()));
  case ast::NodeKind::BlockExpr:
    return emitBlockExprScalar(ast::cast<ast::BlockExpr>(expr)); // emit_lang.cpp
  case ast::NodeKind::Index:
    return emitIndex(ast::cast<ast::Index>(expr));
  case ast::NodeKind::TupleIndex: {
    llvm::Value *buffer = emitBuffer(expr);
    return loadScalar(buffer, typeOf(expr));
  }
  case ast::NodeKind::MapAccess:
    return emitMapReadScalar(ast::cast<ast::MapAccess>(expr));
  case ast::NodeKind::Binary:
    return emitBinary(ast::cast<ast::Binary>(expr));
  case ast::NodeKind::Unary:
    return emitUnary(ast::cast<ast::Unary>(expr));
  case ast::NodeKind::Ternary:
    return emitTernaryScalar(ast::cast<ast::Ternary>(expr));
  case ast::NodeKind::FieldAccess: {
    auto *access = ast::cast<ast::FieldAccess>(expr);
    if (auto *b = ast::dyn_cast<ast::Builtin>(access->base); b && b->id == ast::BuiltinId::Config)
      return emitConfigField(access); // emit_ctfuncs.cpp
    if (typeOf(access->base).isTuple()) // a record's field (issue 3)
      return loadScalar(emitBuffer(access), typeOf(access));
    return isArgsField(access) ? emitFieldScalar(access) : emitMemberScalar(access);
  }
  case ast::NodeKind::Tuple:
  case ast::NodeKind::VarDecl:
  case ast::NodeKind::While:
  case ast::NodeKind::Unroll:
  case ast::NodeKind::ForRange:
  case ast::NodeKind::Jump:
  case ast::NodeKind::Call: {
    auto *call = ast::cast<ast::Call>(expr);
    if (call->id == ast::FuncId::Len || call->id == ast::FuncId::HasKey ||
        call->id == ast::FuncId::Delete)
      return emitMapFuncScalar(call); // emit_map_funcs.cpp
    if (call->id == ast::FuncId::Nsecs || call->id == ast::FuncId::Strftime ||
        call->id == ast::FuncId::Cgroupid || call->id == ast::FuncId::CgroupPath)
      return emitSysValue(call); // emit_sys.cpp
    if (call->id == ast::FuncId::Kaddr || call->id == ast::FuncId::Uaddr)
      return emitAddressScalar(call); // emit_stacks.cpp
    if (call->id == ast::FuncId::Strncmp || call->id == ast::FuncId::Strcontains ||
        call->id == ast::FuncId::Strstr || call->id == ast::FuncId::Strlen ||
        call->id == ast::FuncId::Bswap || call->id == ast::FuncId::Kptr ||
        call->id == ast::FuncId::Uptr)
      return emitStringFunction(call); // emit_strings.cpp
    if (call->id == ast::FuncId::Find)
      return emitFind(call); // emit_memfuncs.cpp
    if (call->id == ast::FuncId::SocketCookie)
      return emitSocketCookie(call); // emit_memfuncs.cpp
    if (call->id == ast::FuncId::Skboutput)
      return emitSkboutput(call); // emit_skboutput.cpp
    if (call->id == ast::FuncId::Reg)
      return emitReg(call); // emit_context.cpp
    if (call->id == ast::FuncId::PercpuKaddr)
      return emitPercpuKaddr(call); // emit_kfuncs.cpp
    if (call->id == ast::FuncId::Pid || call->id == ast::FuncId::Tid ||
        call->id == ast::FuncId::ContainerOf || sema::isTypePredicate(call->id))
      return emitCompileTimeCall(call); // emit_ctfuncs.cpp
    if (call->id == ast::FuncId::Strcap || call->id == ast::FuncId::Memcmp)
      return emitMoreFuncValue(call); // emit_morefuncs.cpp
    if (call->id == ast::FuncId::KfuncExist || // known at compile time (checker_task.cpp)
        call->id == ast::FuncId::KfuncAllowed ||
        call->id == ast::FuncId::Getopt)       // checker_getopt.cpp
      return mb_.constI64(s_.analysis.constants.at(call->Node::id()));
    break;
  }
  case ast::NodeKind::StringLit:
  case ast::NodeKind::ExprStmt:
  case ast::NodeKind::AssignVar:
  case ast::NodeKind::AssignMap:
  case ast::NodeKind::If:
  case ast::NodeKind::Return:
  case ast::NodeKind::Block:
  case ast::NodeKind::AttachPoint:
  case ast::NodeKind::Probe:
  case ast::NodeKind::ConfigItem:
  case ast::NodeKind::Program:
  case ast::NodeKind::ForMap:
  case ast::NodeKind::StructDef:
  case ast::NodeKind::MacroDef:
  case ast::NodeKind::MapDecl:
    break;
  }
  return mb_.constI64(0); // no scalar call exists in this slice
}

llvm::Value *ProgramEmitter::emitBuiltinScalar(ast::Builtin *builtin) {
  auto helper = [&](Helper id) { return mb_.callHelper(id, mb_.i64(), {}); };
  switch (builtin->id) {
  case ast::BuiltinId::Pid: // seen from scry's PID namespace (emit_ctfuncs.cpp)
    return emitPidTid(false, false);
  case ast::BuiltinId::Tid:
    return emitPidTid(true, false);
  case ast::BuiltinId::Uid:
    return b_.CreateAnd(helper(Helper::GetCurrentUidGid), 0xffffffffULL);
  case ast::BuiltinId::Gid:
    return b_.CreateLShr(helper(Helper::GetCurrentUidGid), 32);
  case ast::BuiltinId::Nsecs:
    return helper(Helper::KtimeGetBootNs);
  case ast::BuiltinId::Cpu:
    return b_.CreateAnd(helper(Helper::GetSmpProcessorId), 0xffffffffULL);
  case ast::BuiltinId::Curtask:
    return helper(Helper::GetCurrentTask);
  case ast::BuiltinId::Rand:
    return b_.CreateAnd(helper(Helper::GetPrandomU32), 0xffffffffULL);
  case ast::BuiltinId::Jiffies:
    return helper(Helper::Jiffies64);
  case ast::BuiltinId::Numaid:
    return b_.CreateAnd(helper(Helper::GetNumaNodeId), 0xffffffffULL);
  case ast::BuiltinId::Cgroup:
    return helper(Helper::GetCurrentCgroupId);
  case ast::BuiltinId::Ncpus:
    return mb_.constI64(s_.possible_cpus);
  case ast::BuiltinId::True:
    return mb_.constI64(1);
  case ast::BuiltinId::False:
    return mb_.constI64(0);
  case ast::BuiltinId::ArgN:
  case ast::BuiltinId::Retval:
  case ast::BuiltinId::Ctx:
    return emitContextScalar(builtin); // emit_context.cpp
  case ast::BuiltinId::Elapsed:
  case ast::BuiltinId::Username:
  case ast::BuiltinId::Usermode:
  case ast::BuiltinId::SargN:
  case ast::BuiltinId::Ppid:
    return emitSysBuiltin(builtin); // emit_sys.cpp
  case ast::BuiltinId::Cpid:
  case ast::BuiltinId::HasCpid:
  case ast::BuiltinId::LeaderTid:
    return emitTaskBuiltin(builtin); // emit_task.cpp
  case ast::BuiltinId::Probetype: // strings (emit_task.cpp: emitTaskStringInto)
  case ast::BuiltinId::Pcomm:
  case ast::BuiltinId::LeaderComm:
  case ast::BuiltinId::Comm:
  case ast::BuiltinId::Probe:
  case ast::BuiltinId::Func:
  case ast::BuiltinId::Args:
  case ast::BuiltinId::Kstack: // stacks are values in memory (emit_stacks.cpp)
  case ast::BuiltinId::Ustack:
  case ast::BuiltinId::DwUstack:
  case ast::BuiltinId::Config: // read as config.KEY only (emit_ctfuncs.cpp)
  case ast::BuiltinId::Unknown:
    break;
  }
  return mb_.constI64(0);
}

llvm::Value *ProgramEmitter::emitSignedDivRem(bool rem, llvm::Value *l, llvm::Value *r) {
  // BPF CPU v3 has only unsigned division: divide magnitudes, then fix the sign
  // (quotient negative when signs differ; remainder takes the dividend's sign).
  llvm::Value *zero = mb_.constI64(0);
  llvm::Value *l_neg = b_.CreateICmpSLT(l, zero);
  llvm::Value *r_neg = b_.CreateICmpSLT(r, zero);
  llvm::Value *l_abs = b_.CreateSelect(l_neg, b_.CreateNeg(l), l);
  llvm::Value *r_abs = b_.CreateSelect(r_neg, b_.CreateNeg(r), r);
  llvm::Value *q = rem ? b_.CreateURem(l_abs, r_abs) : b_.CreateUDiv(l_abs, r_abs);
  llvm::Value *negate = rem ? l_neg : b_.CreateXor(l_neg, r_neg);
  return b_.CreateSelect(negate, b_.CreateNeg(q), q);
}

llvm::Value *ProgramEmitter::emitBinary(ast::Binary *binary) {
  if (binary->op == ast::BinaryOp::LogicalAnd || binary->op == ast::BinaryOp::LogicalOr)
    return emitLogical(binary);
  const ast::Type &lt = typeOf(binary->lhs);
  if (lt.isArray()) {
    llvm::Value *eq = emitArrayEqual(binary->lhs, binary->rhs); // emit_arrays.cpp
    if (binary->op == ast::BinaryOp::Ne)
      eq = b_.CreateNot(eq);
    return b_.CreateZExt(eq, mb_.i64());
  }
  if (lt.isString()) {
    llvm::Value *eq = emitStringCompare(binary->lhs, binary->rhs);
    if (binary->op == ast::BinaryOp::Ne)
      eq = b_.CreateNot(eq);
    return b_.CreateZExt(eq, mb_.i64());
  }
  llvm::Value *l = emitScalar(binary->lhs);
  llvm::Value *r = emitScalar(binary->rhs);
  bool is_signed = typeOf(binary).isInt() && typeOf(binary).isSigned();
  switch (binary->op) {
  case ast::BinaryOp::Add:
  case ast::BinaryOp::Sub: {
    // Pointer arithmetic counts in pointees: `p + 1` is the next element.
    if (lt.isPointer() && lt.pointee().size() > 1)
      r = b_.CreateMul(r, mb_.constI64(lt.pointee().size()));
    const ast::Type &rt = typeOf(binary->rhs);
    if (rt.isPointer() && !lt.isPointer() && rt.pointee().size() > 1)
      l = b_.CreateMul(l, mb_.constI64(rt.pointee().size()));
    return binary->op == ast::BinaryOp::Add ? b_.CreateAdd(l, r) : b_.CreateSub(l, r);
  }
  case ast::BinaryOp::Mul:
    return b_.CreateMul(l, r);
  case ast::BinaryOp::Div:
  case ast::BinaryOp::Mod: {
    // BPF's definition, kept through LLVM (for which a zero divisor is undefined):
    // x / 0 is 0 and x % 0 is x.
    bool rem = binary->op == ast::BinaryOp::Mod;
    llvm::Value *is_zero = b_.CreateICmpEQ(r, mb_.constI64(0));
    llvm::Value *divisor = b_.CreateSelect(is_zero, mb_.constI64(1), r);
    llvm::Value *q = is_signed ? emitSignedDivRem(rem, l, divisor)
                     : rem     ? b_.CreateURem(l, divisor)
                               : b_.CreateUDiv(l, divisor);
    return b_.CreateSelect(is_zero, rem ? l : mb_.constI64(0), q);
  }
  case ast::BinaryOp::BitAnd:
    return b_.CreateAnd(l, r);
  case ast::BinaryOp::BitOr:
    return b_.CreateOr(l, r);
  case ast::BinaryOp::BitXor:
    return b_.CreateXor(l, r);
  case ast::BinaryOp::Shl:
    return b_.CreateShl(l, r);
  case ast::BinaryOp::Shr:
    return is_signed ? b_.CreateAShr(l, r) : b_.CreateLShr(l, r);
  case ast::BinaryOp::Eq:
  case ast::BinaryOp::Ne:
  case ast::BinaryOp::Lt:
  case ast::BinaryOp::Le:
  case ast::BinaryOp::Gt:
  case ast::BinaryOp::Ge:
    return emitCompare(binary, l, r);
  case ast::BinaryOp::LogicalAnd:
  case ast::BinaryOp::LogicalOr:
    break;
  }
  return mb_.constI64(0);
}

llvm::Value *ProgramEmitter::emitCompare(ast::Binary *binary, llvm::Value *l, llvm::Value *r) {
  auto unsigned64 = [](const ast::Type &t) {
    return (t.isInt() && !t.isSigned() && t.bits() == 64) || t.isPointer();
  };
  bool is_signed = !unsigned64(typeOf(binary->lhs)) && !unsigned64(typeOf(binary->rhs));
  llvm::CmpInst::Predicate p = llvm::CmpInst::ICMP_EQ;
  switch (binary->op) {
  case ast::BinaryOp::Eq: p = llvm::CmpInst::ICMP_EQ; break;
  case ast::BinaryOp::Ne: p = llvm::CmpInst::ICMP_NE; break;
  case ast::BinaryOp::Lt: p = is_signed ? llvm::CmpInst::ICMP_SLT : llvm::CmpInst::ICMP_ULT; break;
  case ast::BinaryOp::Le: p = is_signed ? llvm::CmpInst::ICMP_SLE : llvm::CmpInst::ICMP_ULE; break;
  case ast::BinaryOp::Gt: p = is_signed ? llvm::CmpInst::ICMP_SGT : llvm::CmpInst::ICMP_UGT; break;
  case ast::BinaryOp::Ge: p = is_signed ? llvm::CmpInst::ICMP_SGE : llvm::CmpInst::ICMP_UGE; break;
  default: break;
  }
  return b_.CreateZExt(b_.CreateICmp(p, l, r), mb_.i64());
}

llvm::Value *ProgramEmitter::emitLogical(ast::Binary *binary) {
  bool is_and = binary->op == ast::BinaryOp::LogicalAnd;
  llvm::Value *l = toBool(emitScalar(binary->lhs));
  llvm::BasicBlock *lhs_end = b_.GetInsertBlock();
  auto *rhs_block = newBlock(is_and ? "and_rhs" : "or_rhs");
  auto *done = newBlock(is_and ? "and_done" : "or_done");
  if (is_and)
    b_.CreateCondBr(l, rhs_block, done);
  else
    b_.CreateCondBr(l, done, rhs_block);
  b_.SetInsertPoint(rhs_block);
  llvm::Value *r = toBool(emitScalar(binary->rhs));
  llvm::BasicBlock *rhs_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(b_.getInt1Ty(), 2);
  phi->addIncoming(b_.getInt1(!is_and), lhs_end);
  phi->addIncoming(r, rhs_end);
  return b_.CreateZExt(phi, mb_.i64());
}

llvm::Value *ProgramEmitter::emitUnary(ast::Unary *unary) {
  if (unary->op == ast::UnaryOp::Deref)
    return emitDeref(unary);
  if (unary->op == ast::UnaryOp::AddrOf)
    return emitAddrOf(unary); // emit_lang.cpp
  llvm::Value *v = emitScalar(unary->operand);
  switch (unary->op) {
  case ast::UnaryOp::LogicalNot:
    return b_.CreateZExt(b_.CreateNot(toBool(v)), mb_.i64());
  case ast::UnaryOp::Neg:
    return b_.CreateNeg(v);
  case ast::UnaryOp::BitNot:
    return b_.CreateNot(v);
  case ast::UnaryOp::Deref:
  case ast::UnaryOp::AddrOf:
    break;
  }
  return v;
}

llvm::Value *ProgramEmitter::emitTernaryScalar(ast::Ternary *ternary) {
  if (!ternary->then_expr)
    return emitElvis(ternary); // emit_lang.cpp
  llvm::Value *cond = toBool(emitScalar(ternary->cond));
  auto *then_block = newBlock("tern_then");
  auto *else_block = newBlock("tern_else");
  auto *done = newBlock("tern_done");
  b_.CreateCondBr(cond, then_block, else_block);
  b_.SetInsertPoint(then_block);
  llvm::Value *a = emitScalar(ternary->then_expr);
  llvm::BasicBlock *a_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(else_block);
  llvm::Value *c = emitScalar(ternary->else_expr);
  llvm::BasicBlock *c_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(mb_.i64(), 2);
  phi->addIncoming(a, a_end);
  phi->addIncoming(c, c_end);
  return phi;
}

llvm::Value *ProgramEmitter::emitFieldScalar(ast::FieldAccess *access) {
  // Tracepoint context: direct, aligned loads from the record are allowed.
  const ast::Field *field = spec_.args->find(access->field);
  if (!field)
    return mb_.constI64(0);
  return loadScalar(offsetPtr(args_base_, field->offset), field->type);
}

} // namespace scry::codegen
