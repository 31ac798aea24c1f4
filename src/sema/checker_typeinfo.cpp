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
  switch (analysis_.config.unstable_typeinfo) {
  case Config::Unstable::Error:
    diags_.error(DiagId::UnstableFeature, call->range,
                 "typeinfo feature is not enabled by default. To enable this unstable "
                 "feature, set the config flag to enable. unstable_typeinfo=enable");
    return Type::none();
  case Config::Unstable::Warn:
    if (!typeinfo_warned_) // bpftrace's warning names no place, and comes once
      diags_.warning(DiagId::UnstableFeature,
                     "Script is using an unstable feature: typeinfo. To prevent this "
                     "warning you must explicitly enable it in the config e.g. "
                     "unstable_typeinfo=enable");
    typeinfo_warned_ = true;
    break;
  case Config::Unstable::Enable:
    break;
  }
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
