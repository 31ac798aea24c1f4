// Lowering of script types to the runtime's byte layouts (object::ValueType).
#pragma once

#include "ast/type.h"
#include "object/object.h"

namespace scry::codegen {

object::ValueType toValueType(const ast::Type &type);

// Marks every string of `max_strlen` bytes the runtime decodes (map keys and values,
// printf arguments, print() values) as truncatable: strings that size come from str()
// and other reads limited by max_strlen, and bpftrace prints one that filled its
// buffer followed by `trailer` (config str_trunc_trailer; string_trailers.cpp).
void markTruncatableStrings(object::BpfObject &out, uint32_t max_strlen,
                            const std::string &trailer);

} // namespace scry::codegen
