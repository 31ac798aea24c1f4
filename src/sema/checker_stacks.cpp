// Type checking of stacks and symbols: the kstack/ustack builtins and functions
// (`kstack([mode,] [limit])`), ksym()/usym(), and kaddr()/uaddr(), whose addresses are
// resolved here, at compile time (kernel: /proc/kallsyms; user: the probed binary).
#include <optional>
#include <set>

#include "btf/elf_file.h"
#include "sema/checker.h"
#include "symbols/elf_symbols.h"

namespace scry::sema {

using ast::ProbeKind;
using ast::Type;
using diag::DiagId;

namespace {

// bpftrace's frame limits: 127 by default (the kernel's perf_event_max_stack), at
// most 1024 (MAX_STACK_SIZE).
constexpr uint32_t kDefaultStackLimit = 127;
constexpr uint32_t kMaxStackLimit = 1024;

bool isUserProbe(ProbeKind kind) {
  return kind == ProbeKind::Uprobe || kind == ProbeKind::Uretprobe || kind == ProbeKind::Usdt;
}

} // namespace

bool parseStackMode(std::string_view name, ast::StackMode &mode) {
  if (name == "bpftrace")
    mode = ast::StackMode::Bpftrace;
  else if (name == "perf")
    mode = ast::StackMode::Perf;
  else if (name == "raw")
    mode = ast::StackMode::Raw;
  else
    return false;
  return true;
}

Type Checker::checkStackBuiltin(ast::Builtin *builtin) {
  bool dwarf = builtin->id == ast::BuiltinId::DwUstack;
  if (dwarf && !allowDwUstack(builtin->range))
    return Type::none();
  bool user = dwarf || builtin->id == ast::BuiltinId::Ustack;
  return Type::stack({user, analysis_.config.stack_mode, kDefaultStackLimit});
}

// dw_ustack is unstable (bpftrace 0.26) and unwinds x86_64 frames only; its unwinder
// reads a few fields of the kernel's VMA, file, inode and super_block structs, whose
// offsets come from the kernel's BTF.
bool Checker::allowDwUstack(diag::SourceRange where) {
#if !defined(__x86_64__)
  diags_.error(DiagId::StackArgument, where, "dw_ustack is only supported on x86_64");
  return false;
#else
  if (!allowUnstable("dw_ustack", analysis_.config.unstable_dw_ustack, dw_ustack_warned_,
                     where, diags_))
    return false;
  DwUnwindOffsets &o = analysis_.dw_unwind;
  if (o.used)
    return true;
  struct Wanted {
    const char *record, *field;
    uint32_t *offset;
  };
  const Wanted wanted[] = {
      {"struct vm_area_struct", "vm_start", &o.vm_start},
      {"struct vm_area_struct", "vm_pgoff", &o.vm_pgoff},
      {"struct vm_area_struct", "vm_file", &o.vm_file},
      {"struct file", "f_inode", &o.f_inode},
      {"struct inode", "i_ino", &o.i_ino},
      {"struct inode", "i_sb", &o.i_sb},
      {"struct super_block", "s_dev", &o.s_dev},
  };
  for (const Wanted &w : wanted) {
    std::string error = "no kernel type information";
    std::shared_ptr<const ast::RecordType> record;
    if (types_)
      record = types_->kernelRecord(w.record, ast::AddrSpace::Kernel, error);
    const ast::Field *field = record ? record->find(w.field) : nullptr;
    if (!field) {
      diags_.error(DiagId::BuiltinNotAvailable, where,
                   std::string("dw_ustack needs ") + w.record + "'s " + w.field +
                       " from the kernel's BTF")
          .hint(record ? "this kernel's " + std::string(w.record) + " has no such field" : error);
      return false;
    }
    *w.offset = field->offset;
  }
  o.used = true;
  return true;
#endif
}

// kstack(), kstack(N), kstack(mode), kstack(mode, N); the mode is a bare word.
Type Checker::checkStackCall(ast::Call *call) {
  bool dwarf = call->id == ast::FuncId::DwUstack;
  if (dwarf && !allowDwUstack(call->range))
    return Type::none();
  ast::StackParams params{dwarf || call->id == ast::FuncId::Ustack, analysis_.config.stack_mode,
                          kDefaultStackLimit};
  bool ok = true;
  for (size_t i = 0; i < call->args.size(); ++i) {
    ast::Expr *arg = call->args[i];
    auto *word = ast::dyn_cast<ast::Builtin>(arg);
    auto *limit = ast::dyn_cast<ast::IntegerLit>(arg);
    if (word && i == 0) {
      if (!parseStackMode(word->name, params.mode)) {
        auto &d = diags_.error(DiagId::StackArgument, arg->range,
                               call->name + "(): unknown stack mode '" + word->name + "'");
        d.hint(word->name == "build_id" ? "scry does not support build_id stacks; use "
                                          "bpftrace, perf or raw"
                                        : "the stack modes are bpftrace, perf and raw");
        ok = false;
      }
    } else if (limit && i + 1 == call->args.size()) {
      check(arg);
      if (limit->value > kMaxStackLimit) {
        diags_.error(DiagId::StackArgument, arg->range,
                     call->name + "(): limit shouldn't exceed " + std::to_string(kMaxStackLimit) +
                         ", " + std::to_string(limit->value) + " given");
        ok = false;
      } else if (limit->value == 0) {
        diags_.error(DiagId::StackArgument, arg->range,
                     call->name + "(): limit must be at least 1");
        ok = false;
      } else {
        params.limit = static_cast<uint32_t>(limit->value);
      }
    } else {
      diags_.error(DiagId::ArgumentType, arg->range,
                   call->name + "() expects " +
                       (i == 0 ? "a stack mode (bpftrace, perf, raw) or " : "") +
                       "an integer literal frame limit")
          .hint("write " + call->name + "(perf, 16), " + call->name + "(16) or " + call->name +
                "(raw)");
      ok = false;
    }
  }
  return ok ? Type::stack(params) : Type::none();
}

// ksym(addr), usym(addr): an address symbolised when printed.
Type Checker::checkSymbolCall(ast::Call *call) {
  Type arg = check(call->args[0]);
  if (arg.isNone())
    return arg;
  if (!arg.isInt() && !arg.isPointer()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 call->name + "() expects an integer or a pointer (" + arg.str() + " provided)");
    return Type::none();
  }
  return Type::symbol(call->id == ast::FuncId::Usym);
}

