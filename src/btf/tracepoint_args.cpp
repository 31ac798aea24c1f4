// Types the fields of a tracepoint format file. The format file's offset is
// authoritative, and so are its size and signedness for integers declared as wide as
// their slot; syscall wrappers store every argument in 8 bytes (`int dfd`, `umode_t
// mode` in syscalls:sys_enter_openat on Linux 6.18), and such a narrower declaration
// is read as declared, its low bytes, as bpftrace does. The declaration and BTF decide
// pointers, records, arrays and strings.
#include "btf/tracepoint_args.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include "btf/format.h"
#include "btf/type_source.h"
#include "support/int_typedefs.h"

namespace scry::btf {

namespace {

using ast::AddrSpace;
using ast::Type;

// Typedefs that are integers in every kernel (Linux 6.18's BTF agrees), e.g. pid_t in
// sched:sched_switch and u64 in most events (support/int_typedefs.h).
bool isIntegerTypedef(std::string_view name) {
  support::IntTypedef unused;
  return support::integerTypedef(name, unused);
}

// The C width and signedness of an integer typedef whose name says it, for the fields
// that syscall tracepoints widen to 8 bytes; 0 bits when unknown.
struct Width {
  unsigned bits = 0;
  bool is_signed = false;
};
Width typedefWidth(std::string_view name) {
  support::IntTypedef type;
  if (!support::integerTypedef(name, type))
    return {};
  return {type.bits, type.is_signed};
}

class FieldTyper {
public:
  FieldTyper(BtfTypes &btf, AddrSpace as, std::string &error) : btf_(btf), as_(as), error_(error) {}

  // The type of one field; false with error_ set (without the field context).
  bool type(const FormatField &field, const CDecl &decl, Type &out);

private:
  bool needBtf() { return btf_.load(error_); }
  bool intOf(const CDecl &decl, uint32_t size, bool is_signed, Type &out);
  bool scalar(const CDecl &decl, uint32_t size, bool is_signed, Type &out);
  bool pointee(const CDecl &decl, Type &out);
  std::string spelling(const CDecl &decl) const;

