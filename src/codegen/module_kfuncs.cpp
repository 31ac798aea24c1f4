// Kfuncs and typed ksyms: extern declarations the BPF backend describes in BTF and
// libbpf 1.1 resolves against vmlinux BTF when the object loads. See module_builder.h.
//
// A function declared in section .ksyms with a DISubprogram that is not a definition
// becomes a BTF FUNC with extern linkage in DATASEC .ksyms; a call to it is emitted as a
// call to an undefined symbol, which libbpf rewrites into BPF_PSEUDO_KFUNC_CALL with
// the kernel's BTF id. A global variable declared (no initialiser) in .ksyms with debug
// info becomes an extern BTF VAR, and its address an ld_imm64 libbpf rewrites into
// BPF_PSEUDO_BTF_ID. libbpf checks our prototype or variable type against the kernel's
// by kind (bpf_core_types_are_compat): a forward declaration does not match a struct,
// so pointed-to structs are declared as (empty) structs, never as forward declarations.
#include "codegen/module_builder.h"

namespace scry::codegen {

namespace {

constexpr const char *kKsymsSection = ".ksyms";

} // namespace

llvm::Function *ModuleBuilder::kfunc(Kfunc id) {
  const char *name = nullptr;
  switch (id) {
  case Kfunc::TaskFromPid:
    name = "bpf_task_from_pid";
    break;
  case Kfunc::TaskRelease:
    name = "bpf_task_release";
    break;
  }
  if (llvm::Function *fn = module_->getFunction(name))
    return fn;
  auto *task = di_.createStructType(file_, "task_struct", file_, 0, 0, 0, llvm::DINode::FlagZero,
                                    nullptr, di_.getOrCreateArray({}));
  auto *task_ptr = di_.createPointerType(task, 64);
  llvm::FunctionType *type = nullptr;
  llvm::DISubroutineType *di_type = nullptr;
  switch (id) {
  case Kfunc::TaskFromPid:
    type = llvm::FunctionType::get(builder_.getPtrTy(), {builder_.getInt32Ty()}, false);
    di_type = di_.createSubroutineType(di_.getOrCreateTypeArray({task_ptr, di_int_}));
    break;
  case Kfunc::TaskRelease:
    type = llvm::FunctionType::get(builder_.getVoidTy(), {builder_.getPtrTy()}, false);
    di_type = di_.createSubroutineType(di_.getOrCreateTypeArray({nullptr, task_ptr}));
    break;
  }
  auto *fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, name, *module_);
  fn->setSection(kKsymsSection);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  // A declaration's subprogram (no SPFlagDefinition): BTF FUNC with extern linkage.
  fn->setSubprogram(di_.createFunction(file_, name, name, file_, 0, di_type, 0,
                                       llvm::DINode::FlagPrototyped,
                                       llvm::DISubprogram::SPFlagZero));
  return fn;
}

llvm::GlobalVariable *ModuleBuilder::ksym(const std::string &name, const std::string &shape) {
  if (llvm::GlobalVariable *gv = module_->getGlobalVariable(name))
    return gv;
  std::string_view rest = shape;
  llvm::DIType *type = shapeType(rest);
  // The IR type only matters for the address; one byte keeps loads honest.
  auto *gv = new llvm::GlobalVariable(*module_, builder_.getInt8Ty(), false,
                                      llvm::GlobalValue::ExternalLinkage, nullptr, name);
  gv->setSection(kKsymsSection);
  gv->addDebugInfo(di_.createGlobalVariableExpression(cu_, name, "", file_, 0, type, false));
  return gv;
}

llvm::DIType *ModuleBuilder::shapeType(std::string_view &shape) {
  if (shape.empty())
    return nullptr;
  char kind = shape.front();
  shape.remove_prefix(1);
  switch (kind) {
  case 's':
    return di_.createStructType(file_, "", file_, 0, 0, 0, llvm::DINode::FlagZero, nullptr,
                                di_.getOrCreateArray({}));
  case 'u':
    return di_.createUnionType(file_, "", file_, 0, 0, 0, llvm::DINode::FlagZero,
                               di_.getOrCreateArray({}));
  case 'e':
    return di_.createEnumerationType(file_, "", file_, 0, 32, 32, di_.getOrCreateArray({}),
                                     di_int_);
  case 'i':
    return di_.createBasicType("long", 64, llvm::dwarf::DW_ATE_signed);
  case 'p':
    return di_.createPointerType(shapeType(shape), 64);
  case 'a': {
    llvm::DIType *element = shapeType(shape);
    llvm::DISubrange *range = di_.getOrCreateSubrange(0, 1);
    return di_.createArrayType(0, 0, element, di_.getOrCreateArray({range}));
  }
  default: // 'v', and shapes btf/kernel_vars.cpp never makes
    return nullptr;
  }
}

} // namespace scry::codegen
