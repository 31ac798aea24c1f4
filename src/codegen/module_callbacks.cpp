// Callbacks of bpf_for_each_map_elem whose bodies the program emitter writes: the
// body of `for ($kv : @map)` (emit_formap.cpp). Like the programs, they carry a
// DISubprogram, so BTF has their prototype (the verifier requires one for a callback)
// and line info maps their instructions to the script.
#include "codegen/module_builder.h"

namespace scry::codegen {

llvm::Function *ModuleBuilder::beginCallback(const std::string &name, diag::SourceRange where) {
  auto *ptr = builder_.getPtrTy();
  auto *type = llvm::FunctionType::get(builder_.getInt64Ty(), {ptr, ptr, ptr, ptr}, false);
  auto *fn = llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, name, *module_);
  fn->setSection(".text");
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->addFnAttr(llvm::Attribute::NoInline);
  unsigned line = source_.lineCol(where.begin).line;
  auto *void_ptr = di_.createPointerType(nullptr, 64);
  auto *di_long = di_.createBasicType("long", 64, llvm::dwarf::DW_ATE_signed);
  auto *di_type = di_.createSubroutineType(
      di_.getOrCreateTypeArray({di_long, void_ptr, void_ptr, void_ptr, void_ptr}));
  subprogram_ = di_.createFunction(file_, name, name, file_, line, di_type, line,
                                   llvm::DINode::FlagPrototyped,
                                   llvm::DISubprogram::SPFlagDefinition |
                                       llvm::DISubprogram::SPFlagLocalToUnit);
  fn->setSubprogram(subprogram_);
  const char *names[] = {"map", "key", "value", "ctx"};
  for (unsigned i = 0; i < 4; ++i) {
    fn->getArg(i)->setName(names[i]);
    di_.createParameterVariable(subprogram_, names[i], i + 1, file_, line, void_ptr, true);
  }
  builder_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
  setLocation(where);
  return fn;
}

void ModuleBuilder::resumeFunction(llvm::Function *fn) { subprogram_ = fn->getSubprogram(); }

} // namespace scry::codegen
