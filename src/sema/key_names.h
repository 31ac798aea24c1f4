// Names for the parts of a map's key, taken from the expressions that first index it:
// `@bytes[comm, pid]` -> {"comm", "pid"}, `@[args.filename]` -> {"filename"},
// `@[str($path)]` -> {"path"}. The Prometheus exporter turns them into label names, so
// each is a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading "__"), unique within
// the key; a part with no evident name is "key<N>".
#pragma once

#include <string>
#include <vector>

#include "ast/ast.h"

namespace scry::sema {

std::vector<std::string> keyNames(const ast::MapAccess &map);

} // namespace scry::sema
