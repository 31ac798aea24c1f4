// typeinfo(expr)'s names for types (issue 3): bpftrace's own spellings, which differ
// from scry's messages for tuples, records and unsized strings.
#include "sema/typeinfo_names.h"

namespace scry::sema {

using ast::TypeKind;

std::string typeinfoBase(const ast::Type &type) {
  switch (type.kind()) {
  case TypeKind::None: return "none";
  case TypeKind::Bool: return "bool";
  case TypeKind::Int: return "int";
  case TypeKind::String: return "string";
  case TypeKind::Pointer: return "pointer";
  case TypeKind::Array: return "array";
  case TypeKind::Record: return "c_struct";
  case TypeKind::Tuple: return type.names().empty() ? "tuple" : "record";
  case TypeKind::Count: return "count_t";
  case TypeKind::Aggregation:
  case TypeKind::Resolved:
    return type.str(); // sum_t, hist_t, username, ...: the kind is the whole name
  case TypeKind::Buffer: return "buffer";
  case TypeKind::Inet: return "inet";
  case TypeKind::MacAddr: return "mac_address";
  case TypeKind::Stack: return type.stackParams().user ? "ustack" : "kstack";
  case TypeKind::Symbol: return type.stackParams().user ? "usym_t" : "ksym_t";
  }
  return "none";
}

std::string typeinfoFull(const ast::Type &type) {
  switch (type.kind()) {
  case TypeKind::String:
    return type.size() ? type.str() : "string";
  case TypeKind::Pointer:
    return typeinfoFull(type.pointee()) + " *";
  case TypeKind::Array:
    return typeinfoFull(type.element()) + "[" + std::to_string(type.count_of()) + "]";
  case TypeKind::Tuple: {
    const auto &names = type.names();
    std::string s = names.empty() ? "(" : "record { ";
    for (size_t i = 0; i < type.elements().size(); ++i) {
      if (names.empty())
        s += (i ? "," : "") + typeinfoFull(type.elements()[i]);
      else
        s += (i ? ", ." : ".") + names[i] + " = " + typeinfoFull(type.elements()[i]);
    }
    return s + (names.empty() ? ")" : " }");
  }
  case TypeKind::None:
  case TypeKind::Bool:
  case TypeKind::Int:
  case TypeKind::Record:
  case TypeKind::Count:
  case TypeKind::Aggregation:
  case TypeKind::Resolved:
  case TypeKind::Buffer:
  case TypeKind::Inet:
  case TypeKind::MacAddr:
  case TypeKind::Stack:
  case TypeKind::Symbol:
    return type.str();
  }
  return type.str();
}

} // namespace scry::sema
