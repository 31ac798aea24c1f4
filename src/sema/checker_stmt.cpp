// Type checking of probes and statements, and the unification of map types.
#include "sema/checker.h"
#include "sema/key_names.h"

namespace scry::sema {

using diag::DiagId;

ast::Type widen(const ast::Type &t) {
  if (t.isInt()) // an address() is 64 bits already, and keeps printing in hex
    return t.isAddress() ? t : ast::Type::integer(64, t.isSigned());
  if (t.isTuple()) {
    std::vector<ast::Type> elems;
    for (const auto &e : t.elements())
      elems.push_back(widen(e));
    return ast::Type::tuple(std::move(elems), t.names());
  }
  return t;
}

bool storable(const ast::Type &t) {
  if (t.isArray())
    return t.count_of() > 0 &&
           (t.element().isScalar() || (t.element().isArray() && storable(t.element())));
  return t.isScalar() || t.isString() || t.isTuple() || t.isResolved() || t.isBytes() ||
         t.isStack() || t.isSymbol();
}

void Checker::checkProgram(const ast::Program &program) {
  applyConfig(program.config, environment_, analysis_.config, diags_);
  defineStructs(program.structs);  // checker_structs.cpp
  for (const auto *macro : program.macros)
    macro_names_.push_back(macro->name);
  for (const auto *fn : program.functions) // issue 3: user functions, for "did you mean"
    macro_names_.push_back(fn->name);
  declareMaps(program.map_decls);  // checker_decls.cpp
  for (auto *probe : program.probes)
    checkProbe(probe);
  checkMapDeclarations();
}

void Checker::checkProbe(ast::Probe *probe) {
  specs_.clear();
  for (const auto &spec : probes_)
    if (spec.probe == probe)
      specs_.push_back(&spec);
  scopes_.assign(1, {});
  if (probe->predicate) {
    ast::Type t = check(probe->predicate);
    if (!t.isNone() && !t.isScalar())
      diags_.error(DiagId::TypeMismatch, probe->predicate->range,
                   "Invalid type for predicate: " + t.str())
          .hint("a predicate must be an integer, a bool or a pointer");
  }
  checkBlock(probe->body);
}

void Checker::checkBlock(ast::Block *block) {
  scopes_.emplace_back();
  for (auto *stmt : block->stmts)
    checkStmt(stmt);
  scopes_.pop_back();
}

void Checker::checkStmt(ast::Stmt *stmt) {
  switch (stmt->kind()) {
  case ast::NodeKind::ExprStmt: {
    auto *expr = ast::cast<ast::ExprStmt>(stmt)->expr;
    if (auto *call = ast::dyn_cast<ast::Call>(expr)) {
      if (call->id == ast::FuncId::Exit && for_map_depth_ > 0)
        diags_.error(DiagId::InvalidLoop, call->range, "exit() is not allowed in a for-loop")
            .hint("set a variable, break, and call exit() after the loop");
      checkCall(call, CallUse::Statement);
    } else if (auto *block = ast::dyn_cast<ast::BlockExpr>(expr)) {
      typeSlot(block) = checkBlockExpr(block, true);
    } else {
      check(expr);
    }
    return;
  }
  case ast::NodeKind::AssignVar:
    checkAssignVar(ast::cast<ast::AssignVar>(stmt));
    return;
  case ast::NodeKind::AssignMap:
    checkAssignMap(ast::cast<ast::AssignMap>(stmt));
    return;
  case ast::NodeKind::If: {
    auto *node = ast::cast<ast::If>(stmt);
    ast::Type t = check(node->cond);
    if (!t.isNone() && !t.isScalar())
      diags_.error(DiagId::TypeMismatch, node->cond->range,
                   "Invalid condition in if(): " + t.str());
    if (checkConstantIf(node)) // known at compile time: the live branch only (checker_ctfuncs.cpp)
      return;
    checkBlock(node->then_block);
    if (node->else_stmt)
      checkStmt(node->else_stmt);
    return;
  }
  case ast::NodeKind::Return:
    // A for-over-map body is a callback: it cannot leave the probe.
    if (for_map_depth_ > 0)
      diags_.error(DiagId::InvalidLoop, stmt->range,
                   "'return' statement is not allowed in a for-loop");
    else if (value_block_depth_ > 0)
      diags_.error(DiagId::MisplacedReturn, stmt->range,
                   "'return' statement is not allowed in a block used as a value")
          .hint("the probe would stop halfway through the expression; return from a "
                "statement instead");
    if (auto *value = ast::cast<ast::Return>(stmt)->value)
      check(value);
    return;
  case ast::NodeKind::Block:
    checkBlock(ast::cast<ast::Block>(stmt));
    return;
  case ast::NodeKind::VarDecl:
    checkVarDecl(ast::cast<ast::VarDecl>(stmt));
    return;
  case ast::NodeKind::While:
  case ast::NodeKind::Unroll:
  case ast::NodeKind::ForRange:
    checkLoop(stmt);
    return;
  case ast::NodeKind::ForMap:
    checkForMap(ast::cast<ast::ForMap>(stmt)); // checker_loops.cpp
    return;
  case ast::NodeKind::Jump:
    if (loop_depth_ == 0)
      diags_.error(DiagId::JumpOutsideLoop, stmt->range,
                   std::string(ast::cast<ast::Jump>(stmt)->is_break ? "break" : "continue") +
                       " used outside of a loop");
    return;
  case ast::NodeKind::PositionalParam:
  case ast::NodeKind::Cast:
  case ast::NodeKind::Sizeof:
  case ast::NodeKind::Tuple:
  case ast::NodeKind::TupleIndex:
  case ast::NodeKind::Index:
  case ast::NodeKind::IntegerLit:
  case ast::NodeKind::StringLit:
  case ast::NodeKind::Builtin:
  case ast::NodeKind::Variable:
  case ast::NodeKind::MapAccess:
  case ast::NodeKind::Binary:
  case ast::NodeKind::Unary:
  case ast::NodeKind::Ternary:
  case ast::NodeKind::Call:
  case ast::NodeKind::FieldAccess:
  case ast::NodeKind::AttachPoint:
  case ast::NodeKind::Probe:
  case ast::NodeKind::ConfigItem:
  case ast::NodeKind::Program:
  case ast::NodeKind::Offsetof:
  case ast::NodeKind::BlockExpr:
  case ast::NodeKind::StructDef:
  case ast::NodeKind::MacroDef:
  case ast::NodeKind::MapDecl:
    return; // not statements
  }
}

ast::Type *Checker::lookupVariable(const std::string &name) {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end())
      return &found->second;
  }
  return nullptr;
}

