// Entry point of the front end: script text to AST.
#pragma once

#include <string>

#include "ast/ast.h"
#include "diag/diagnostics.h"

namespace scry::parser {

// Parses `file` into nodes owned by `ctx`. Lexical and syntax errors are reported to
// `diags` (several per run: recovery happens at statement and probe level). Returns
// the program, possibly missing the parts that had errors; never null.
// A leading `#!` line is skipped. `import "x.bt";` adds x.bt as a part of `file` and
// its definitions and probes to the program; relative paths in the main script are
// resolved against `import_dir` (the script's directory, or the working directory
// for -e and stdin), and in an imported file against that file's directory.
ast::Program *parse(diag::SourceFile &file, ast::Context &ctx, diag::Diagnostics &diags,
                    const std::string &import_dir = ".");

} // namespace scry::parser
