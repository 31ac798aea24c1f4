// Types written in scripts: casts, sizeof, and the names they use. Builtin integer
// names (int8..uint64, u8..u64, s8..s64) and C spellings (unsigned int, long long)
// are known here; struct and union names come from the kernel's BTF.
#include "sema/checker.h"
#include "support/int_typedefs.h"
#include "support/strings.h"

#include <algorithm>

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

struct IntName {
  const char *name;
  unsigned bits;
  bool is_signed;
};

// x86-64's C sizes: long is 64 bits, plain char is signed.
constexpr IntName kIntNames[] = {
    {"int8", 8, true},          {"int16", 16, true},         {"int32", 32, true},
    {"int64", 64, true},        {"uint8", 8, false},         {"uint16", 16, false},
    {"uint32", 32, false},      {"uint64", 64, false},       {"s8", 8, true},
    {"s16", 16, true},          {"s32", 32, true},           {"s64", 64, true},
    {"u8", 8, false},           {"u16", 16, false},          {"u32", 32, false},
    {"u64", 64, false},         {"char", 8, true},           {"signed char", 8, true},
    {"unsigned char", 8, false}, {"short", 16, true},        {"short int", 16, true},
    {"signed short", 16, true}, {"unsigned short", 16, false},
    {"unsigned short int", 16, false},                       {"int", 32, true},
    {"signed", 32, true},       {"signed int", 32, true},    {"unsigned", 32, false},
    {"unsigned int", 32, false}, {"long", 64, true},         {"long int", 64, true},
    {"signed long", 64, true},  {"unsigned long", 64, false},
    {"unsigned long int", 64, false},                        {"long long", 64, true},
    {"long long int", 64, true}, {"unsigned long long", 64, false},
    {"unsigned long long int", 64, false},
};

} // namespace

Type Checker::resolveTypeName(const ast::TypeName &name, ast::SourceRange where, bool in_cast) {
  if (name.of)
    return resolveTypeof(name); // typeof(expr) (checker_typeof.cpp)
  if (isByteTypeName(name.base))
    return resolveByteType(name, where, in_cast); // string[N], buffer[N], inet (checker_casts.cpp)
  Type base;
  bool found = false;
  for (const auto &row : kIntNames) {
    if (name.base == row.name) {
      base = Type::integer(row.bits, row.is_signed);
      found = true;
    }
  }
  if (support::IntTypedef typedef_int; !found && support::integerTypedef(name.base, typedef_int)) {
    base = Type::integer(typedef_int.bits, typedef_int.is_signed); // uint64_t, pid_t, ...
    found = true;
  }
  if (name.base == "bool") {
    base = Type::boolean();
    found = true;
  } else if (name.base == "void") {
    found = name.pointers > 0; // void alone is no value
  } else if (name.base.rfind("struct ", 0) == 0 || name.base.rfind("union ", 0) == 0) {
    std::string error = "no kernel type information for '" + name.base + "'";
    std::shared_ptr<const ast::RecordType> record = scriptRecord(name.base);
    if (!record && types_)
      record = types_->kernelRecord(name.base, ast::AddrSpace::Kernel, error);
    if (!record) {
      auto &d = diags_.error(DiagId::UnknownType, where, "Unknown type: " + name.base);
      std::vector<std::string> names;
      for (const auto &[script_name, unused] : script_records_)
        names.push_back(script_name);
      std::string guess = support::closestMatch(name.base, names);
      if (!guess.empty())
        d.hint("did you mean '" + guess + "'?");
      else
        d.hint(error + "; scry reads kernel types from BTF and parses no C headers");
      return Type::none();
    }
    base = Type::record(record);
    found = true;
  } else if (!found && types_ && name.base.find(' ') == std::string::npos && !name.of) {
    std::string error; // a typedef of a struct or union from BTF: `let $i: siginfo_t *`
    if (auto record = types_->kernelRecord(name.base, ast::AddrSpace::Kernel, error)) {
      base = Type::record(record);
      found = true;
    }
  }
  if (!found) {
    diags_.error(DiagId::UnknownType, where, "Unknown type: " + name.str())
        .hint("builtin types are int8..int64, uint8..uint64, bool, C's integer names and "
              "kernel integer typedefs (u32, pid_t, uint64_t, ...); kernel structs are "
              "written `struct name` or by their typedef");
    return Type::none();
  }
  for (unsigned i = 0; i < name.pointers; ++i)
    base = Type::pointer(base, ast::AddrSpace::Kernel);
  if (name.array == ast::TypeName::kNoArray)
    return base;
  if (!base.isInt()) {
    diags_.error(DiagId::UnknownType, where, "Arrays of '" + base.str() + "' cannot be written")
        .hint("array types are arrays of integers, such as uint8[4]");
    return Type::none();
  }
  if (name.array == ast::TypeName::kInferredArray && !in_cast) {
    diags_.error(DiagId::UnknownType, where, "The array type '" + name.str() + "' has no size")
        .hint("only a cast can leave the size out: (" + name.str() + ")value");
    return Type::none();
  }
  return Type::array(base, static_cast<uint32_t>(name.array));
}

