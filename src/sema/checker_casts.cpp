// bpftrace's byte types in casts (issue 3): `(string[N])s` makes a string N bytes long,
// at least the size of `s` (bpftrace 0.26 refuses narrowing and non-strings);
// `(buffer[N])` and `(inet)` parse, as they do in bpftrace, which refuses every cast to
// them. Outside casts only string[N] is a type (`let $s: string[64];`).
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// The target as bpftrace's messages spell it: "string" (no size), "string[64]",
// "buffer[16]", "inet[0]" (an inet with no size).
std::string targetName(const ast::TypeName &name) {
  bool sized = name.array != ast::TypeName::kNoArray && name.array != ast::TypeName::kInferredArray;
  if (sized)
    return name.base + "[" + std::to_string(name.array) + "]";
  return name.base == "string" ? name.base : name.base + "[0]";
}

} // namespace

bool Checker::isByteTypeName(const std::string &name) {
  return name == "string" || name == "buffer" || name == "inet";
}

ast::SourceRange Checker::castTypeRange(const ast::Cast *cast) {
  // From "(" to the operand; a cast copied out of a macro may share one range.
  if (cast->operand->range.begin > cast->range.begin)
    return {cast->range.begin, cast->operand->range.begin};
  return cast->range;
}

Type Checker::resolveByteType(const ast::TypeName &name, ast::SourceRange where, bool in_cast) {
  bool sized = name.array != ast::TypeName::kNoArray && name.array != ast::TypeName::kInferredArray;
  uint32_t size = sized ? static_cast<uint32_t>(name.array) : 0;
  if (name.pointers > 0) {
    diags_.error(DiagId::UnknownType, where, "Unknown type: " + name.str())
        .hint("a string is read from a pointer with str(ptr)");
    return Type::none();
  }
  if (name.base == "string" && sized)
    return Type::string(size);
  if (!in_cast) {
    diags_.error(DiagId::UnknownType, where,
                 "The type '" + name.str() + "' can only be written in a cast")
        .hint(name.base == "string" ? "give the string a size: string[64]"
                                    : "buf() and ntop() make buffers and addresses");
    return Type::none();
  }
  if (name.base == "string")
    return Type::string(0); // `(string)s`: refused below unless s is empty
  if (name.base == "buffer")
    return Type::buffer(size);
  return Type::inet();
}

Type Checker::checkByteCast(ast::Cast *cast, const Type &from, const Type &to) {
  if (to.isString() && from.isString() && from.size() <= to.size())
    return to; // widened: the bytes after the string's NUL are zero
  auto &d = diags_.error(DiagId::InvalidCast, castTypeRange(cast),
                         "Cannot cast from \"" + from.str() + "\" to \"" +
                             targetName(cast->type) + "\"");
  if (!to.isString())
    d.hint("bpftrace casts nothing to buffer or inet; buf() and ntop() make them");
  else if (from.isString())
    d.hint("a string cast can only widen: (string[" + std::to_string(from.size()) +
           "]) or more here");
  else
    d.hint("only strings can be cast to string types; str() reads a string from a pointer");
  return Type::none();
}

} // namespace scry::sema
