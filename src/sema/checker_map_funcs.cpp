// Type checking of the map functions: print (of a map or of a value), clear, zero,
// delete, len and has_key. A map argument is a bare `@m` naming a known map; it is not
// evaluated, so it gets no type of its own.
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// `args`, or a struct held in it (args.s): print() shows it as `{ .a = 1, ... }`.
bool isArgsRecord(const ast::Expr *expr) {
  while (auto *field = ast::dyn_cast<ast::FieldAccess>(expr))
    expr = field->base;
  auto *builtin = ast::dyn_cast<ast::Builtin>(expr);
  return builtin && builtin->id == ast::BuiltinId::Args;
}

// Whether a key of type `given` can look up a map keyed by `want` (both widened).
bool keyFits(const Type &want, const Type &given) {
  if (want.isInt() && (given.isInt() || given.isBool() || given.isPointer()))
    return true;
  if (want.isString() && given.isString())
    return true;
  if (want.isBytes()) // buffers, addresses: of the same kind and size
    return want == given;
  if (want.isStack() || want.isSymbol()) // of the same kind, mode and limit
    return want == given;
  if (want.isTuple() && given.isTuple()) {
    if (want.elements().size() != given.elements().size())
      return false;
    for (size_t i = 0; i < want.elements().size(); ++i)
      if (!keyFits(want.elements()[i], given.elements()[i]))
        return false;
    return true;
  }
  return false;
}

} // namespace

const MapInfo *Checker::checkMapArg(ast::Call *call, size_t index, bool keys_allowed) {
  auto *map = ast::dyn_cast<ast::MapAccess>(call->args[index]);
  if (!map) {
    check(call->args[index]);
    diags_.error(DiagId::ArgumentType, call->args[index]->range,
                 call->name + "() expects a map argument")
        .hint("pass the map itself, e.g. " + call->name + "(@name)");
    return nullptr;
  }
  if (!keys_allowed && !map->keys.empty()) {
    for (auto *key : map->keys)
      check(key);
    diags_.error(DiagId::ArgumentType, map->range,
                 call->name + "() expects a map, not one of its elements")
        .hint("write " + call->name + "(" + map->name + ")");
    return nullptr;
  }
  auto it = analysis_.maps.find(map->name);
  if (it == analysis_.maps.end()) {
    for (auto *key : map->keys)
      check(key);
    diags_.error(DiagId::MapUsedAsValue, map->range, "Undefined map: " + map->name);
    return nullptr;
  }
  return &it->second;
}

// The key of delete(@m, k) / has_key(@m, k), or of delete(@m[k]).
bool Checker::checkMapKeyArg(const MapInfo &info, ast::Expr *key, ast::MapAccess *indexed) {
  Type given = indexed ? mapKeyType(indexed) : check(key);
  ast::SourceRange where = indexed ? indexed->range : key->range;
  if (indexed && !indexed->keys.empty() && given.isNone())
    return false;
  if (!indexed && given.isNone())
    return false;
  if (info.key.isNone() != given.isNone() ||
      (!info.key.isNone() && !keyFits(info.key, widen(given)))) {
    diags_.error(DiagId::MapKeyMismatch, where,
                 "Argument mismatch for " + info.name + ": trying to access with a key of type " +
                     (given.isNone() ? std::string("none") : given.str()) +
                     " when map expects " + (info.key.isNone() ? "no key" : info.key.str()));
    return false;
  }
  return true;
}

// A tseries map keeps an element per key and interval (codegen/emit_tseries.cpp):
// deleting, finding or counting keys does not apply to it.
static bool isTseries(const MapInfo *info) {
  return info && info->value.isAggregation() && info->value.aggKind() == ast::AggKind::TSeries;
}

void Checker::refuseTseries(ast::Call *call, const MapInfo *info) {
  if (isTseries(info))
    diags_.error(DiagId::ArgumentType, call->range,
                 call->name + "() cannot be used on tseries map " + info->name)
        .hint("clear(" + info->name + ") empties it");
}

Type Checker::checkLen(ast::Call *call) {
  refuseTseries(call, checkMapArg(call, 0, false));
  return Type::integer(64, true);
}

// Both return a bool: whether the key was there (and, for delete, was deleted).
Type Checker::checkDeleteOrHasKey(ast::Call *call) {
  if (call->args.size() == 1) { // delete(@m[k]), the pre-0.22 form; delete(@scalar)
    auto *map = ast::dyn_cast<ast::MapAccess>(call->args[0]);
    if (const MapInfo *info = checkMapArg(call, 0, true)) {
      checkMapKeyArg(*info, nullptr, map);
      refuseTseries(call, info);
    }
    return Type::boolean();
  }
  const MapInfo *info = checkMapArg(call, 0, false);
  refuseTseries(call, info);
  if (!info)
    check(call->args[1]);
  else
    checkMapKeyArg(*info, call->args[1], nullptr);
  return Type::boolean();
}

void Checker::checkPrint(ast::Call *call) {
  auto *map = ast::dyn_cast<ast::MapAccess>(call->args[0]);
  if (map && map->keys.empty()) { // print(@m[, top[, div]]): the whole map
    const MapInfo *info = checkMapArg(call, 0, false);
    for (size_t i = 1; i < call->args.size(); ++i) {
      Type t = check(call->args[i]);
      if (!t.isNone() && !t.isInt())
        diags_.error(DiagId::ArgumentType, call->args[i]->range,
                     std::string("print() ") + (i == 1 ? "top" : "div") +
                         " must be an integer (" + t.str() + " provided)");
    }
    if (info && call->args.size() > 1 && info->value.isAggregation() &&
        info->value.aggKind() == ast::AggKind::Stats)
      diags_.warning(DiagId::ArgumentType, call->range,
                     "print()'s top and div arguments are ignored when used on stats() maps.");
    return;
  }
  Type value = check(call->args[0]);
  for (size_t i = 1; i < call->args.size(); ++i)
    check(call->args[i]);
  if (call->args.size() != 1) {
    diags_.error(DiagId::ArgumentCount, call->range,
                 "Non-map print() only takes 1 argument, " + std::to_string(call->args.size()) +
                     " found");
    return;
  }
  if (!value.isNone() && !storable(value) &&
      !(value.isRecord() && isArgsRecord(call->args[0]))) // print(args) (issue 4)
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 value.str() + " type passed to print() is not printable");
}

} // namespace scry::sema
