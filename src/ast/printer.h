// The AST printer behind `-d ast`: one node per line, indented by depth, with each
// node's salient attributes (names, operators, literal values). Stable output: the
// golden tests in tests/golden compare it byte for byte.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

#include "ast/ast.h"

namespace scry::ast {

void print(const Node *node, std::ostream &out);
// The same with `annotate(node)`, when not empty, after each node's line as ` :: TEXT`
// (`-d types` and the golden type dumps give each expression's type this way).
void print(const Node *node, std::ostream &out,
           const std::function<std::string(const Node *)> &annotate);
// The same, leaving out the value of each integer literal for which `hide_value` says
// so (codegen/body_classes.cpp compares bodies that differ only in such values).
void print(const Node *node, std::ostream &out,
           const std::function<std::string(const Node *)> &annotate,
           const std::function<bool(const IntegerLit *)> &hide_value);

} // namespace scry::ast