// kaddr("name"), uaddr("name"): a symbol's address, known at compile time.
Type Checker::checkAddressCall(ast::Call *call) {
  auto *name = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!name) {
    check(call->args[0]);
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 call->name + "() expects a string literal naming a symbol");
    return Type::none();
  }
  check(name);
  if (call->id == ast::FuncId::Uaddr)
    return checkUaddr(call, name->value);
  const symbols::KernelSymbols &table = kallsyms_ ? *kallsyms_ : symbols::KernelSymbols::system();
  std::optional<uint64_t> addr = table.address(name->value);
  if (!addr) {
    auto &d = diags_.error(DiagId::SymbolNotFound, call->args[0]->range,
                           "kaddr(): no kernel symbol named '" + name->value + "'");
    if (table.empty())
      d.hint("/proc/kallsyms could not be read, or shows no addresses (kptr_restrict)");
    return Type::none();
  }
  analysis_.constants[call->Node::id()] = *addr;
  return Type::integer(64, false);
}

// uaddr(): only where the probe names a binary. In a non-PIE binary the symbol's
// address is a constant; in a PIE binary (or a library) it moves with the load
// address, so codegen adds the symbol's distance from the probed instruction to the
// address the probe fired at.
Type Checker::checkUaddr(ast::Call *call, const std::string &name) {
  if (specs_.empty())
    return Type::none();
  for (const ProbeSpec *spec : specs_) {
    if (!isUserProbe(spec->kind)) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   "uaddr() can only be used in uprobe, uretprobe and usdt probes (not " +
                       spec->name + ")");
      return Type::none();
    }
    if (spec->path != specs_.front()->path) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   "uaddr() needs every attach point of its probe in one binary (" +
                       specs_.front()->path + " and " + spec->path + ")");
      return Type::none();
    }
  }
  const std::string &path = specs_.front()->path;
  symbols::ElfSymbols elf;
  std::string error;
  const symbols::ElfSym *sym = nullptr;
  if (symbols::ElfSymbols::load(path, elf, error))
    sym = elf.find(name);
  if (!sym) {
    diags_.error(DiagId::SymbolNotFound, call->args[0]->range,
                 "uaddr(): no symbol named '" + name + "' in " + path +
                     (error.empty() ? "" : " (" + error + ")"));
    return Type::none();
  }
  // bpftrace types the pointer by the symbol's size.
  unsigned bits = sym->size == 1 ? 8 : sym->size == 2 ? 16 : sym->size == 4 ? 32 : 64;
  Type result = Type::pointer(Type::integer(bits, true), ast::AddrSpace::User);
  if (!elf.pie()) {
    analysis_.constants[call->Node::id()] = sym->addr;
    return result;
  }
  std::map<std::string, int64_t> offsets;
  for (const ProbeSpec *spec : specs_) {
    std::optional<uint64_t> probe_vaddr;
    if (spec->kind == ProbeKind::Usdt) {
      btf::ElfInfo info;
      std::set<uint64_t> pcs;
      if (btf::readElf(path, info, error))
        for (const auto &note : info.usdt)
          if (note.provider == spec->category && note.name == spec->func)
            pcs.insert(note.pc);
      if (pcs.size() == 1)
        probe_vaddr = *pcs.begin();
    } else {
      probe_vaddr = elf.vaddrOf(spec->offset);
    }
    if (!probe_vaddr) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   "uaddr() cannot locate '" + name + "' from " + spec->name +
                       ": the binary is position-independent and the probe has several sites");
      return Type::none();
    }
    offsets[spec->name] = static_cast<int64_t>(sym->addr - *probe_vaddr);
  }
  analysis_.pie_offsets[call->Node::id()] = std::move(offsets);
  return result;
}

} // namespace scry::sema
