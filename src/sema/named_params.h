// getopt() named parameters (bpftrace 0.24; the description argument 0.25): the
// script's getopt("name"[, default[, "description"]]) calls declare options that the
// command line sets after the script (`scry s.bt -- --name=value --flag`). The driver
// collects the declarations right after parsing, so `-- --help` can list them without
// compiling, and applies the command line's values; the checker then types each call
// (bool, int64 or string, from the default) and codegen emits the value as a constant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "diag/diagnostics.h"

namespace scry::sema {

enum class NamedParamKind { Bool, Int, String };

struct NamedParam {
  std::string name;
  NamedParamKind kind = NamedParamKind::Bool;
  std::string description;
  // The default, then the value: the command line's when it sets the option.
  int64_t int_value = 0;  // Int; Bool as 0 or 1
  std::string str_value;  // String
  std::string default_text; // the default as the help and errors print it
  ast::SourceRange range;   // the first getopt() call naming it
};

// The options `program`'s probes declare, in source order, one per name (the first
// call's default and description win; the checker reports calls that disagree). Calls
// whose arguments are not literals of the right kinds are left to the checker.
std::vector<NamedParam> collectNamedParams(const ast::Program &program);

// Sets the values of `params` from the command line's named arguments, each "name" or
// "name=value" (the text after "--"). "help" is not an option: the driver lists them.
// Errors, as bpftrace words them, carry no location: unknown options (with a hint
// naming the expected ones), values that do not fit the option's type.
void applyNamedArgs(std::vector<NamedParam> &params, const std::vector<std::string> &args,
                    diag::Diagnostics &diags);

// What `-- --help` prints: one line per option with its type, description and default.
std::string namedParamsHelp(const std::vector<NamedParam> &params);

// The option `call` (a getopt() call) reads; null when it was not collected.
const NamedParam *findNamedParam(const std::vector<NamedParam> &params, const ast::Call *call);

} // namespace scry::sema
