// Entry point of the front end: script text to AST.
#pragma once

#include "ast/ast.h"
#include "diag/diagnostics.h"

namespace scry::parser {

// Parses `file` into nodes owned by `ctx`. Lexical and syntax errors are reported to
// `diags` (several per run: recovery happens at statement and probe level). Returns
// the program, possibly missing the parts that had errors; never null.
// A leading `#!` line is skipped.
ast::Program *parse(const diag::SourceFile &file, ast::Context &ctx, diag::Diagnostics &diags);

} // namespace scry::parser
