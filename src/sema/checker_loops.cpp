// Type checking of loops: while, unroll, for over a range, and for over a map, whose
// variable is a (key, value) tuple: `for ($kv : @m)` gives $kv.0 the key (a tuple for
// a map with several keys) and $kv.1 the value (an aggregation's value combined over
// the CPUs, as reading @m[k] gives).
#include "sema/checker.h"

namespace scry::sema {

using diag::DiagId;

void Checker::checkLoop(ast::Stmt *loop) {
  ast::Block *body = nullptr;
  scopes_.emplace_back();
  if (auto *w = ast::dyn_cast<ast::While>(loop)) {
    ast::Type cond = check(w->cond);
    if (!cond.isNone() && !cond.isScalar())
      diags_.error(DiagId::TypeMismatch, w->cond->range, "Invalid condition in while(): " +
                                                             cond.str());
    body = w->body;
  } else if (auto *u = ast::dyn_cast<ast::Unroll>(loop)) {
    auto *count = ast::dyn_cast<ast::IntegerLit>(u->count);
    check(u->count);
    if (!count)
      diags_.error(DiagId::InvalidLoop, u->count->range, "unroll count must be an integer literal");
    else if (count->value < 1)
      diags_.error(DiagId::InvalidLoop, u->count->range, "unroll minimum value is 1");
    else if (count->value > 100)
      diags_.error(DiagId::InvalidLoop, u->count->range, "unroll maximum value is 100");
    // break and continue inside unroll would leave the copied body: not loops.
    body = u->body;
    scopes_.pop_back();
    checkBlock(body);
    return;
  } else {
    auto *f = ast::cast<ast::ForRange>(loop);
    for (auto *bound : {f->start, f->end}) {
      ast::Type t = check(bound);
      if (!t.isNone() && !t.isInt())
        diags_.error(DiagId::InvalidLoop, bound->range,
                     "Loop range bounds must be integers (" + t.str() + " given)");
    }
    if (lookupVariable(f->var->name))
      diags_.error(DiagId::Redeclaration, f->var->range,
                   "Variable " + f->var->name + " was already declared");
    ast::Type var = ast::Type::integer(64, true);
    scopes_.back()[f->var->name] = var;
    typeSlot(f->var) = var;
    body = f->body;
  }
  ++loop_depth_;
  checkBlock(body);
  --loop_depth_;
  scopes_.pop_back();
}

ast::Type Checker::forMapElementType(ast::ForMap *loop) {
  ast::MapAccess *map = loop->map;
  if (!map->keys.empty()) {
    diags_.error(DiagId::InvalidLoop, map->range,
                 "A for-loop iterates over a whole map: write " + map->name + ", not " +
                     map->name + "[...]");
    return ast::Type::none();
  }
  auto it = analysis_.maps.find(map->name);
  if (it == analysis_.maps.end()) {
    diags_.error(DiagId::MapUsedAsValue, map->range, "Undefined map: " + map->name)
        .hint("assign a value to " + map->name + " somewhere in the script");
    return ast::Type::none();
  }
  const MapInfo &info = it->second;
  if (info.key.isNone()) {
    diags_.error(DiagId::InvalidLoop, map->range,
                 map->name + " is a scalar map (it has no keys): it cannot be iterated");
    return ast::Type::none();
  }
  ast::Type value = info.value;
  if (value.kind() == ast::TypeKind::Count) {
    value = ast::Type::integer(64, false);
  } else if (value.isAggregation()) {
    switch (value.aggKind()) {
    case ast::AggKind::Sum:
    case ast::AggKind::Min:
    case ast::AggKind::Max:
    case ast::AggKind::Avg:
      value = ast::Type::integer(64, value.isSigned());
      break;
    case ast::AggKind::Stats:
    case ast::AggKind::Hist:
    case ast::AggKind::LHist:
    case ast::AggKind::TSeries:
      diags_.error(DiagId::InvalidLoop, map->range,
                   "Loop expression does not support type: " + value.str())
          .hint("print(" + map->name + ") prints it");
      return ast::Type::none();
    }
  }
  typeSlot(map) = info.value;
  return ast::Type::tuple({info.key, value});
}

void Checker::checkForMap(ast::ForMap *loop) {
  ast::Type element = forMapElementType(loop);
  if (lookupVariable(loop->var->name))
    diags_.error(DiagId::Redeclaration, loop->var->range,
                 "Loop declaration shadows existing variable: " + loop->var->name);
  if (element.isNone())
    return;
  scopes_.emplace_back();
  scopes_.back()[loop->var->name] = element;
  typeSlot(loop->var) = element;
  ++loop_depth_;
  ++for_map_depth_;
  checkBlock(loop->body);
  --for_map_depth_;
  --loop_depth_;
  scopes_.pop_back();
}

} // namespace scry::sema