void Checker::checkAssignVar(ast::AssignVar *assign) {
  if (assign->fn_return) {
    checkFnReturn(assign); // `return v;` of an inlined fn (checker_fns.cpp)
    return;
  }
  ast::Type value = check(assign->value);
  if (value.isNone()) {
    if (!lookupVariable(assign->var->name))
      failed_vars_.insert(assign->var->name);
    return;
  }
  if (!storable(value)) {
    diags_.error(DiagId::TypeMismatch, assign->value->range,
                 "Value of type " + value.str() + " cannot be assigned to a variable");
    return;
  }
  ast::Type stored = widen(value);
  ast::Type *existing = lookupVariable(assign->var->name);
  if (existing && existing->isNone()) {
    *existing = stored; // declared by `let $x;`: the first assignment decides
    typeSlot(assign->var) = stored;
    return;
  }
  if (existing) {
    bool fits = *existing == stored ||
                (existing->isInt() && stored.isInt()) ||
                (existing->isString() && stored.isString() && stored.size() <= existing->size());
    if (!fits) {
      diags_.error(DiagId::VariableTypeMismatch, assign->range,
                   "Type mismatch for " + assign->var->name + ": trying to assign value of type '" +
                       value.str() + "' when variable already contains a value of type '" +
                       existing->str() + "'");
      return;
    }
    typeSlot(assign->var) = *existing;
    return;
  }
  scopes_.back()[assign->var->name] = stored;
  typeSlot(assign->var) = stored;
}

