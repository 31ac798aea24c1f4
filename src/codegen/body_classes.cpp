// Classes of probes that can share one program. See body_classes.h.
#include "codegen/body_classes.h"

#include <map>
#include <sstream>
#include <string>
#include <unordered_set>

#include "ast/printer.h"

namespace scry::codegen {

namespace {

// Attach points whose groups can hold several probes (probe_groups.h): tracepoints by
// BPF cookie, raw tracepoint or the syscall table, uprobes and kprobes by multi-link.
bool sharesPrograms(ast::ProbeKind kind) {
  switch (kind) {
  case ast::ProbeKind::Tracepoint:
  case ast::ProbeKind::Kprobe:
  case ast::ProbeKind::Kretprobe:
  case ast::ProbeKind::Uprobe:
  case ast::ProbeKind::Uretprobe:
    return true;
  case ast::ProbeKind::Begin:
  case ast::ProbeKind::End:
  case ast::ProbeKind::Interval:
  case ast::ProbeKind::Profile:
  case ast::ProbeKind::Software:
  case ast::ProbeKind::Hardware:
  case ast::ProbeKind::RawTracepoint:
  case ast::ProbeKind::Fentry:
  case ast::ProbeKind::Fexit:
  case ast::ProbeKind::Kfunc:
  case ast::ProbeKind::Kretfunc:
  case ast::ProbeKind::Usdt:
  case ast::ProbeKind::Watchpoint:
  case ast::ProbeKind::Iter:
  case ast::ProbeKind::Self:
  case ast::ProbeKind::Unknown:
    return false;
  }
  return false;
}

// What a walk of one probe's predicate and body finds.
struct Walk {
  std::vector<const ast::IntegerLit *> operands; // literals read only as run-time values
  bool shareable = true;
};

// Whether `child`, a literal under `parent`, is only ever a run-time operand: codegen
// emits it through emitScalar and nothing reads its value at compile time.
bool isOperand(const ast::Node *parent, const ast::Node *child) {
  if (ast::isa<ast::MapAccess>(parent) || ast::isa<ast::Binary>(parent)) // a key, an operand
    return true;
  if (auto *call = ast::dyn_cast<ast::Call>(parent)) // a value printf() formats
    return call->id == ast::FuncId::Printf && call->args.front() != child;
  auto *assign = ast::dyn_cast<ast::AssignMap>(parent);
  return assign && assign->value == child;
}

void walk(ast::Node *root, const sema::Analysis &analysis, Walk &out) {
  std::vector<std::pair<ast::Node *, ast::Node *>> todo{{root, nullptr}}; // node, parent
  std::vector<std::pair<ast::Node *, ast::Node *>> children;
  while (!todo.empty()) {
    ast::Node *node = todo.back().first, *parent = todo.back().second;
    todo.pop_back();
    if (auto *literal = ast::dyn_cast<ast::IntegerLit>(node); literal && parent &&
                                                              isOperand(parent, node))
      out.operands.push_back(literal);
    // errorf() and warnf() print where they are in the script; uaddr() of a PIE
    // symbol is relative to each attach point.
    if (auto *call = ast::dyn_cast<ast::Call>(node);
        call && (call->id == ast::FuncId::Errorf || call->id == ast::FuncId::Warnf))
      out.shareable = false;
    if (analysis.pie_offsets.count(node->id()))
      out.shareable = false;
    children.clear();
    ast::forEachChild(node, [&](ast::Node *child) { children.push_back({child, node}); });
    todo.insert(todo.end(), children.rbegin(), children.rend());
  }
}

// The probe's shape: its kind, then its predicate and body as printed with each node's
// type and sema facts, operand literals without their values.
std::string shapeOf(const ast::Probe *probe, ast::ProbeKind kind, const sema::Analysis &analysis,
                    const std::unordered_set<const ast::IntegerLit *> &operands) {
  auto annotate = [&](const ast::Node *n) {
    std::string note = analysis.typeLabel(n);
    if (auto it = analysis.constants.find(n->id()); it != analysis.constants.end())
      note += " =" + std::to_string(it->second);
    if (auto it = analysis.ksym_shapes.find(n->id()); it != analysis.ksym_shapes.end())
      note += " ksym " + it->second;
    if (auto *stmt = ast::dyn_cast<ast::ExprStmt>(n); stmt && stmt->is_value)
      note += " value";
    return note;
  };
  auto hide = [&](const ast::IntegerLit *literal) { return operands.count(literal) > 0; };
  std::ostringstream out;
  out << ast::probeKindName(kind) << '\n';
  if (probe->predicate)
    ast::print(probe->predicate, out, annotate, hide);
  out << "--\n";
  ast::print(probe->body, out, annotate, hide);
  return out.str();
}

} // namespace

BodyClasses::BodyClasses(const std::vector<sema::ProbeSpec> &probes,
                         const sema::Analysis &analysis) {
  // Each probe once, in source order, with the kind of all its attach points.
  std::vector<const ast::Probe *> order;
  std::unordered_map<const ast::Probe *, ast::ProbeKind> kind_of;
  std::unordered_set<const ast::Probe *> mixed;
  for (const auto &spec : probes) {
    auto [it, inserted] = kind_of.try_emplace(spec.probe, spec.kind);
    if (inserted)
      order.push_back(spec.probe);
    else if (it->second != spec.kind)
      mixed.insert(spec.probe);
  }
  std::map<std::string, std::vector<const ast::Probe *>> classes;
  std::unordered_map<const ast::Probe *, std::vector<const ast::IntegerLit *>> operands;
  for (const ast::Probe *probe : order) {
    class_of_[probe] = probe;
    ast::ProbeKind kind = kind_of.at(probe);
    if (mixed.count(probe) || !sharesPrograms(kind))
      continue;
    Walk found;
    if (probe->predicate)
      walk(probe->predicate, analysis, found);
    walk(probe->body, analysis, found);
    if (!found.shareable)
      continue;
    std::unordered_set<const ast::IntegerLit *> hidden(found.operands.begin(),
                                                       found.operands.end());
    classes[shapeOf(probe, kind, analysis, hidden)].push_back(probe);
    operands[probe] = std::move(found.operands);
  }
  for (const auto &[shape, members] : classes) {
    if (members.size() < 2)
      continue;
    const auto &first = operands.at(members.front());
    // The operand positions whose values are not the same in every member.
    std::vector<size_t> differing;
    for (size_t k = 0; k < first.size(); ++k)
      for (const ast::Probe *member : members)
        if (operands.at(member)[k]->value != first[k]->value) {
          differing.push_back(k);
          break;
        }
    for (const ast::Probe *member : members) {
      class_of_[member] = members.front();
      auto &slots = slots_[member];
      for (size_t k : differing)
        slots.push_back(operands.at(member)[k]);
    }
  }
}

const ast::Probe *BodyClasses::classOf(const ast::Probe *probe) const {
  auto it = class_of_.find(probe);
  return it == class_of_.end() ? probe : it->second;
}

const std::vector<const ast::IntegerLit *> &BodyClasses::slots(const ast::Probe *probe) const {
  static const std::vector<const ast::IntegerLit *> none;
  auto it = slots_.find(probe);
  return it == slots_.end() ? none : it->second;
}

} // namespace scry::codegen
