// Structs and unions declared in the script's preamble (`struct Foo { int a; char b[8]; }`)
// laid out as C does on x86-64 (natural alignment), and offsetof(). Script types are
// looked up before the kernel's BTF, so a script may describe a type BTF lacks (a
// user-space struct read through a uprobe argument).
#include "sema/checker.h"
#include "support/strings.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// Alignment of `t` as C lays it out: records align to their strictest field.
uint32_t alignOf(const Type &t) {
  if (t.isRecord()) {
    uint32_t a = 1;
    for (const auto &f : t.recordType().fields)
      a = std::max(a, alignOf(f.type));
    return a;
  }
  if (t.isArray())
    return alignOf(t.element());
  return t.align();
}

// `char x[N]` is a string of N bytes, as BTF's char arrays are; other arrays nest.
Type arrayOf(Type element, bool is_char, const std::vector<uint64_t> &dims) {
  for (size_t i = dims.size(); i-- > 0;) {
    auto n = static_cast<uint32_t>(dims[i]);
    if (i + 1 == dims.size() && is_char)
      element = Type::string(n);
    else
      element = Type::array(element, n);
  }
  return element;
}

} // namespace

void Checker::defineStructs(const std::vector<ast::StructDef *> &defs) {
  for (auto *def : defs) {
    std::string name = (def->is_union ? "union " : "struct ") + def->name;
    if (script_records_.count(name)) {
      diags_.error(DiagId::InvalidStruct, def->range, "Redefinition of " + name);
      continue;
    }
    // Visible while its own fields are resolved, for `struct Foo *next`: a record with
    // no fields yet, completed by completeRecord() once defined.
    auto incomplete = std::make_shared<ast::RecordType>();
    incomplete->name = name;
    script_records_[name] = incomplete;
    auto record = std::make_shared<ast::RecordType>();
    record->name = name;
    uint32_t offset = 0, align = 1;
    bool ok = true;
    for (const auto &decl : def->fields) {
      Type type = resolveTypeName(decl.type, decl.range);
      if (type.isNone()) {
        ok = false;
        continue;
      }
      for (uint64_t d : decl.dims)
        if (d == 0 || d > (1u << 20)) {
          diags_.error(DiagId::InvalidStruct, decl.range,
                       "Array size of field '" + decl.name + "' must be between 1 and 1048576");
          ok = false;
        }
      if (type.isRecord() && type.recordType().fields.empty()) {
        diags_.error(DiagId::InvalidStruct, decl.range,
                     "Field '" + decl.name + "' has incomplete type '" + type.str() + "'")
            .hint("a struct can hold a pointer to itself, not itself");
        ok = false;
        continue;
      }
      type = arrayOf(type, decl.type.base == "char" && decl.type.pointers == 0, decl.dims);
      if (record->find(decl.name)) {
        diags_.error(DiagId::InvalidStruct, decl.range,
                     "Duplicate field '" + decl.name + "' in " + name);
        ok = false;
        continue;
      }
      uint32_t a = alignOf(type);
      align = std::max(align, a);
      ast::Field field;
      field.name = decl.name;
      field.type = type;
      field.offset = def->is_union ? 0 : (offset + a - 1) / a * a;
      offset = def->is_union ? std::max(offset, type.size()) : field.offset + type.size();
      record->fields.push_back(std::move(field));
    }
    record->size = (offset + align - 1) / align * align;
    if (ok && !record->fields.empty())
      script_records_[name] = std::move(record);
    else if (ok)
      diags_.error(DiagId::InvalidStruct, def->range, name + " has no fields");
  }
}

std::shared_ptr<const ast::RecordType> Checker::scriptRecord(const std::string &name) const {
  auto it = script_records_.find(name);
  return it == script_records_.end() ? nullptr : it->second;
}

// `offsetof(struct X, a.b)` / `offsetof(expr, a.b)`: the sum of the fields' offsets.
Type Checker::checkOffsetof(ast::Offsetof *node) {
  Type t = node->operand ? check(node->operand) : resolveTypeName(node->type, node->range);
  if (t.isNone())
    return Type::none();
  if (node->operand && t.isPointer())
    t = t.pointee();
  uint64_t offset = 0;
  for (const auto &name : node->path) {
    if (!t.isRecord()) {
      diags_.error(DiagId::NotARecord, node->range,
                   "offsetof: '" + t.str() + "' is not a struct or union, it has no field '" +
                       name + "'");
      return Type::none();
    }
    auto record = completeRecord(t.recordType(), node->range);
    if (!record)
      return Type::none();
    const ast::Field *field = record->find(name);
    if (!field) {
      std::vector<std::string> names;
      for (const auto &f : record->fields)
        names.push_back(f.name);
      auto &d = diags_.error(DiagId::NoSuchField, node->range,
                             "Struct/union of type '" + record->name +
                                 "' does not contain a field named '" + name + "'");
      std::string guess = support::closestMatch(name, names);
      if (!guess.empty())
        d.hint("did you mean '" + guess + "'?");
      return Type::none();
    }
    offset += field->offset;
    t = field->type;
  }
  analysis_.constants[node->id()] = offset;
  return Type::integer(64, false);
}

} // namespace scry::sema
