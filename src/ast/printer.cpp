// The AST printer behind `-d ast` and the golden tests (tests/golden/ast): one node
// per line, two spaces per depth level. Walks with an explicit stack, so a deep tree
// cannot overflow the call stack here.
#include "ast/printer.h"

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace scry::ast {

namespace {

// `"..."` with C escapes, so the output reads like (and re-lexes as) the source.
std::string quote(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    case '\a': out += "\\a"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\v': out += "\\v"; break;
    case '\\': out += "\\\\"; break;
    case '"': out += "\\\""; break;
    default: {
      auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", byte);
        out += buf;
      } else {
        out += c;
      }
    }
    }
  }
  return out + "\"";
}

// The node's line: its kind and salient attributes (the newline is the caller's).
void printLine(const Node *n, std::ostream &out, bool hide_value) {
  out << nodeKindName(n->kind());
  switch (n->kind()) {
  case NodeKind::IntegerLit:
    if (hide_value)
      out << " ?";
    else
      out << ' ' << cast<IntegerLit>(n)->value;
    break;
  case NodeKind::StringLit: out << ' ' << quote(cast<StringLit>(n)->value); break;
  case NodeKind::Builtin: out << ' ' << cast<Builtin>(n)->name; break;
  case NodeKind::Variable: out << ' ' << cast<Variable>(n)->name; break;
  case NodeKind::MapAccess: out << ' ' << cast<MapAccess>(n)->name; break;
  case NodeKind::Binary: out << ' ' << binaryOpSpelling(cast<Binary>(n)->op); break;
  case NodeKind::Unary: out << ' ' << unaryOpSpelling(cast<Unary>(n)->op); break;
  case NodeKind::Call: out << ' ' << cast<Call>(n)->name; break;
  case NodeKind::FieldAccess:
    out << ' ' << (cast<FieldAccess>(n)->is_arrow ? "->" : ".") << cast<FieldAccess>(n)->field;
    break;
  case NodeKind::PositionalParam: {
    unsigned index = cast<PositionalParam>(n)->index;
    out << (index ? " $" + std::to_string(index) : std::string(" $#"));
    break;
  }
  case NodeKind::Cast: out << ' ' << cast<Cast>(n)->type.str(); break;
  case NodeKind::Sizeof:
    if (!cast<Sizeof>(n)->operand)
      out << ' ' << cast<Sizeof>(n)->type.str();
    break;
  case NodeKind::TupleIndex: out << " ." << cast<TupleIndex>(n)->index; break;
  case NodeKind::VarDecl:
    if (cast<VarDecl>(n)->has_type)
      out << ' ' << cast<VarDecl>(n)->type.str();
    break;
  case NodeKind::Jump: out << (cast<Jump>(n)->is_break ? " break" : " continue"); break;
  case NodeKind::AttachPoint: out << ' ' << cast<AttachPoint>(n)->text; break;
  case NodeKind::ConfigItem: out << ' ' << cast<ConfigItem>(n)->key; break;
  case NodeKind::Offsetof: {
    auto *node = cast<Offsetof>(n);
    if (!node->operand)
      out << ' ' << node->type.str();
    for (size_t i = 0; i < node->path.size(); ++i)
      out << (i ? "." : " ") << node->path[i];
    break;
  }
  case NodeKind::Ternary:
    if (!cast<Ternary>(n)->then_expr)
      out << " ?:";
    break;
  case NodeKind::Tuple: // a record's field names
    for (size_t i = 0; i < cast<Tuple>(n)->names.size(); ++i)
      out << (i ? ", " : " ") << cast<Tuple>(n)->names[i];
    break;
  case NodeKind::StructDef: {
    auto *def = cast<StructDef>(n);
    out << (def->is_union ? " union " : " struct ") << def->name << " {";
    for (const auto &f : def->fields) {
      out << ' ' << f.type.str() << ' ' << f.name;
      for (uint64_t d : f.dims)
        out << '[' << d << ']';
      out << ';';
    }
    out << " }";
    break;
  }
  case NodeKind::MacroDef: {
    auto *def = cast<MacroDef>(n);
    out << ' ' << def->name << '(';
    for (size_t i = 0; i < def->params.size(); ++i)
      out << (i ? ", " : "") << def->params[i].name;
    out << ')';
    break;
  }
  case NodeKind::MapDecl: {
    auto *decl = cast<MapDecl>(n);
    out << ' ' << decl->map;
    for (size_t i = 0; i < decl->labels.size(); ++i)
      out << (i ? ", " : "[") << decl->labels[i] << (i + 1 == decl->labels.size() ? "]" : "");
    if (!decl->map_kind.empty())
      out << " = " << decl->map_kind << '(' << decl->max_entries << ')';
    break;
  }
  case NodeKind::BlockExpr:
  case NodeKind::ForMap:
  case NodeKind::Index:
  case NodeKind::While:
  case NodeKind::Unroll:
  case NodeKind::ForRange:
  case NodeKind::ExprStmt:
  case NodeKind::AssignVar:
  case NodeKind::AssignMap:
  case NodeKind::If:
  case NodeKind::Return:
  case NodeKind::Block:
  case NodeKind::Probe:
  case NodeKind::Program: break;
  }
}

// A line to print: a node, or a label ("Predicate", "Else") over the next node.
struct Line {
  const Node *node;
  const char *label;
  unsigned depth;
};

// A probe's predicate and an if's else branch get a label line of their own, since
// their position alone would not tell them apart from their siblings.
const char *labelFor(const Node *parent, const Node *child) {
  if (auto *probe = dyn_cast<Probe>(parent); probe && child == probe->predicate)
    return "Predicate";
  if (auto *stmt = dyn_cast<If>(parent); stmt && child == stmt->else_stmt)
    return "Else";
  return nullptr;
}

} // namespace

void print(const Node *node, std::ostream &out) { print(node, out, {}, {}); }

void print(const Node *node, std::ostream &out,
           const std::function<std::string(const Node *)> &annotate) {
  print(node, out, annotate, {});
}

void print(const Node *node, std::ostream &out,
           const std::function<std::string(const Node *)> &annotate,
           const std::function<bool(const IntegerLit *)> &hide_value) {
  if (!node)
    return;
  std::vector<Line> todo{{node, nullptr, 0}};
  std::vector<Line> children;
  while (!todo.empty()) {
    Line line = todo.back();
    todo.pop_back();
    out << std::string(2 * line.depth, ' ');
    if (line.label) {
      out << line.label << '\n';
      continue;
    }
    auto *literal = dyn_cast<IntegerLit>(line.node);
    printLine(line.node, out, literal && hide_value && hide_value(literal));
    if (annotate) {
      std::string note = annotate(line.node);
      if (!note.empty())
        out << " :: " << note;
    }
    out << '\n';
    children.clear();
    // forEachChild only reads `n` here; it takes a mutable node for other passes.
    forEachChild(const_cast<Node *>(line.node), [&](Node *child) {
      unsigned depth = line.depth + 1;
      if (const char *label = labelFor(line.node, child)) {
        children.push_back({nullptr, label, depth});
        ++depth;
      }
      children.push_back({child, nullptr, depth});
    });
    todo.insert(todo.end(), children.rbegin(), children.rend());
  }
}

} // namespace scry::ast
