// The AST printer behind `-d ast`: one node per line, indented by depth, with each
// node's salient attributes (names, operators, literal values). Stable output: the
// golden tests in tests/golden compare it byte for byte.
#pragma once

#include <iosfwd>

#include "ast/ast.h"

namespace scry::ast {

void print(const Node *node, std::ostream &out);

} // namespace scry::ast