  BtfTypes &btf_;
  AddrSpace as_;
  std::string &error_;
};

std::string FieldTyper::spelling(const CDecl &decl) const {
  switch (decl.base) {
  case CDecl::Base::Void:
    return "void";
  case CDecl::Base::Builtin:
    return "int" + std::to_string(decl.builtin_bits);
  case CDecl::Base::Struct:
    return "struct " + decl.base_name;
  case CDecl::Base::Union:
    return "union " + decl.base_name;
  case CDecl::Base::Enum:
    return "enum " + decl.base_name;
  case CDecl::Base::Typedef:
    return decl.base_name;
  }
  return "?";
}

// An integer of the format file's size; `size` 0 (flexible or data_loc arrays) falls
// back to the declared width of a builtin. A field declared narrower than its size
// (syscall tracepoints store `int dfd` in 8 bytes, the raw register) is read as the
// declared type, its low bytes on x86-64, as bpftrace types it through BTF: AT_FDCWD
// is -100, not 4294967196.
bool FieldTyper::intOf(const CDecl &decl, uint32_t size, bool is_signed, Type &out) {
  Width declared;
  if (decl.base == CDecl::Base::Builtin)
    declared = {decl.builtin_bits, decl.builtin_signed};
  else if (decl.base == CDecl::Base::Typedef)
    declared = typedefWidth(decl.base_name);
  if (declared.bits != 0 && declared.bits < size * 8) {
    out = Type::integer(declared.bits, declared.is_signed);
    return true;
  }
  if (size == 1 || size == 2 || size == 4 || size == 8) {
    out = Type::integer(size * 8, is_signed);
    return true;
  }
  if (size == 0 && decl.base == CDecl::Base::Builtin) {
    out = Type::integer(decl.builtin_bits, decl.builtin_signed);
    return true;
  }
  error_ = "unknown type '" + spelling(decl) + "' of size " + std::to_string(size);
  return false;
}

// A value that is not a pointer: integers take the format file's layout.
bool FieldTyper::scalar(const CDecl &decl, uint32_t size, bool is_signed, Type &out) {
  switch (decl.base) {
  case CDecl::Base::Void:
    error_ = "field of type void";
    return false;
  case CDecl::Base::Builtin:
  case CDecl::Base::Enum:
    return intOf(decl, size, is_signed, out);
  case CDecl::Base::Struct:
  case CDecl::Base::Union: {
    if (!needBtf())
      return false;
    auto space =
        decl.base == CDecl::Base::Struct ? BtfTypes::Space::Struct : BtfTypes::Space::Union;
    uint32_t id = btf_.find(space, decl.base_name);
    if (id == 0) {
      error_ = "kernel BTF has no " + spelling(decl);
      return false;
    }
    out = Type::record(btf_.record(id, as_, true));
    return true;
  }
  case CDecl::Base::Typedef: {
    // An integer typedef takes the format file's layout whatever BTF says (below), so
    // the common ones need no BTF: parsing vmlinux BTF costs ~4 ms of a run (issue 6).
    if (size != 0 && isIntegerTypedef(decl.base_name))
      return intOf(decl, size, is_signed, out);
    if (!needBtf())
      return false;
    uint32_t id = btf_.find(BtfTypes::Space::Typedef, decl.base_name);
    Type resolved = id ? btf_.toType(id, as_, true) : Type::none();
    if (resolved.isNone() || (resolved.isInt() && size != 0))
      return intOf(decl, size, is_signed, out);
    out = resolved;
    return true;
  }
  }
  return false;
}

// What a pointer field points to; unknown structs and typedefs become opaque.
bool FieldTyper::pointee(const CDecl &decl, Type &out) {
  switch (decl.base) {
  case CDecl::Base::Void:
    out = Type::none();
    return true;
  case CDecl::Base::Builtin:
    out = Type::integer(decl.builtin_bits, decl.builtin_signed);
    return true;
  case CDecl::Base::Enum:
    out = Type::integer(32, false);
    return true;
  case CDecl::Base::Struct:
  case CDecl::Base::Union: {
    if (!needBtf())
      return false;
    auto space =
        decl.base == CDecl::Base::Struct ? BtfTypes::Space::Struct : BtfTypes::Space::Union;
    if (uint32_t id = btf_.find(space, decl.base_name)) {
      out = Type::record(btf_.record(id, as_, true));
    } else {
      auto opaque = std::make_shared<ast::RecordType>();
      opaque->name = spelling(decl);
      out = Type::record(opaque);
    }
    return true;
  }
  case CDecl::Base::Typedef: {
    if (!needBtf())
      return false;
    uint32_t id = btf_.find(BtfTypes::Space::Typedef, decl.base_name);
    out = id ? btf_.toType(id, as_, true) : Type::none();
    return true;
  }
  }
  return false;
}

bool FieldTyper::type(const FormatField &field, const CDecl &decl, Type &out) {
  if (decl.data_loc) {
    // `__data_loc char[]` is a string; other element types are arrays whose length is
    // only known at run time; `__data_loc cpumask_t` (no brackets) is kept as bytes.
    if (decl.is_array && decl.plain_char && decl.pointer_depth == 0) {
      out = Type::string(kDefaultMaxStrlen);
      return true;
    }
    Type elem = Type::integer(8, false);
    if (decl.is_array && decl.pointer_depth == 0 && !scalar(decl, 0, field.is_signed, elem))
      return false;
    out = Type::array(elem, 0);
    return true;
  }
  Type t;
  if (decl.pointer_depth > 0) {
    if (!pointee(decl, t))
      return false;
    for (unsigned i = 0; i < decl.pointer_depth; ++i)
      t = Type::pointer(t, as_);
    if (!decl.is_array) {
      out = t;
      return true;
    }
  } else if (decl.is_array && decl.plain_char && decl.array_len > 0) {
    out = Type::string(decl.array_len);
    return true;
  } else if (decl.is_array && decl.plain_char) {
    out = Type::array(Type::integer(8, true), 0);
    return true;
  } else if (!decl.is_array) {
    return scalar(decl, field.size, field.is_signed, out);
  } else {
    uint32_t n = decl.array_len;
    if (n != 0 && field.size % n != 0) {
      error_ = "size " + std::to_string(field.size) + " is not a multiple of " + std::to_string(n);
      return false;
    }
    if (!scalar(decl, n ? field.size / n : 0, field.is_signed, t))
      return false;
  }
  out = Type::array(t, decl.array_len);
  return true;
}

} // namespace

std::shared_ptr<const ast::RecordType> buildTracepointArgs(const std::string &category,
                                                           const std::string &event,
                                                           std::string_view format, BtfTypes &btf,
                                                           std::string &error) {
  std::string where = "tracepoint " + category + ":" + event;
  std::vector<FormatField> fields;
  if (!parseFormat(format, fields, error)) {
    error = where + ": " + error;
    return nullptr;
  }
  bool is_syscall = category == "syscalls" &&
                    (event.rfind("sys_enter_", 0) == 0 || event.rfind("sys_exit_", 0) == 0);
  FieldTyper typer(btf, is_syscall ? AddrSpace::User : AddrSpace::Kernel, error);

  auto rec = std::make_shared<ast::RecordType>();
  rec->name = "struct _tracepoint_" + category + "_" + event;
  for (const auto &f : fields) {
    CDecl decl;
    ast::Field out;
    if (!parseCDecl(f.decl, decl, error) || !typer.type(f, decl, out.type)) {
      error = where + ": field '" + (decl.name.empty() ? f.decl : decl.name) + "': " + error;
      return nullptr;
    }
    out.name = decl.name;
    out.offset = f.offset;
    out.data_loc = decl.data_loc;
    rec->fields.push_back(std::move(out));
    rec->size = std::max(rec->size, f.offset + f.size);
  }
  return rec;
}

} // namespace scry::btf
