#include "sema/key_names.h"

#include <algorithm>
#include <cctype>

namespace scry::sema {

namespace {

// The name a key expression evidently carries: a builtin's, a variable's, a field's, a
// positional parameter's ("arg1" for $1), or that of a call's or cast's first operand
// (str(args.filename) -> "filename"). "" when there is none.
std::string evidentName(const ast::Expr *expr) {
  if (auto *builtin = ast::dyn_cast<ast::Builtin>(expr))
    return builtin->name;
  if (auto *var = ast::dyn_cast<ast::Variable>(expr))
    return var->name.substr(1);
  if (auto *field = ast::dyn_cast<ast::FieldAccess>(expr))
    return field->field;
  if (auto *param = ast::dyn_cast<ast::PositionalParam>(expr))
    return param->index ? "arg" + std::to_string(param->index) : "";
  if (auto *call = ast::dyn_cast<ast::Call>(expr))
    return call->args.empty() ? call->name : evidentName(call->args.front());
  if (auto *cast = ast::dyn_cast<ast::Cast>(expr))
    return evidentName(cast->operand);
  return "";
}

// Letters, digits and '_' only, not starting with a digit or "__" (reserved by
// Prometheus).
std::string sanitize(std::string name) {
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  while (name.size() > 1 && name[0] == '_' && name[1] == '_')
    name.erase(0, 1);
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0])))
    name.insert(0, "_");
  return name;
}

} // namespace

std::vector<std::string> keyNames(const ast::MapAccess &map) {
  std::vector<std::string> names;
  for (const ast::Expr *key : map.keys) {
    std::string name = sanitize(evidentName(key));
    std::string fallback = "key" + std::to_string(names.size());
    if (name.empty() || std::find(names.begin(), names.end(), name) != names.end())
      name = fallback;
    names.push_back(std::move(name));
  }
  return names;
}

} // namespace scry::sema
