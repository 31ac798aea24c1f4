// Placeholder: the AST printer lands with the parser.
#include "ast/printer.h"

namespace scry::ast {
void print(const Node *, std::ostream &) {}
} // namespace scry::ast
