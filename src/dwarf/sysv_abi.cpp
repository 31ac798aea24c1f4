// x86-64 System V classification of arguments from their DWARF types. See sysv_abi.h.
#include "dwarf/sysv_abi.h"

#include <algorithm>

#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFFormValue.h>

#include "dwarf/dwarf_types.h"

namespace scry::dwarf {

namespace dw = llvm::dwarf;

namespace {

// What each of a small aggregate's two eightbytes holds.
struct Eightbytes {
  bool integer[2] = {false, false};
  bool sse[2] = {false, false};
  bool unaligned = false;
};

bool isFloat(const llvm::DWARFDie &base) {
  uint64_t enc = dw::toUnsigned(base.find(dw::DW_AT_encoding), 0);
  return enc == dw::DW_ATE_float || enc == dw::DW_ATE_complex_float ||
         enc == dw::DW_ATE_decimal_float;
}

// Marks the eightbytes the scalar leaves of `type`, placed at `offset`, fall in.
void scan(const llvm::DWARFDie &raw, uint64_t offset, Eightbytes &out, unsigned depth) {
  llvm::DWARFDie type = peel(raw);
  if (!type || depth > 32 || offset >= 16)
    return;
  switch (type.getTag()) {
  case dw::DW_TAG_structure_type:
  case dw::DW_TAG_class_type:
  case dw::DW_TAG_union_type:
    for (const auto &member : type.children()) {
      dw::Tag tag = member.getTag();
      if ((tag != dw::DW_TAG_member && tag != dw::DW_TAG_inheritance) ||
          member.find(dw::DW_AT_external))
        continue;
      if (isBitfield(member)) {
        uint64_t bit = dw::toUnsigned(member.find(dw::DW_AT_data_bit_offset),
                                      memberOffset(member) * 8);
        out.integer[std::min<uint64_t>(offset + bit / 8, 15) / 8] = true;
        continue;
      }
      scan(typeOf(member), offset + memberOffset(member), out, depth + 1);
    }
    return;
  case dw::DW_TAG_array_type: {
    llvm::DWARFDie element = peel(typeOf(type));
    uint64_t size = element ? byteSize(element) : 0;
    for (uint64_t at = 0; size && at < byteSize(type) && offset + at < 16; at += size)
      scan(element, offset + at, out, depth + 1);
    return;
  }
  default: {
    uint64_t size = byteSize(type);
    if (size == 0)
      return;
    if (offset % size != 0 && size <= 8)
      out.unaligned = true;
    bool *slots = type.getTag() == dw::DW_TAG_base_type && isFloat(type) ? out.sse : out.integer;
    for (uint64_t eightbyte = offset / 8; eightbyte < 2 && eightbyte * 8 < offset + size;
         ++eightbyte)
      slots[eightbyte] = true;
  }
  }
}

bool passedByReference(const llvm::DWARFDie &type) {
  // DWARF 5 (and GCC's DWARF 4): DW_AT_calling_convention DW_CC_pass_by_reference on a
  // C++ class whose copy constructor or destructor is non-trivial.
  return dw::toUnsigned(type.find(dw::DW_AT_calling_convention), 0) ==
         dw::DW_CC_pass_by_reference;
}

} // namespace

ArgClass classifyArg(const llvm::DWARFDie &raw) {
  llvm::DWARFDie type = peel(raw);
  ArgClass c;
  if (!type)
    return {ArgClass::None, 0, "it has no type"};
  dw::Tag tag = type.getTag();
  uint64_t size = byteSize(type);
  if (tag == dw::DW_TAG_base_type && isFloat(type))
    return {ArgClass::Sse, 0, "passed in an SSE register (floating point)"};
  if (tag != dw::DW_TAG_structure_type && tag != dw::DW_TAG_class_type &&
      tag != dw::DW_TAG_union_type) {
    if (size > 16)
      return {ArgClass::Memory, 0, "passed on the stack (" + std::to_string(size) + " bytes)"};
    c.eightbytes = size > 8 ? 2 : 1; // __int128 takes a register pair
    return c;
  }
  if (passedByReference(type))
    return {ArgClass::ByReference, 1, ""};
  if (size == 0)
    return {ArgClass::None, 0, "it is empty"};
  if (size > 16)
    return {ArgClass::Memory, 0,
            "a struct of " + std::to_string(size) + " bytes, passed by value on the stack"};
  Eightbytes e;
  scan(type, 0, e, 0);
  if (e.unaligned)
    return {ArgClass::Memory, 0, "a packed struct, passed by value on the stack"};
  unsigned n = size > 8 ? 2 : 1, sse_only = 0;
  for (unsigned i = 0; i < n; ++i)
    sse_only += !e.integer[i] && e.sse[i];
  if (sse_only) // a mixed struct still takes an integer register for its other half
    return {ArgClass::Sse, n - sse_only,
            "a struct passed by value in SSE registers (floating point)"};
  c.eightbytes = n;
  return c;
}

bool returnsInMemory(const llvm::DWARFDie &raw) {
  llvm::DWARFDie type = peel(raw);
  if (!type)
    return false; // void
  ArgClass c = classifyArg(type);
  return c.kind == ArgClass::Memory || c.kind == ArgClass::ByReference;
}

} // namespace scry::dwarf
