// The builtin, function and probe-kind tables generated from their .def files.
#include <strings.h>

#include "ast/ast.h"

namespace scry::ast {

const char *nodeKindName(NodeKind kind) {
  switch (kind) {
#define EXPR(k)                                                                                    \
  case NodeKind::k:                                                                                \
    return #k;
#define STMT(k) EXPR(k)
#define OTHER(k) EXPR(k)
#include "ast/nodes.def"
  }
  return "?";
}

namespace {

struct FuncRow {
  FuncId id;
  const char *name;
  unsigned min, max;
};
constexpr FuncRow kFunctions[] = {
#define FUNC(id, name, min, max) {FuncId::id, name, min, max},
#include "ast/functions.def"
#undef FUNC
};

struct BuiltinRow {
  BuiltinId id;
  const char *name;
};
constexpr BuiltinRow kBuiltins[] = {
#define BUILTIN(id, name) {BuiltinId::id, name},
#include "ast/builtins.def"
#undef BUILTIN
};

struct ProbeRow {
  ProbeKind id;
  const char *name;
  const char *alias;
};
constexpr ProbeRow kProbes[] = {
#define PROBE(id, name, alias) {ProbeKind::id, name, alias},
#include "ast/probe_kinds.def"
#undef PROBE
};

} // namespace

BuiltinId lookupBuiltin(std::string_view name) {
  if (name.size() > 3 && name.substr(0, 3) == "arg" &&
      name.find_first_not_of("0123456789", 3) == std::string_view::npos)
    return BuiltinId::ArgN;
  if (name.size() > 4 && name.substr(0, 4) == "sarg" &&
      name.find_first_not_of("0123456789", 4) == std::string_view::npos)
    return BuiltinId::SargN;
  for (const auto &row : kBuiltins)
    if (name == row.name)
      return row.id;
  return BuiltinId::Unknown;
}

const char *builtinName(BuiltinId id) {
  for (const auto &row : kBuiltins)
    if (row.id == id)
      return row.name;
  return "?";
}

std::vector<std::string> builtinNames() {
  std::vector<std::string> out;
  for (const auto &row : kBuiltins)
    out.emplace_back(row.name);
  return out;
}

FuncId lookupFunction(std::string_view name) {
  for (const auto &row : kFunctions)
    if (name == row.name)
      return row.id;
  return FuncId::Unknown;
}

const char *functionName(FuncId id) {
  for (const auto &row : kFunctions)
    if (row.id == id)
      return row.name;
  return "?";
}

unsigned functionMinArgs(FuncId id) {
  for (const auto &row : kFunctions)
    if (row.id == id)
      return row.min;
  return 0;
}

unsigned functionMaxArgs(FuncId id) {
  for (const auto &row : kFunctions)
    if (row.id == id)
      return row.max;
  return 0;
}

std::vector<std::string> functionNames() {
  std::vector<std::string> out;
  for (const auto &row : kFunctions)
    out.emplace_back(row.name);
  return out;
}

ProbeKind lookupProbeKind(std::string_view name) {
  for (const auto &row : kProbes) {
    std::string_view n = row.name, a = row.alias;
    if (name.size() == n.size() && strncasecmp(name.data(), n.data(), n.size()) == 0)
      return row.id;
    // Aliases are case-sensitive: "U" is usdt, "u" is uprobe.
    if (!a.empty() && name == a)
      return row.id;
  }
  return ProbeKind::Unknown;
}

const char *probeKindName(ProbeKind kind) {
  switch (kind) {
  case ProbeKind::Begin:
    return "BEGIN";
  case ProbeKind::End:
    return "END";
  default:
    break;
  }
  for (const auto &row : kProbes)
    if (row.id == kind)
      return row.name;
  return "?";
}

std::vector<std::string> probeKindNames() {
  std::vector<std::string> out;
  for (const auto &row : kProbes)
    out.emplace_back(row.name);
  return out;
}

const char *binaryOpSpelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add: return "+";
  case BinaryOp::Sub: return "-";
  case BinaryOp::Mul: return "*";
  case BinaryOp::Div: return "/";
  case BinaryOp::Mod: return "%";
  case BinaryOp::BitAnd: return "&";
  case BinaryOp::BitOr: return "|";
  case BinaryOp::BitXor: return "^";
  case BinaryOp::Shl: return "<<";
  case BinaryOp::Shr: return ">>";
  case BinaryOp::Eq: return "==";
  case BinaryOp::Ne: return "!=";
  case BinaryOp::Lt: return "<";
  case BinaryOp::Le: return "<=";
  case BinaryOp::Gt: return ">";
  case BinaryOp::Ge: return ">=";
  case BinaryOp::LogicalAnd: return "&&";
  case BinaryOp::LogicalOr: return "||";
  }
  return "?";
}

const char *unaryOpSpelling(UnaryOp op) {
  switch (op) {
  case UnaryOp::LogicalNot: return "!";
  case UnaryOp::Neg: return "-";
  case UnaryOp::BitNot: return "~";
  case UnaryOp::Deref: return "*";
  case UnaryOp::AddrOf: return "&";
  }
  return "?";
}

} // namespace scry::ast
