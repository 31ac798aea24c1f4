// DWARF debug info of user binaries, for uprobe `args` and `-lv` (issue 4): a function's
// parameters typed as ast::Types and placed in the x86-64 System V argument registers.
// Sits beside src/btf (kernel types from BTF); sema and the -l listing call it. LLVM's
// DebugInfoDWARF reads DWARF 2-5; a binary is opened only when a uprobe reads `args` or
// -lv lists one, so scripts without them never touch it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ast/type.h"

namespace scry::dwarf {

// Integer and pointer arguments, in order (System V x86-64 ABI, 3.2.3).
inline constexpr unsigned kArgRegs = 6; // rdi, rsi, rdx, rcx, r8, r9

struct Param {
  std::string name; // "" when DWARF names none
  // The parameter's type; pointers point into the traced process (AddrSpace::User).
  // None when scry has no type for it (floating point, 128-bit integers, functions).
  ast::Type type;
  // bpftrace's -lv text: "int a", "char* s", "const struct Foo* p", "enum color c".
  std::string decl;
  // Where it is at the function's entry: argument registers first_reg .. first_reg +
  // regs - 1 (regs is 1, or 2 for a struct of 9 to 16 bytes), or nowhere scry can read
  // (first_reg < 0) with `unsupported` saying why ("passed on the stack", ...).
  int first_reg = -1;
  unsigned regs = 0;
  std::string unsupported;
};

struct Function {
  std::string name;
  std::vector<Param> params;
};

class DebugInfo {
public:
  virtual ~DebugInfo() = default;

  // The debug info of the ELF file at `path`, opened once per path and process (later
  // calls return the same object). Null with `error` set when the file cannot be read
  // as an object file. A file without DWARF opens and has hasDwarf() false.
  static std::shared_ptr<DebugInfo> open(const std::string &path, std::string &error);

  // Whether the file has DWARF compile units (.debug_info).
  virtual bool hasDwarf() const = 0;

  // The function whose code starts at virtual address `addr` (an ELF symbol's value),
  // its parameters typed and placed in registers. False with `error` set when no DWARF
  // subprogram starts there (no debug info for that compile unit, or `addr` is not a
  // function's entry).
  virtual bool functionAt(uint64_t addr, Function &out, std::string &error) = 0;
};

} // namespace scry::dwarf
