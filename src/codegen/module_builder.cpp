// The LLVM module being built and its emission as a BPF object.
#include "codegen/module_builder.h"

#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <mutex>
#include <ostream>

extern "C" {
void LLVMInitializeBPFTargetInfo();
void LLVMInitializeBPFTarget();
void LLVMInitializeBPFTargetMC();
void LLVMInitializeBPFAsmPrinter();
}

namespace scry::codegen {

namespace {

constexpr const char *kTriple = "bpfel-unknown-none";

std::unique_ptr<llvm::TargetMachine> makeTargetMachine() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
    // SimplifyCFG would sink the byte stores of both arms of `c ? "lit1" : "lit2"` into
    // one store of a phi each: dozens of live values, spilled past BPF's 512-byte stack
    // ("BPF stack limit is exceeded"; found by tests/fuzz). LLVM 19's flag.
    const char *args[] = {"scry", "-simplifycfg-sink-common=false"};
    llvm::cl::ParseCommandLineOptions(2, args, "", &llvm::nulls());
  });
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(kTriple, error);
  if (!target)
    return nullptr;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      kTriple, "v3", "", llvm::TargetOptions(), std::nullopt, std::nullopt,
      llvm::CodeGenOptLevel::Default));
}

} // namespace

ModuleBuilder::ModuleBuilder(const diag::SourceFile &source)
    : source_(source), module_(std::make_unique<llvm::Module>("scry", ctx_)), builder_(ctx_),
      di_(*module_) {
  target_ = makeTargetMachine();
  // LLVM's default handler exits the process on a backend error; collect it instead.
  ctx_.setDiagnosticHandlerCallBack(
      [](const llvm::DiagnosticInfo *info, void *context) {
        if (info->getSeverity() != llvm::DS_Error)
          return;
        std::string text;
        llvm::raw_string_ostream os(text);
        llvm::DiagnosticPrinterRawOStream printer(os);
        info->print(printer);
        auto *errors = static_cast<std::string *>(context);
        *errors += (errors->empty() ? "" : "; ") + os.str();
      },
      &backend_errors_);
  module_->setTargetTriple(kTriple);
  if (target_)
    module_->setDataLayout(target_->createDataLayout());
  module_->addModuleFlag(llvm::Module::Warning, "Debug Info Version",
                         llvm::DEBUG_METADATA_VERSION);
  module_->addModuleFlag(llvm::Module::Warning, "Dwarf Version", 4);
  // The script's text rides along in the DIFile, so BTF line info carries each line.
  file_ = di_.createFile(source.name(), ".", std::nullopt, llvm::StringRef(source.text()));
  cu_ = di_.createCompileUnit(llvm::dwarf::DW_LANG_C, file_, "scry", true, "", 0);
  di_int_ = di_.createBasicType("int", 32, llvm::dwarf::DW_ATE_signed);

  auto *license = new llvm::GlobalVariable(
      *module_, llvm::ArrayType::get(builder_.getInt8Ty(), 4), true,
      llvm::GlobalValue::ExternalLinkage, llvm::ConstantDataArray::getString(ctx_, "GPL"),
      "LICENSE");
  license->setSection("license");
}

ModuleBuilder::~ModuleBuilder() = default;

llvm::GlobalVariable *ModuleBuilder::declareMap(const std::string &name, int members) {
  std::vector<llvm::Type *> fields(members, builder_.getPtrTy());
  auto *type = llvm::StructType::get(ctx_, fields);
  auto *gv = new llvm::GlobalVariable(*module_, type, false, llvm::GlobalValue::ExternalLinkage,
                                      llvm::ConstantAggregateZero::get(type), name);
  gv->setSection(".maps");
  gv->setAlignment(llvm::Align(8));
  return gv;
}

void ModuleBuilder::finishMap(llvm::GlobalVariable *map, const MapDef &def) {
  // libbpf reads `int (*name)[value]` members: the value is the array's length.
  std::vector<llvm::Metadata *> members;
  auto member = [&](const char *name, uint64_t value) {
    llvm::DISubrange *range = di_.getOrCreateSubrange(0, static_cast<int64_t>(value));
    auto *array = di_.createArrayType(value * 32, 32, di_int_, di_.getOrCreateArray({range}));
    auto *pointer = di_.createPointerType(array, 64);
    members.push_back(di_.createMemberType(file_, name, file_, 0, 64, 0, members.size() * 64,
                                           llvm::DINode::FlagZero, pointer));
  };
  member("type", static_cast<uint64_t>(def.type));
  member("max_entries", def.max_entries);
  if (def.key_size) {
    member("key_size", def.key_size);
    member("value_size", def.value_size);
  }
  if (def.flags)
    member("map_flags", def.flags);
  auto *type = di_.createStructType(file_, "", file_, 0, members.size() * 64, 0,
                                    llvm::DINode::FlagZero, nullptr,
                                    di_.getOrCreateArray(members));
  auto *expr = di_.createGlobalVariableExpression(cu_, map->getName(), "", file_, 0, type, false);
  map->addDebugInfo(expr);
}

llvm::Function *ModuleBuilder::beginProgram(const std::string &name, const std::string &section,
                                            diag::SourceRange where) {
  auto *type = llvm::FunctionType::get(builder_.getInt32Ty(), {builder_.getPtrTy()}, false);
  auto *fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, name, *module_);
  fn->setSection(section);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->getArg(0)->setName("ctx");

  unsigned line = source_.lineCol(where.begin).line;
  auto *void_ptr = di_.createPointerType(nullptr, 64);
  auto *di_type = di_.createSubroutineType(di_.getOrCreateTypeArray({di_int_, void_ptr}));
  subprogram_ = di_.createFunction(file_, name, name, file_, line, di_type, line,
                                   llvm::DINode::FlagPrototyped,
                                   llvm::DISubprogram::SPFlagDefinition);
  fn->setSubprogram(subprogram_);
  // BTF needs every argument named; preserved parameters give the names.
  di_.createParameterVariable(subprogram_, "ctx", 1, file_, line, void_ptr, true);

  builder_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
  setLocation(where);
  return fn;
}

