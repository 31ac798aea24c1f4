// Map declarations of the preamble: `let @m = hash(N);`, `lruhash`, `percpuhash` and
// `percpulruhash` (bpftrace 0.24, stable in 0.25). A declaration sets the map's BPF
// type and size; its uses must suit the type: per-CPU maps hold aggregations such as
// count(), the others plain values.
#include "sema/checker.h"
#include "support/strings.h"

namespace scry::sema {

using diag::DiagId;

namespace {

struct KindName {
  const char *name;
  MapKind kind;
};

constexpr KindName kKinds[] = {
    {"hash", MapKind::Hash},
    {"lruhash", MapKind::LruHash},
    {"percpuhash", MapKind::PercpuHash},
    {"percpulruhash", MapKind::PercpuLruHash},
};

bool isPerCpu(MapKind kind) {
  switch (kind) {
  case MapKind::Hash:
  case MapKind::LruHash:
    return false;
  case MapKind::PercpuHash:
  case MapKind::PercpuLruHash:
    return true;
  }
  return false;
}

// Largest size accepted: the kernel allows more, but memory is allocated up front.
constexpr uint64_t kMaxEntries = 1u << 24;

} // namespace

const char *mapKindName(MapKind kind) {
  for (const auto &row : kKinds)
    if (row.kind == kind)
      return row.name;
  return "?";
}

void Checker::declareMaps(const std::vector<ast::MapDecl *> &decls) {
  analysis_.map_decls.clear();
  for (auto *decl : decls) {
    const KindName *found = nullptr;
    for (const auto &row : kKinds)
      if (decl->map_kind == row.name)
        found = &row;
    if (!found) {
      std::vector<std::string> names;
      for (const auto &row : kKinds)
        names.emplace_back(row.name);
      auto &d = diags_.error(DiagId::MapDeclaration, decl->kind_range,
                             "Invalid bpf map type: " + decl->map_kind);
      std::string guess = support::closestMatch(decl->map_kind, names);
      d.hint(guess.empty() ? "valid map types: " + support::join(names, ", ")
                           : "did you mean '" + guess + "'?");
      continue;
    }
    if (decl->map == "@") {
      diags_.error(DiagId::MapDeclaration, decl->range, "The anonymous map @ cannot be declared");
      continue;
    }
    if (decl->max_entries == 0 || decl->max_entries > kMaxEntries) {
      diags_.error(DiagId::MapDeclaration, decl->range,
                   "Map " + decl->map + ": max entries must be between 1 and " +
                       std::to_string(kMaxEntries) + " (" +
                       std::to_string(decl->max_entries) + " given)");
      continue;
    }
    auto [it, inserted] = analysis_.map_decls.emplace(
        decl->map,
        MapDeclInfo{found->kind, static_cast<uint32_t>(decl->max_entries), decl->range});
    if (!inserted)
      diags_.error(DiagId::MapDeclaration, decl->range, "Map " + decl->map + " is declared twice");
  }
}

// After every probe: a declared map must be used, and used as its kind allows.
void Checker::checkMapDeclarations() {
  for (const auto &[name, decl] : analysis_.map_decls) {
    auto it = analysis_.maps.find(name);
    if (it == analysis_.maps.end()) {
      diags_.warning(DiagId::UnusedMap, decl.range, "Unused map: " + name);
      continue;
    }
    const MapInfo &info = it->second;
    bool aggregation =
        info.value.kind() == ast::TypeKind::Count || info.value.isAggregation();
    if (aggregation == isPerCpu(decl.kind))
      continue;
    diags_.error(DiagId::MapDeclaration, info.first_assignment,
                 "Incompatible map types. Type from declaration: " +
                     std::string(mapKindName(decl.kind)) + ". Type from value/key type: " +
                     (aggregation ? "percpuhash" : "hash"))
        .hint(aggregation ? "aggregations such as count() need a per-CPU map: declare " + name +
                                " with percpuhash() or percpulruhash()"
                          : "a per-CPU map holds aggregations such as count() or sum(); "
                            "declare " + name + " with hash() or lruhash()");
  }
}

} // namespace scry::sema
