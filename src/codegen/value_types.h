// Lowering of script types to the runtime's byte layouts (object::ValueType).
#pragma once

#include "ast/type.h"
#include "object/object.h"

namespace scry::codegen {

object::ValueType toValueType(const ast::Type &type);

} // namespace scry::codegen