llvm::Function *ModuleBuilder::makeVisitAllCallback(const std::string &name) {
  llvm::IRBuilderBase::InsertPointGuard guard(builder_);
  llvm::DebugLoc saved_loc = builder_.getCurrentDebugLocation();
  auto *ptr = builder_.getPtrTy();
  auto *type = llvm::FunctionType::get(builder_.getInt64Ty(), {ptr, ptr, ptr, ptr}, false);
  auto *fn = llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, name, *module_);
  fn->setSection(".text");
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->addFnAttr(llvm::Attribute::NoInline);
  auto *void_ptr = di_.createPointerType(nullptr, 64);
  auto *di_long = di_.createBasicType("long", 64, llvm::dwarf::DW_ATE_signed);
  auto *di_type = di_.createSubroutineType(
      di_.getOrCreateTypeArray({di_long, void_ptr, void_ptr, void_ptr, void_ptr}));
  auto *sp = di_.createFunction(file_, name, name, file_, 1, di_type, 1,
                                llvm::DINode::FlagPrototyped,
                                llvm::DISubprogram::SPFlagDefinition |
                                    llvm::DISubprogram::SPFlagLocalToUnit);
  fn->setSubprogram(sp);
  const char *names[] = {"map", "key", "value", "ctx"};
  for (unsigned i = 0; i < 4; ++i) {
    fn->getArg(i)->setName(names[i]);
    di_.createParameterVariable(sp, names[i], i + 1, file_, 1, void_ptr, true);
  }
  builder_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
  builder_.SetCurrentDebugLocation(llvm::DILocation::get(ctx_, 1, 1, sp));
  builder_.CreateRet(builder_.getInt64(0));
  builder_.SetCurrentDebugLocation(saved_loc);
  return fn;
}

void ModuleBuilder::setLocation(diag::SourceRange where) {
  auto lc = source_.lineCol(where.begin);
  builder_.SetCurrentDebugLocation(
      llvm::DILocation::get(ctx_, lc.line, lc.col, scopeAt(where.begin)));
}

llvm::DIScope *ModuleBuilder::scopeAt(uint32_t offset) {
  size_t index = source_.partIndex(offset);
  if (index == 0 || !subprogram_)
    return subprogram_;
  const diag::SourcePart &part = source_.parts()[index];
  part_files_.resize(source_.parts().size(), nullptr);
  if (!part_files_[index])
    part_files_[index] = di_.createFile(part.name(), ".", std::nullopt, llvm::StringRef(part.text()));
  llvm::DIScope *&scope = part_scopes_[{subprogram_, index}];
  if (!scope)
    scope = di_.createLexicalBlockFile(subprogram_, part_files_[index]);
  return scope;
}

llvm::Value *ModuleBuilder::callHelper(Helper id, llvm::Type *ret,
                                       llvm::ArrayRef<llvm::Value *> args) {
  std::vector<llvm::Type *> types;
  for (auto *a : args)
    types.push_back(a->getType());
  auto *type = llvm::FunctionType::get(ret, types, false);
  auto *callee = llvm::ConstantExpr::getIntToPtr(builder_.getInt64(static_cast<int>(id)),
                                                 builder_.getPtrTy());
  return builder_.CreateCall(type, callee, args);
}

bool ModuleBuilder::emit(std::vector<char> &elf, std::string &error, std::ostream *dump_ir,
                         std::ostream *dump_ir_opt, std::ostream *dump_bpf) {
  if (!target_) {
    error = "LLVM has no BPF target";
    return false;
  }
  di_.finalize();
  auto dumpModule = [&](std::ostream *out) {
    if (!out)
      return;
    std::string text;
    llvm::raw_string_ostream os(text);
    module_->print(os, nullptr);
    *out << os.str();
  };
  dumpModule(dump_ir);
  std::string verify;
  llvm::raw_string_ostream verify_os(verify);
  if (llvm::verifyModule(*module_, &verify_os)) {
    error = "invalid IR: " + verify_os.str();
    return false;
  }

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(target_.get());
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(*module_, mam);
  dumpModule(dump_ir_opt);

  // Code generation changes the module, so the assembly dump works on a copy.
  auto run = [&](llvm::Module &module, llvm::CodeGenFileType kind,
                 llvm::SmallVectorImpl<char> &buffer) {
    llvm::raw_svector_ostream os(buffer);
    llvm::legacy::PassManager pm;
    if (target_->addPassesToEmitFile(pm, os, nullptr, kind)) {
      error = "the BPF backend cannot emit this file type";
      return false;
    }
    pm.run(module);
    return true;
  };
  if (dump_bpf) {
    llvm::SmallVector<char, 0> text;
    auto copy = llvm::CloneModule(*module_);
    if (!run(*copy, llvm::CodeGenFileType::AssemblyFile, text))
      return false;
    dump_bpf->write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  llvm::SmallVector<char, 0> object;
  if (!run(*module_, llvm::CodeGenFileType::ObjectFile, object))
    return false;
  if (!backend_errors_.empty()) {
    error = backend_errors_;
    return false;
  }
  elf.assign(object.begin(), object.end());
  return true;
}

} // namespace scry::codegen
