// bpf_loop callbacks whose bodies the program emitter writes (strstr, emit_strings.cpp).
// The verifier checks a callback's body once for any index, where it would walk a loop
// in the program iteration by iteration; like the programs, a callback carries a
// DISubprogram, so BTF has its prototype (the verifier requires one).
#include "codegen/module_builder.h"

namespace scry::codegen {

llvm::Function *ModuleBuilder::beginLoopCallback(const std::string &name,
                                                 diag::SourceRange where) {
  auto *type = llvm::FunctionType::get(builder_.getInt64Ty(),
                                       {builder_.getInt64Ty(), builder_.getPtrTy()}, false);
  auto *fn = llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, name, *module_);
  fn->setSection(".text");
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->addFnAttr(llvm::Attribute::NoInline);
  unsigned line = source_.lineCol(where.begin).line;
  auto *void_ptr = di_.createPointerType(nullptr, 64);
  auto *di_long = di_.createBasicType("long", 64, llvm::dwarf::DW_ATE_signed);
  auto *di_u64 = di_.createBasicType("u64", 64, llvm::dwarf::DW_ATE_unsigned);
  auto *di_type =
      di_.createSubroutineType(di_.getOrCreateTypeArray({di_long, di_u64, void_ptr}));
  subprogram_ = di_.createFunction(file_, name, name, file_, line, di_type, line,
                                   llvm::DINode::FlagPrototyped,
                                   llvm::DISubprogram::SPFlagDefinition |
                                       llvm::DISubprogram::SPFlagLocalToUnit);
  fn->setSubprogram(subprogram_);
  fn->getArg(0)->setName("index");
  fn->getArg(1)->setName("ctx");
  di_.createParameterVariable(subprogram_, "index", 1, file_, line, di_u64, true);
  di_.createParameterVariable(subprogram_, "ctx", 2, file_, line, void_ptr, true);
  builder_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
  setLocation(where);
  return fn;
}

} // namespace scry::codegen
