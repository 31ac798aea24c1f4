// Type checking of the builtins whose meaning depends on the probe family: args, argN,
// retval and func. Private to src/sema; Checker::checkBuiltin calls it for those ids.
#pragma once

#include <vector>

#include "sema/sema.h"

namespace scry::sema {

// The type of `builtin` in a probe with attach points `specs`, or none after reporting
// why the probe family cannot provide it (BuiltinNotAvailable, located at the builtin).
ast::Type probeBuiltinType(const ast::Builtin *builtin, const std::vector<const ProbeSpec *> &specs,
                           diag::Diagnostics &diags);

// The N of "argN" (the name is validated by lookupBuiltin).
unsigned argIndex(const ast::Builtin *builtin);

} // namespace scry::sema
