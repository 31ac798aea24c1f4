// typeinfo(expr) (bpftrace 0.25, unstable; issue 3): a compile-time record
// (btf_id=0, base_type="int", full_type="uint8") describing the operand's type, which
// is checked but never evaluated. bpftrace 0.26 refuses it unless the config says
// `unstable_typeinfo = enable` (or `warn`, which warns once); so does scry.
#include "sema/checker.h"
#include "sema/typeinfo_names.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

Type Checker::checkTypeinfo(ast::Call *call) {
  if (!allowUnstable("typeinfo", analysis_.config.unstable_typeinfo, typeinfo_warned_,
                     call->range, diags_))
    return Type::none();
  Type t = check(call->args[0]);
  if (t.isNone())
    return Type::none();
  // Strings hold their NUL; bpftrace has no global type ids yet, so btf_id is 0.
  uint32_t base = static_cast<uint32_t>(typeinfoBase(t).size()) + 1;
  uint32_t full = static_cast<uint32_t>(typeinfoFull(t).size()) + 1;
  return Type::tuple({Type::integer(64, false), Type::string(base), Type::string(full)},
                     {"btf_id", "base_type", "full_type"});
}

} // namespace scry::sema
