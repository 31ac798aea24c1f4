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

// `let @m[a, b]`: Prometheus label names, unique, and not the reserved `__` prefix.
bool Checker::checkLabels(const ast::MapDecl &decl) {
  bool ok = true;
  for (size_t i = 0; i < decl.labels.size(); ++i) {
    const std::string &label = decl.labels[i];
    if (label.starts_with("__")) {
      diags_.error(DiagId::MapDeclaration, decl.label_ranges[i],
                   "Label names starting with '__' are reserved by Prometheus: " + label);
      ok = false;
    }
    for (size_t j = 0; j < i; ++j)
      if (decl.labels[j] == label) {
        diags_.error(DiagId::MapDeclaration, decl.label_ranges[i],
                     "Map " + decl.map + " names two key parts '" + label + "'");
        ok = false;
        break;
      }
  }
  return ok;
}

void Checker::declareMaps(const std::vector<ast::MapDecl *> &decls) {
  analysis_.map_decls.clear();
  for (auto *decl : decls) {
    if (!checkLabels(*decl))
      continue;
    if (decl->map_kind.empty()) { // `let @m[a, b];`: names only
      if (decl->map == "@") {
        diags_.error(DiagId::MapDeclaration, decl->range, "The anonymous map @ cannot be declared");
        continue;
      }
      MapDeclInfo info{MapKind::Hash, 0, decl->range, decl->labels, decl->labels_range};
      if (!analysis_.map_decls.emplace(decl->map, std::move(info)).second)
        diags_.error(DiagId::MapDeclaration, decl->range, "Map " + decl->map + " is declared twice");
      continue;
    }
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
        MapDeclInfo{found->kind, static_cast<uint32_t>(decl->max_entries), decl->range,
                    decl->labels, decl->labels_range});
    if (!inserted)
      diags_.error(DiagId::MapDeclaration, decl->range, "Map " + decl->map + " is declared twice");
  }
}

// The declared labels replace the names taken from the key expressions; there must
// be one per key part.
void Checker::applyLabels(const std::string &name, const MapDeclInfo &decl, MapInfo &info) {
  size_t parts = info.key.isNone() ? 0 : info.key.isTuple() ? info.key.elements().size() : 1;
  if (parts != decl.labels.size()) {
    diags_.error(DiagId::MapDeclaration, decl.labels_range,
                 "Map " + name + " is declared with " + std::to_string(decl.labels.size()) +
                     " key part name" + (decl.labels.size() == 1 ? "" : "s") + " but its key has " +
                     std::to_string(parts) + " part" + (parts == 1 ? "" : "s"))
        .hint(name + " got its key at " + placeOf(info.first_assignment));
    return;
  }
  info.key_names = decl.labels;
}

// After every probe: a declared map must be used, and used as its kind allows.
void Checker::checkMapDeclarations() {
  for (const auto &[name, decl] : analysis_.map_decls) {
    auto it = analysis_.maps.find(name);
    if (it == analysis_.maps.end()) {
      diags_.warning(DiagId::UnusedMap, decl.range, "Unused map: " + name);
      continue;
    }
    MapInfo &info = it->second;
    if (!decl.labels.empty())
      applyLabels(name, decl, info);
    if (decl.max_entries == 0)
      continue; // labels only: the map keeps the type its values give it
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
