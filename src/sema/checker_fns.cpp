// Sema for inlined user functions (issue 3, parser/functions.cpp): the parser binds a
// call's arguments with typed declarations and turns `return v` into an assignment of
// the result variable; here those are checked against the function's signature, and
// type errors are worded as errors of the call or of the return.
#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// Whether a value of type `value` can be passed or returned as `declared`: integers of
// any width (converted), strings that fit, and otherwise the same type.
bool passable(const Type &value, const Type &declared) {
  if (value.isInt() && declared.isInt())
    return true;
  if (value.isString() && declared.isString())
    return value.size() <= declared.size();
  return value == declared;
}

} // namespace

// A parameter or result type of a signature: `string` without a size is a string of
// max_strlen bytes, as a str() result is.
Type Checker::fnType(const ast::TypeName &name, ast::SourceRange where) {
  if (name.base == "string" && name.array == ast::TypeName::kNoArray && name.pointers == 0)
    return Type::string(analysis_.config.max_strlen);
  Type t = resolveTypeName(name, where);
  if (t.isNone())
    return t;
  bool array = t.isArray() && storable(t);
  if (!t.isScalar() && !t.isString() && !array) {
    diags_.error(DiagId::FunctionError, where,
                 "A function's parameters and result can be integers, bools, pointers, "
                 "strings and integer arrays (" + t.str() + " given)");
    return Type::none();
  }
  return t;
}

void Checker::checkFnDecl(ast::VarDecl *decl) {
  const ast::FnDef &fn = *decl->fn;
  bool is_result = decl->fn_param == ast::VarDecl::kFnResult;
  ast::SourceRange where = is_result ? fn.header : fn.params[decl->fn_param].range;
  Type declared = fnType(decl->type, where);
  Type stored = declared;
  if (decl->value) {
    Type value = check(decl->value);
    if (!value.isNone() && !declared.isNone() && !passable(value, declared)) {
      const ast::FnParam &param = fn.params[decl->fn_param];
      diags_.error(DiagId::FunctionError, decl->value->range,
                   "Cannot call function '" + fn.name + "' with a value of type " + value.str() +
                       " for parameter " + param.name + " (" + declared.str() + ")")
          .hint("fn " + fn.signature());
    }
  }
  // Declared even after an error, so that the body's uses do not fail as well.
  scopes_.back()[decl->var->name] = stored;
  typeSlot(decl->var) = stored;
}

void Checker::checkFnReturn(ast::AssignVar *assign) {
  const ast::FnDef &fn = *assign->fn_return;
  Type value = check(assign->value);
  Type *result = lookupVariable(assign->var->name);
  if (value.isNone() || !result || result->isNone())
    return;
  if (!passable(value, *result)) {
    diags_.error(DiagId::FunctionError, assign->range,
                 "Function " + fn.name + " is of type " + fn.result.str() + ", cannot return " +
                     value.str());
    return;
  }
  typeSlot(assign->var) = *result;
}

} // namespace scry::sema
