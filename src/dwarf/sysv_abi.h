// Where the x86-64 System V ABI passes a parameter of a given DWARF type (ABI 3.2.3,
// "Parameter Passing"): how many integer registers it takes, or why it is not in them.
// Private to src/dwarf.
#pragma once

#include <string>

#include <llvm/DebugInfo/DWARF/DWARFDie.h>

namespace scry::dwarf {

struct ArgClass {
  enum Kind {
    Integer, // `eightbytes` consecutive integer registers (1 or 2)
    Sse,     // floating point: xmm registers (`eightbytes`: integer registers it also takes)
    Memory,  // on the stack (takes no integer register)
    ByReference, // a C++ object with a non-trivial copy: its address, in one register
    None,    // takes nothing (an empty C++ class)
  };
  Kind kind = Integer;
  unsigned eightbytes = 1;
  std::string why; // Sse, Memory: what the user is told
};

// The class of a value of DWARF type `type` (qualifiers and typedefs allowed), passed as
// an argument. Structs and unions of at most 16 bytes whose every eightbyte holds some
// integer data are Integer; one with floating-point-only eightbytes is Sse; bigger ones,
// and unaligned members, Memory.
ArgClass classifyArg(const llvm::DWARFDie &type);

// Whether a function returning `type` takes the hidden result pointer in rdi (a result
// the ABI returns in memory), which moves its parameters one register on.
bool returnsInMemory(const llvm::DWARFDie &type);

} // namespace scry::dwarf