std::shared_ptr<const ast::RecordType> Checker::completeRecord(const ast::RecordType &record,
                                                               ast::SourceRange where) {
  if (!record.fields.empty())
    return std::make_shared<ast::RecordType>(record);
  if (auto script = scriptRecord(record.name); script && !script->fields.empty())
    return script;
  if (!types_)
    return std::make_shared<ast::RecordType>(record);
  std::string error;
  auto full = types_->kernelRecord(record.name, ast::AddrSpace::Kernel, error);
  if (!full) {
    diags_.error(DiagId::UnknownType, where, "Unknown type: " + record.name).hint(error);
    return nullptr;
  }
  return full;
}

Type Checker::checkCast(ast::Cast *cast) {
  Type from = check(cast->operand);
  Type to = resolveTypeName(cast->type, castTypeRange(cast), true);
  if (from.isNone() || to.isNone())
    return Type::none();
  if (to.isString() || to.isBytes())
    return checkByteCast(cast, from, to); // checker_casts.cpp
  if (to.isArray() || from.isArray())
    return checkArrayCast(cast, from, to);
  if (!from.isScalar() || !(to.isInt() || to.isBool() || to.isPointer())) {
    diags_.error(DiagId::InvalidCast, castTypeRange(cast),
                 "Cannot cast from \"" + from.str() + "\" to \"" + to.str() + "\"")
        .hint("casts convert between integers, bools and pointers");
    return Type::none();
  }
  // A pointer cast keeps the address space of the pointer it came from; an integer
  // made a pointer points where the probe's own pointers do: into the traced process
  // for uprobes and USDT (`(struct Foo *)arg0`), else into the kernel.
  if (to.isPointer() && from.isPointer())
    return Type::pointer(to.pointee(), from.addrSpace());
  if (to.isPointer())
    return Type::pointer(to.pointee(), probeAddrSpace());
  return to;
}

// Integers and integer arrays of the same size reinterpret each other's bytes (little
// endian): `(uint8[8])12345`, `(uint32)pton("127.0.0.1")`. `T[]` takes its size from
// the integer. An integer literal may be narrower than its type says, so it only
// has to fit.
Type Checker::checkArrayCast(ast::Cast *cast, const Type &from, const Type &to) {
  auto refuse = [&](const std::string &why) {
    diags_.error(DiagId::InvalidCast, castTypeRange(cast),
                 "Cannot cast from \"" + from.str() + "\" to \"" + cast->type.str() + "\"")
        .hint(why);
    return Type::none();
  };
  if (to.isArray()) {
    if (!from.isInt())
      return refuse("only integers can be cast to integer arrays");
    uint32_t element = to.element().size();
    uint32_t count = to.count_of();
    if (count == 0) { // T[]: as many elements as the integer has bytes for
      uint32_t bytes = from.size();
      if (auto *lit = ast::dyn_cast<ast::IntegerLit>(cast->operand)) // its smallest type
        bytes = std::max(element, lit->value >> 32 ? 8u : lit->value >> 16 ? 4u : lit->value >> 8 ? 2u : 1u);
      if (bytes % element != 0)
        return refuse("the integer's " + std::to_string(bytes) +
                      " bytes do not divide into elements of " + std::to_string(element));
      count = bytes / element;
    }
    Type result = Type::array(to.element(), count);
    uint32_t size = result.size();
    if (size != 1 && size != 2 && size != 4 && size != 8)
      return refuse("an array cast has the size of an integer: 1, 2, 4 or 8 bytes (" +
                    std::to_string(size) + " here)");
    bool fits = result.size() == from.size();
    if (auto *lit = ast::dyn_cast<ast::IntegerLit>(cast->operand); lit && result.size() <= 8)
      fits = result.size() == 8 || (lit->value >> (result.size() * 8)) == 0;
    if (!fits)
      return refuse("both sides of an array cast have the same size (" +
                    std::to_string(from.size()) + " and " + std::to_string(result.size()) +
                    " bytes here)");
    return result;
  }
  if (!to.isInt() || !from.element().isInt())
    return refuse("an integer array can only be cast to an integer");
  if (from.size() != to.size())
    return refuse("both sides of an array cast have the same size (" +
                  std::to_string(from.size()) + " and " + std::to_string(to.size()) +
                  " bytes here)");
  return to;
}

ast::AddrSpace Checker::probeAddrSpace() const {
  for (const auto *spec : specs_)
    if (spec->kind == ast::ProbeKind::Uprobe || spec->kind == ast::ProbeKind::Uretprobe ||
        spec->kind == ast::ProbeKind::Usdt)
      return ast::AddrSpace::User;
  return ast::AddrSpace::Kernel;
}

Type Checker::checkSizeof(ast::Sizeof *node) {
  auto *word = node->operand ? ast::dyn_cast<ast::Builtin>(node->operand) : nullptr;
  Type t;
  if (word && word->id == ast::BuiltinId::Unknown) // sizeof(siginfo_t): a typedef's name
    t = resolveTypeName(ast::TypeName{word->name}, word->range);
  else
    t = node->operand ? check(node->operand) : resolveTypeName(node->type, node->range);
  if (t.isNone())
    return Type::none();
  analysis_.constants[node->id()] = t.size();
  return Type::integer(64, false);
}

} // namespace scry::sema
