// The LLVM module being built: context, IRBuilder, DIBuilder (BTF comes from debug
// info), BTF-defined map globals, program functions, helper calls, and emission of
// the finished module as a BPF object. Private to src/codegen.
#pragma once

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "codegen/helpers.h"
#include "diag/source.h"

namespace scry::codegen {

struct MapDef {
  MapType type;
  uint32_t key_size = 0;   // 0 for ring buffers
  uint32_t value_size = 0; // 0 for ring buffers
  uint32_t max_entries = 0;
  uint32_t flags = 0; // map_flags (BPF_F_NO_PREALLOC); the map needs 5 members then
};

// Kernel functions called as kfuncs (module_kfuncs.cpp).
enum class Kfunc {
  TaskFromPid, // struct task_struct *bpf_task_from_pid(s32 pid): acquires, may be NULL
  TaskRelease, // void bpf_task_release(struct task_struct *p)
};

class ModuleBuilder {
public:
  explicit ModuleBuilder(const diag::SourceFile &source);
  ~ModuleBuilder();

  llvm::LLVMContext &ctx() { return ctx_; }
  llvm::Module &module() { return *module_; }
  llvm::IRBuilder<> &b() { return builder_; }

  // A map in the .maps section, described in BTF by key/value sizes. The definition
  // can be set later (finishMap) when a size is only known after the programs.
  llvm::GlobalVariable *declareMap(const std::string &name, int members);
  void finishMap(llvm::GlobalVariable *map, const MapDef &def);

  // `int name(void *ctx)` in `section`, with its DISubprogram; the builder is left at
  // the start of its body. Its argument is the program context.
  llvm::Function *beginProgram(const std::string &name, const std::string &section,
                               diag::SourceRange where);
  void setLocation(diag::SourceRange where);
  // `static long name(void *map, void *key, void *value, void *ctx) { return 0; }` in
  // .text, with its BTF: a bpf_for_each_map_elem callback that visits every element.
  // The builder's insertion point and location are left as they were.
  llvm::Function *makeVisitAllCallback(const std::string &name);
  // `static long name(void *map, void *key, void *value, void *ctx)` in .text with its
  // BTF, for bpf_for_each_map_elem: its body is emitted by the caller from the entry
  // block the builder is left in (module_callbacks.cpp, issue 3). Debug locations refer
  // to it until resumeFunction() names the function being emitted again.
  llvm::Function *beginCallback(const std::string &name, diag::SourceRange where);
  void resumeFunction(llvm::Function *fn);
  // `static long name(u64 index, void *ctx)` in .text with its BTF: a bpf_loop callback
  // (kernel 5.17+) whose body the caller emits from the entry block the builder is left
  // in, like beginCallback's (module_loop_callback.cpp; strstr, emit_strings.cpp).
  llvm::Function *beginLoopCallback(const std::string &name, diag::SourceRange where);

  llvm::Value *callHelper(Helper id, llvm::Type *ret, llvm::ArrayRef<llvm::Value *> args);
  // Kfuncs and typed ksyms (module_kfuncs.cpp): extern declarations in section .ksyms
  // with debug info, so that BTF describes them (a FUNC with extern linkage, a VAR) and
  // libbpf 1.1 resolves them against vmlinux BTF at load. Declared once per module.
  llvm::Function *kfunc(Kfunc id);
  // Kernel variable `name` whose type has `shape` (btf/kernel_vars.h).
  llvm::GlobalVariable *ksym(const std::string &name, const std::string &shape);
  llvm::Type *i64() { return builder_.getInt64Ty(); }
  llvm::Type *ptr() { return builder_.getPtrTy(); }
  llvm::Value *constI64(uint64_t v) { return builder_.getInt64(v); }

  // Finishes debug info, verifies, optimises (O2) and emits the object.
  bool emit(std::vector<char> &elf, std::string &error, std::ostream *dump_ir,
            std::ostream *dump_ir_opt, std::ostream *dump_bpf);

private:
  // The scope for a location at `offset`: the current subprogram, or a lexical block
  // file of it when `offset` is in an imported file.
  llvm::DIScope *scopeAt(uint32_t offset);
  // Debug info of a ksym shape's type; consumes the shape's characters (module_kfuncs.cpp).
  llvm::DIType *shapeType(std::string_view &shape);

  const diag::SourceFile &source_;
  llvm::LLVMContext ctx_;
  std::unique_ptr<llvm::Module> module_;
  llvm::IRBuilder<> builder_;
  llvm::DIBuilder di_;
  llvm::DICompileUnit *cu_ = nullptr;
  llvm::DIFile *file_ = nullptr; // the main script's; programs' subprograms are in it
  // Imported files' DIFiles by SourcePart index (null until used), and the lexical
  // block files that put a location of one of them inside the current subprogram.
  std::vector<llvm::DIFile *> part_files_;
  std::map<std::pair<llvm::DISubprogram *, size_t>, llvm::DIScope *> part_scopes_;
  llvm::DIType *di_int_ = nullptr;
  llvm::DISubprogram *subprogram_ = nullptr;
  std::unique_ptr<llvm::TargetMachine> target_;
  std::string backend_errors_; // errors the BPF backend reported through the context
};

} // namespace scry::codegen
