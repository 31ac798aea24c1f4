// Folding of string literals joined with `+` (see constant_strings.h).
#include "sema/constant_strings.h"

namespace scry::sema {

bool constantString(const ast::Expr *e, std::string &out) {
  if (auto *lit = ast::dyn_cast<ast::StringLit>(e)) {
    out = lit->value;
    return true;
  }
  auto *binary = ast::dyn_cast<ast::Binary>(e);
  if (!binary || binary->op != ast::BinaryOp::Add)
    return false;
  std::string lhs;
  if (!constantString(binary->lhs, lhs))
    return false;
  if (auto *offset = ast::dyn_cast<ast::IntegerLit>(binary->rhs)) {
    out = offset->value < lhs.size() ? lhs.substr(offset->value) : "";
    return true;
  }
  std::string rhs;
  if (!constantString(binary->rhs, rhs))
    return false;
  out = lhs + rhs;
  return true;
}

} // namespace scry::sema
