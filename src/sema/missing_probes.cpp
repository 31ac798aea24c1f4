// The missing_probes setting, read ahead of the rest of the config block: attach-point
// expansion, which runs before type checking, already needs to know whether a
// tracepoint or symbol that does not exist is an error (issue 4). applyConfig skips the
// key, so it is reported once, here.
#include "sema/probe_families.h"
#include "sema/sema.h"

namespace scry::sema {

using diag::DiagId;

namespace {

constexpr const char *kValues = "valid values are ignore, warn, and error";

} // namespace

support::MissingProbes readMissingProbes(
    const ast::Program &program,
    const std::vector<std::pair<std::string, std::string>> &environment,
    diag::Diagnostics &diags) {
  support::MissingProbes mode = support::MissingProbes::Error;
  for (const auto *item : program.config) {
    if (item->key != "missing_probes")
      continue;
    auto *text = ast::dyn_cast<ast::StringLit>(item->value);
    if (!text || !support::parseMissingProbes(text->value, mode))
      diags.error(DiagId::ConfigKey, item->value->range,
                  std::string("Invalid value for missing_probes: ") + kValues);
  }
  for (const auto &[name, value] : environment) // the environment wins, as in bpftrace
    if (name == "BPFTRACE_MISSING_PROBES" && !support::parseMissingProbes(value, mode))
      diags.error(DiagId::ConfigKey, "Invalid value for BPFTRACE_MISSING_PROBES=" + value +
                                         ": " + kValues);
  return mode;
}

void reportMissing(FamilyContext &ctx, const ProbeSpec &spec, DiagId id,
                   const std::string &message, const std::string &hint) {
  ast::SourceRange where = spec.attach_point->range;
  switch (ctx.options.missing_probes) {
  case support::MissingProbes::Error: {
    auto &d = ctx.diags.error(id, where, message);
    if (!hint.empty())
      d.hint(hint);
    d.hint("If this is expected, set the 'missing_probes' config variable to 'warn' or "
           "'ignore'.");
    return;
  }
  case support::MissingProbes::Warn: {
    auto &d = ctx.diags.warning(id, where, message + ". Skipping.");
    if (!hint.empty())
      d.hint(hint);
    return;
  }
  case support::MissingProbes::Ignore:
    return;
  }
}

} // namespace scry::sema
