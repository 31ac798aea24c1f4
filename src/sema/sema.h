// The semantic pass: attach-point expansion, then type resolution and checking.
// Input: the parsed Program and a btf::TypeSource. Output: the expanded probes and an
// Analysis (a type for every expression, the unified type of every map, the config).
// Errors go to diag::Diagnostics; the driver stops when any was reported.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "ast/type.h"
#include "btf/type_source.h"
#include "diag/diagnostics.h"

namespace scry::sema {

// Settings from the script's `config = { ... }` block.
struct Config {
  uint32_t max_strlen = btf::kDefaultMaxStrlen;
  uint32_t max_map_keys = 4096;
};

// One attach point after expansion (a wildcard yields several).
struct ProbeSpec {
  ast::Probe *probe = nullptr;
  const ast::AttachPoint *attach_point = nullptr;
  ast::ProbeKind kind = ast::ProbeKind::Unknown;
  std::string name;            // canonical: "BEGIN", "tracepoint:cat:event", "interval:ms:500"
  std::string category, event; // Tracepoint
  uint64_t period_ns = 0;      // Interval
  std::shared_ptr<const ast::RecordType> args; // Tracepoint
};

// Splits, validates and expands every attach point of `program`, in source order.
// Tracepoint argument layouts are read here (only for the tracepoints named).
std::vector<ProbeSpec> expandAttachPoints(const ast::Program &program, btf::TypeSource &types,
                                          diag::Diagnostics &diags);

struct MapInfo {
  std::string name;
  ast::Type key;   // None: a scalar map; one key's type; or a Tuple for `@m[a, b]`
  ast::Type value; // integers are widened to 64 bits; Count for count()
  ast::SourceRange first_assignment;
};

struct Analysis {
  Config config;
  std::vector<ast::Type> types;          // indexed by ast::Node::id()
  std::map<std::string, MapInfo> maps;   // sorted by name
  const ast::Type &typeOf(const ast::Node *node) const { return types.at(node->id()); }
};

// Types every expression of `program` given its expanded probes.
Analysis resolveTypes(const ast::Program &program, ast::Context &ctx,
                      const std::vector<ProbeSpec> &probes, diag::Diagnostics &diags);

} // namespace scry::sema