ast::Type Checker::mapKeyType(ast::MapAccess *map) {
  std::vector<ast::Type> keys;
  for (auto *key : map->keys) {
    ast::Type t = check(key);
    if (t.isNone())
      return t;
    if (!storable(t) || t.isTuple()) {
      diags_.error(DiagId::TypeMismatch, key->range, "Invalid map key type: " + t.str());
      return ast::Type::none();
    }
    keys.push_back(widen(t.isPointer() ? ast::Type::address() : t));
  }
  if (keys.empty())
    return ast::Type::none();
  if (keys.size() == 1)
    return keys[0];
  return ast::Type::tuple(std::move(keys));
}

void Checker::checkAssignMap(ast::AssignMap *assign) {
  ast::Type key = mapKeyType(assign->map);
  if (!assign->map->keys.empty() && key.isNone())
    return;
  // `@x++` and `@x += n` on a map assigned nowhere else start from 0, as in bpftrace.
  if (auto *binary = ast::dyn_cast<ast::Binary>(assign->value);
      binary && !analysis_.maps.count(assign->map->name)) {
    auto *self = ast::dyn_cast<ast::MapAccess>(binary->lhs);
    if (self && self->name == assign->map->name)
      analysis_.maps[assign->map->name] =
          MapInfo{assign->map->name, key, ast::Type::integer(64, true), assign->range,
                  keyNames(*assign->map)};
  }
  ast::Type value;
  if (auto *call = ast::dyn_cast<ast::Call>(assign->value))
    value = typeSlot(call) = checkCall(call, CallUse::MapValue); // as check() records it
  else
    value = check(assign->value);
  if (value.isNone())
    return;
  if (!storable(value) && value.kind() != ast::TypeKind::Count && !value.isAggregation()) {
    diags_.error(DiagId::TypeMismatch, assign->value->range,
                 "Value of type " + value.str() + " cannot be stored in a map");
    return;
  }
  if (value.isTuple() && value.size() == 0) { // BPF maps hold at least one byte
    diags_.error(DiagId::TypeMismatch, assign->value->range,
                 "An empty tuple cannot be stored in a map");
    return;
  }
  if (value.isPointer())
    value = ast::Type::address();
  typeSlot(assign->map) = widen(value);
  unifyMap(assign->map, key, widen(value), assign->range);
}

namespace {

// Whether `next` can be stored where `known` is; strings may be shorter.
bool compatible(const ast::Type &known, const ast::Type &next) {
  if (known.isInt() && next.isInt())
    return true;
  if (known.isAggregation() && next.isAggregation()) // of signed and unsigned values alike
    return known.aggKind() == next.aggKind() && known.histParams() == next.histParams() &&
           known.tseriesParams() == next.tseriesParams();
  if (known.isString() && next.isString())
    return true;
  if (known.isTuple() && next.isTuple()) {
    if (known.elements().size() != next.elements().size() || known.names() != next.names())
      return false;
    for (size_t i = 0; i < known.elements().size(); ++i)
      if (!compatible(known.elements()[i], next.elements()[i]))
        return false;
    return true;
  }
  return known == next;
}

// The type that holds both: the longer string, elementwise for tuples.
ast::Type merge(const ast::Type &a, const ast::Type &b) {
  if (a.isAggregation() && b.isAggregation() && a.aggKind() == ast::AggKind::TSeries)
    return ast::Type::tseries(a.isSigned() || b.isSigned(), a.tseriesParams());
  if (a.isAggregation() && b.isAggregation())
    return ast::Type::aggregation(a.aggKind(), a.isSigned() || b.isSigned(), a.histParams());
  if (a.isString() && b.isString())
    return a.size() >= b.size() ? a : b;
  if (a.isTuple() && b.isTuple()) {
    std::vector<ast::Type> elems;
    for (size_t i = 0; i < a.elements().size(); ++i)
      elems.push_back(merge(a.elements()[i], b.elements()[i]));
    return ast::Type::tuple(std::move(elems), a.names());
  }
  return a;
}

std::string keyList(const ast::Type &key) {
  if (key.isNone())
    return "[]";
  if (!key.isTuple())
    return "[" + key.str() + "]";
  std::string s = "[";
  for (size_t i = 0; i < key.elements().size(); ++i)
    s += (i ? ", " : "") + key.elements()[i].str();
  return s + "]";
}

} // namespace

