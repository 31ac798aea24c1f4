// DWARF type DIEs to ast::Types and bpftrace-style type names. See dwarf_types.h.
#include "dwarf/dwarf_types.h"

#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFFormValue.h>

namespace scry::dwarf {

using ast::AddrSpace;
using ast::Type;
namespace dw = llvm::dwarf;

namespace {

// Every record converted in this process. A record can point at itself (struct node
// { struct node *next; }), a cycle of shared_ptrs that would never be freed: the records
// are kept here instead, alive and reachable until exit (never destroyed: a destructor
// would only drop the references, not break the cycles), as the sema and codegen that
// use them are. There are as many as the traced functions' parameters name.
std::vector<std::shared_ptr<const ast::RecordType>> &keptRecords() {
  static auto *records = new std::vector<std::shared_ptr<const ast::RecordType>>;
  return *records;
}

bool isQualifier(dw::Tag tag) {
  return tag == dw::DW_TAG_typedef || tag == dw::DW_TAG_const_type ||
         tag == dw::DW_TAG_volatile_type || tag == dw::DW_TAG_restrict_type ||
         tag == dw::DW_TAG_atomic_type;
}

bool isRecordTag(dw::Tag tag) {
  return tag == dw::DW_TAG_structure_type || tag == dw::DW_TAG_union_type ||
         tag == dw::DW_TAG_class_type;
}

std::string nameOf(const llvm::DWARFDie &die) {
  const char *name = die.getShortName();
  return name ? name : "";
}

// char and signed/unsigned char: a 1-byte base type with a character encoding.
bool isCharType(const llvm::DWARFDie &type) {
  if (!type || type.getTag() != dw::DW_TAG_base_type || byteSize(type) != 1)
    return false;
  uint64_t enc = llvm::dwarf::toUnsigned(type.find(dw::DW_AT_encoding), 0);
  return enc == dw::DW_ATE_signed_char || enc == dw::DW_ATE_unsigned_char;
}

Type baseType(const llvm::DWARFDie &type) {
  uint64_t size = byteSize(type);
  uint64_t enc = llvm::dwarf::toUnsigned(type.find(dw::DW_AT_encoding), 0);
  bool is_signed = false;
  switch (enc) {
  case dw::DW_ATE_signed:
  case dw::DW_ATE_signed_char:
    is_signed = true;
    break;
  case dw::DW_ATE_boolean:
  case dw::DW_ATE_unsigned:
  case dw::DW_ATE_unsigned_char:
  case dw::DW_ATE_UTF:
    break;
  default: // floats, complex and decimal numbers: no arithmetic on them in BPF
    return Type::none();
  }
  if (size != 1 && size != 2 && size != 4 && size != 8) // __int128: keep the layout
    return Type::array(Type::integer(8, false), static_cast<uint32_t>(size));
  return Type::integer(static_cast<unsigned>(size * 8), is_signed);
}

} // namespace

llvm::DWARFDie typeOf(const llvm::DWARFDie &die) {
  return die.getAttributeValueAsReferencedDie(dw::DW_AT_type);
}

llvm::DWARFDie peel(llvm::DWARFDie die) {
  for (unsigned depth = 0; die && isQualifier(die.getTag()) && depth < 64; ++depth)
    die = typeOf(die);
  return die;
}

uint64_t byteSize(const llvm::DWARFDie &type) {
  dw::Tag tag = type.getTag();
  if (tag == dw::DW_TAG_pointer_type || tag == dw::DW_TAG_reference_type ||
      tag == dw::DW_TAG_rvalue_reference_type)
    return 8;
  if (auto size = llvm::dwarf::toUnsigned(type.find(dw::DW_AT_byte_size)))
    return *size;
  if (tag == dw::DW_TAG_array_type) {
    uint64_t n = 1;
    for (const auto &child : type.children())
      if (child.getTag() == dw::DW_TAG_subrange_type)
        n *= subrangeCount(child);
    llvm::DWARFDie element = peel(typeOf(type));
    return element ? n * byteSize(element) : 0;
  }
  return 0;
}

uint64_t memberOffset(const llvm::DWARFDie &member) {
  auto loc = member.find(dw::DW_AT_data_member_location);
  if (!loc)
    return 0;
  if (auto value = loc->getAsUnsignedConstant())
    return *value;
  // DWARF 2: an expression, in practice DW_OP_plus_uconst ULEB128.
  if (auto block = loc->getAsBlock(); block && !block->empty() &&
                                      (*block)[0] == dw::DW_OP_plus_uconst) {
    uint64_t value = 0;
    unsigned shift = 0;
    for (size_t i = 1; i < block->size() && shift < 64; ++i, shift += 7) {
      value |= static_cast<uint64_t>((*block)[i] & 0x7f) << shift;
      if (!((*block)[i] & 0x80))
        break;
    }
    return value;
  }
  return 0;
}

bool isBitfield(const llvm::DWARFDie &member) {
  return member.find(dw::DW_AT_bit_size).has_value();
}

uint64_t subrangeCount(const llvm::DWARFDie &subrange) {
  if (auto count = llvm::dwarf::toUnsigned(subrange.find(dw::DW_AT_count)))
    return *count;
  if (auto upper = llvm::dwarf::toUnsigned(subrange.find(dw::DW_AT_upper_bound)))
    return *upper + 1;
  return 0;
}

std::string typeName(const llvm::DWARFDie &type) {
  if (!type)
    return "void";
  switch (type.getTag()) {
  case dw::DW_TAG_base_type:
  case dw::DW_TAG_typedef:
    return nameOf(type);
  case dw::DW_TAG_pointer_type: {
    llvm::DWARFDie pointee = typeOf(type);
    return pointee ? typeName(pointee) + "*" : "void*";
  }
  case dw::DW_TAG_structure_type:
  case dw::DW_TAG_class_type:
  case dw::DW_TAG_union_type:
  case dw::DW_TAG_enumeration_type: {
    std::string prefix = type.getTag() == dw::DW_TAG_union_type         ? "union "
                         : type.getTag() == dw::DW_TAG_enumeration_type ? "enum "
                                                                        : "struct ";
    std::string name = nameOf(type);
    return prefix + (name.empty() ? "<anonymous>" : name);
  }
  case dw::DW_TAG_const_type:
  case dw::DW_TAG_volatile_type: {
    const char *qual = type.getTag() == dw::DW_TAG_const_type ? "const" : "volatile";
    llvm::DWARFDie inner = typeOf(type);
    if (inner && inner.getTag() == dw::DW_TAG_pointer_type)
      return typeName(inner) + " " + qual;
    return std::string(qual) + " " + typeName(inner);
  }
  default:
    return "<unknown type>";
  }
}

Type TypeConverter::toType(const llvm::DWARFDie &die) {
  // The last typedef names an anonymous struct (typedef struct { ... } foo_t).
  std::string typedef_name;
  llvm::DWARFDie type = die;
  for (unsigned depth = 0; type && isQualifier(type.getTag()) && depth < 64; ++depth) {
    if (type.getTag() == dw::DW_TAG_typedef)
      typedef_name = nameOf(type);
    type = typeOf(type);
  }
  if (!type)
    return Type::none(); // void
  switch (type.getTag()) {
  case dw::DW_TAG_base_type:
    return isCharType(type) && nameOf(type) == "char" ? Type::integer(8, true) : baseType(type);
  case dw::DW_TAG_enumeration_type: {
    llvm::DWARFDie underlying = peel(typeOf(type));
    Type base = underlying ? baseType(underlying) : Type::none();
    uint64_t size = byteSize(type);
    if (size != 1 && size != 2 && size != 4 && size != 8)
      return Type::none();
    return Type::integer(static_cast<unsigned>(size * 8), base.isInt() && base.isSigned());
  }
  case dw::DW_TAG_pointer_type:
  case dw::DW_TAG_reference_type:
  case dw::DW_TAG_rvalue_reference_type:
    return Type::pointer(toType(typeOf(type)), AddrSpace::User);
  case dw::DW_TAG_array_type: {
    std::vector<uint64_t> dims;
    for (const auto &child : type.children())
      if (child.getTag() == dw::DW_TAG_subrange_type)
        dims.push_back(subrangeCount(child));
    llvm::DWARFDie element = typeOf(type);
    Type t = isCharType(peel(element)) && !dims.empty()
                 ? Type::string(static_cast<uint32_t>(dims.back()))
                 : Type::array(toType(element), static_cast<uint32_t>(dims.empty() ? 0 : dims.back()));
    for (size_t i = dims.size(); i-- > 1;)
      t = Type::array(t, static_cast<uint32_t>(dims[i - 1]));
    return t;
  }
  case dw::DW_TAG_structure_type:
  case dw::DW_TAG_class_type:
  case dw::DW_TAG_union_type:
    return Type::record(record(type, typedef_name));
  default: // functions, pointers to members, nullptr_t
    return Type::none();
  }
}

std::shared_ptr<const ast::RecordType> TypeConverter::record(const llvm::DWARFDie &type,
                                                             const std::string &typedef_name) {
  if (auto it = records_.find(type.getOffset()); it != records_.end())
    return it->second;
  auto rec = std::make_shared<ast::RecordType>();
  bool is_union = type.getTag() == dw::DW_TAG_union_type;
  std::string name = nameOf(type);
  if (!name.empty())
    rec->name = (is_union ? "union " : "struct ") + name;
  else if (!typedef_name.empty())
    rec->name = typedef_name;
  else
    rec->name = is_union ? "union (anonymous)" : "struct (anonymous)";
  rec->size = static_cast<uint32_t>(byteSize(type));
  // Registered before its members are converted: a member pointing back to this struct
  // finds it here.
  records_.emplace(type.getOffset(), rec);
  keptRecords().push_back(rec);
  addMembers(type, 0, rec->fields, 0);
  return rec;
}

// Appends the members of `type`, flattening anonymous struct/union members and base
// classes (C and C++ reach their members directly). Bitfields are skipped: ast::Field
// has no bit offset, and a byte-wise read would give wrong values.
void TypeConverter::addMembers(const llvm::DWARFDie &type, uint32_t base,
                               std::vector<ast::Field> &fields, unsigned depth) {
  for (const auto &member : type.children()) {
    dw::Tag tag = member.getTag();
    if ((tag != dw::DW_TAG_member && tag != dw::DW_TAG_inheritance) || isBitfield(member) ||
        member.find(dw::DW_AT_external)) // C++ static members live elsewhere
      continue;
    uint32_t offset = base + static_cast<uint32_t>(memberOffset(member));
    llvm::DWARFDie member_type = peel(typeOf(member));
    std::string name = nameOf(member);
    if (tag == dw::DW_TAG_inheritance || name.empty()) {
      // By-value nesting is acyclic; the depth guard only protects against bad DWARF.
      if (member_type && isRecordTag(member_type.getTag()) && depth < 32)
        addMembers(member_type, offset, fields, depth + 1);
      continue;
    }
    fields.push_back({name, toType(typeOf(member)), offset, false});
  }
}

} // namespace scry::dwarf
