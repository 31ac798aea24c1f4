// DWARF type DIEs to scry's ast::Types and to bpftrace's type names for -lv. Private to
// src/dwarf (debug_info.cpp and the ABI classification use it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <llvm/DebugInfo/DWARF/DWARFDie.h>

#include "ast/type.h"

namespace scry::dwarf {

// The type a DIE's DW_AT_type names; an invalid DIE means void.
llvm::DWARFDie typeOf(const llvm::DWARFDie &die);
// `die` without typedefs and const/volatile/restrict/atomic qualifiers.
llvm::DWARFDie peel(llvm::DWARFDie die);
// DW_AT_byte_size of a (peeled) type DIE; pointers and references are 8 bytes.
uint64_t byteSize(const llvm::DWARFDie &type);
// The byte offset of a struct member (DW_AT_data_member_location, constant or the
// DWARF 2 DW_OP_plus_uconst form); 0 for union members.
uint64_t memberOffset(const llvm::DWARFDie &member);
// Whether a member is a bitfield (DW_AT_bit_size).
bool isBitfield(const llvm::DWARFDie &member);
// The element count of an array DIE's one subrange (DW_AT_count or DW_AT_upper_bound + 1),
// 0 when unknown (a flexible array member).
uint64_t subrangeCount(const llvm::DWARFDie &subrange);

// bpftrace's name of a type: base types and typedefs by name, "T*" for pointers ("void*"
// without a pointee), "struct N"/"union N"/"enum N" ("<anonymous>" without a name),
// "const T" ("T* const" for a const pointer), "<unknown type>" for the rest.
std::string typeName(const llvm::DWARFDie &type);

// Converts type DIEs to ast::Types, as btf/btf_types.cpp does BTF: integers of their
// size and signedness (char: int8, bool: uint8, enums: their size), pointers and C++
// references as pointers into user memory, char[N] as string[N], T[N] as arrays, structs,
// unions and classes as records with their fields (base classes and anonymous members
// flattened; bitfields left out). Floats, functions and void are none. Records are made
// once per DIE, so self-referencing structs (lists, trees) share one RecordType.
class TypeConverter {
public:
  ast::Type toType(const llvm::DWARFDie &type);

private:
  std::shared_ptr<const ast::RecordType> record(const llvm::DWARFDie &type,
                                                const std::string &typedef_name);
  void addMembers(const llvm::DWARFDie &type, uint32_t base, std::vector<ast::Field> &fields,
                  unsigned depth);

  std::unordered_map<uint64_t, std::shared_ptr<ast::RecordType>> records_; // by DIE offset
};

} // namespace scry::dwarf