// "FILE:LINE:COL: text" for a hint that points at another place in the script.
std::string Checker::placeOf(ast::SourceRange range) const {
  const diag::SourceFile *file = diags_.file();
  if (!file)
    return "its first assignment";
  auto lc = file->lineCol(range.begin);
  return file->nameAt(range.begin) + ":" + std::to_string(lc.line) + ":" +
         std::to_string(lc.col) + ": " +
         std::string(file->slice(range));
}

void Checker::unifyMap(ast::MapAccess *map, const ast::Type &key, const ast::Type &value,
                       ast::SourceRange where) {
  auto it = analysis_.maps.find(map->name);
  if (it == analysis_.maps.end()) {
    analysis_.maps[map->name] = MapInfo{map->name, key, value, where, keyNames(*map)};
    return;
  }
  MapInfo &info = it->second;
  // Both places: this one is the error's range, the first one is named in a hint.
  auto firstPlace = [&] { return placeOf(info.first_assignment); };
  if (!compatible(info.value, value)) {
    diags_.error(DiagId::MapValueMismatch, where,
                 "Type mismatch for " + map->name + ": trying to assign value of type '" +
                     value.str() + "' when map already contains a value of type '" +
                     info.value.str() + "'")
        .hint(map->name + " got its type at " + firstPlace());
    return;
  }
  if (!compatible(info.key, key)) {
    diags_.error(DiagId::MapKeyMismatch, map->range,
                 "Argument mismatch for " + map->name + ": trying to access with arguments: " +
                     keyList(key) + " when map expects arguments: " + keyList(info.key))
        .hint(map->name + " got its key type at " + firstPlace());
    return;
  }
  info.value = merge(info.value, value);
  info.key = merge(info.key, key);
}

} // namespace scry::sema

namespace scry::sema {

void Checker::checkVarDecl(ast::VarDecl *decl) {
  if (decl->fn) {
    checkFnDecl(decl); // an inlined fn's parameter or result (checker_fns.cpp)
    return;
  }
  const std::string &name = decl->var->name;
  if (lookupVariable(name)) {
    diags_.error(DiagId::Redeclaration, decl->var->range,
                 "Variable " + name + " was already declared")
        .hint("assign to it instead, or use another name");
    return;
  }
  // `let $s: string` is a string of max_strlen bytes, as a str() result is; `let $s:
  // string[64]` (bpftrace's stdlib declares so) one of 64.
  const ast::TypeName &name_of = decl->type;
  bool any_string = decl->has_type && name_of.base == "string" && name_of.pointers == 0 &&
                    name_of.array == ast::TypeName::kNoArray;
  ast::Type declared = any_string      ? ast::Type::string(analysis_.config.max_strlen)
                       : decl->has_type ? resolveTypeName(decl->type, decl->range)
                                        : ast::Type();
  if (decl->has_type && declared.isNone())
    return;
  bool declared_array = declared.isArray() && storable(declared); // `let $a: uint8[4]`
  if (decl->has_type && !declared.isScalar() && !declared_array && !declared.isString()) {
    diags_.error(DiagId::TypeMismatch, decl->range,
                 "let can declare integers, bools, pointers, strings and integer arrays (" +
                     declared.str() + " given)");
    return;
  }
  // A declared integer type is kept: values assigned later are converted to it.
  ast::Type stored = declared;
  if (decl->value) {
    ast::Type value = check(decl->value);
    if (value.isNone())
      return;
    if (!decl->has_type) {
      stored = widen(value);
    } else if (!(value.isScalar() && stored.isScalar()) && !(declared_array && value == declared) &&
               !(declared.isString() && value.isString() && value.size() <= declared.size())) {
      diags_.error(DiagId::VariableTypeMismatch, decl->value->range,
                   "Type mismatch for " + name + ": trying to assign value of type '" +
                       value.str() + "' to a variable declared '" + declared.str() + "'");
      return;
    }
  }
  scopes_.back()[name] = stored;
  typeSlot(decl->var) = stored;
}

} // namespace scry::sema
