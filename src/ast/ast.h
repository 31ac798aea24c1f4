// The abstract syntax tree: kind-tagged node classes allocated in a Context (arena),
// LLVM-style isa/cast/dyn_cast, and the builtin/function/probe-kind tables.
// The parser builds it; sema reads it and records types in a side table keyed by
// Node::id(); codegen reads both. Nothing below the parser mutates it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diag/source.h"

namespace scry::ast {

using diag::SourceRange;

enum class NodeKind {
#define EXPR(k) k,
#define STMT(k) k,
#define OTHER(k) k,
#include "ast/nodes.def"
};
const char *nodeKindName(NodeKind kind);

enum class BuiltinId {
  Unknown,
#define BUILTIN(id, name) id,
#include "ast/builtins.def"
#undef BUILTIN
};
BuiltinId lookupBuiltin(std::string_view name);
const char *builtinName(BuiltinId id);

enum class FuncId {
  Unknown,
#define FUNC(id, name, min, max) id,
#include "ast/functions.def"
#undef FUNC
};
FuncId lookupFunction(std::string_view name);
const char *functionName(FuncId id);
// Allowed argument counts; both 0 for Unknown.
unsigned functionMinArgs(FuncId id);
unsigned functionMaxArgs(FuncId id);
// All function names, for "did you mean" hints.
std::vector<std::string> functionNames();
std::vector<std::string> builtinNames();

enum class ProbeKind {
  Unknown,
#define PROBE(id, name, alias) id,
#include "ast/probe_kinds.def"
#undef PROBE
};
// Case-insensitive; accepts aliases ("t", "i", ...). Unknown when not a provider.
ProbeKind lookupProbeKind(std::string_view name);
// The canonical provider name ("tracepoint", "BEGIN", ...), as used in `probe`.
const char *probeKindName(ProbeKind kind);
std::vector<std::string> probeKindNames();

class Node {
public:
  virtual ~Node() = default;
  NodeKind kind() const { return kind_; }
  // Dense, unique within one Context; indexes sema's side tables.
  uint32_t id() const { return id_; }
  SourceRange range;

protected:
  Node(NodeKind kind, SourceRange r) : range(r), kind_(kind) {}

private:
  friend class Context;
  NodeKind kind_;
  uint32_t id_ = 0;
};

template <class T> bool isa(const Node *n) { return n && T::classof(n); }
template <class T> T *cast(Node *n) { return static_cast<T *>(n); }
template <class T> const T *cast(const Node *n) { return static_cast<const T *>(n); }
template <class T> T *dyn_cast(Node *n) { return isa<T>(n) ? static_cast<T *>(n) : nullptr; }
template <class T> const T *dyn_cast(const Node *n) {
  return isa<T>(n) ? static_cast<const T *>(n) : nullptr;
}

#define SCRY_NODE_CLASSOF(K)                                                                       \
  static bool classof(const Node *n) { return n->kind() == NodeKind::K; }

class Expr : public Node {
public:
  static bool classof(const Node *n) {
    return n->kind() >= NodeKind::IntegerLit && n->kind() <= NodeKind::FieldAccess;
  }

protected:
  using Node::Node;
};

class Stmt : public Node {
public:
  static bool classof(const Node *n) {
    return n->kind() >= NodeKind::ExprStmt && n->kind() <= NodeKind::Block;
  }

protected:
  using Node::Node;
};

// ---- Expressions ----------------------------------------------------------

class IntegerLit : public Expr {
public:
  IntegerLit(SourceRange r, uint64_t v) : Expr(NodeKind::IntegerLit, r), value(v) {}
  SCRY_NODE_CLASSOF(IntegerLit)
  uint64_t value;
};

class StringLit : public Expr {
public:
  StringLit(SourceRange r, std::string v) : Expr(NodeKind::StringLit, r), value(std::move(v)) {}
  SCRY_NODE_CLASSOF(StringLit)
  std::string value; // escapes already decoded
};

class Builtin : public Expr {
public:
  Builtin(SourceRange r, std::string n)
      : Expr(NodeKind::Builtin, r), id(lookupBuiltin(n)), name(std::move(n)) {}
  SCRY_NODE_CLASSOF(Builtin)
  BuiltinId id; // Unknown for an identifier that names no builtin
  std::string name;
};

class Variable : public Expr {
public:
  Variable(SourceRange r, std::string n) : Expr(NodeKind::Variable, r), name(std::move(n)) {}
  SCRY_NODE_CLASSOF(Variable)
  std::string name; // with its '$'
};

class MapAccess : public Expr {
public:
  MapAccess(SourceRange r, std::string n, std::vector<Expr *> k)
      : Expr(NodeKind::MapAccess, r), name(std::move(n)), keys(std::move(k)) {}
  SCRY_NODE_CLASSOF(MapAccess)
  std::string name; // "@x", or "@" for the anonymous map
  std::vector<Expr *> keys;
};

enum class BinaryOp {
  Add, Sub, Mul, Div, Mod,
  BitAnd, BitOr, BitXor, Shl, Shr,
  Eq, Ne, Lt, Le, Gt, Ge,
  LogicalAnd, LogicalOr,
};
const char *binaryOpSpelling(BinaryOp op);

class Binary : public Expr {
public:
  Binary(SourceRange r, BinaryOp o, Expr *l, Expr *rr)
      : Expr(NodeKind::Binary, r), op(o), lhs(l), rhs(rr) {}
  SCRY_NODE_CLASSOF(Binary)
  BinaryOp op;
  Expr *lhs;
  Expr *rhs;
};

// AddrOf (issue 3): `&$x`, `&p->field`.
enum class UnaryOp { LogicalNot, Neg, BitNot, Deref, AddrOf };
const char *unaryOpSpelling(UnaryOp op);

class Unary : public Expr {
public:
  Unary(SourceRange r, UnaryOp o, Expr *e) : Expr(NodeKind::Unary, r), op(o), operand(e) {}
  SCRY_NODE_CLASSOF(Unary)
  UnaryOp op;
  Expr *operand;
};

// `c ? a : b`; `c ?: b` (bpftrace 0.26) has no then_expr: the value is c's, evaluated once.
class Ternary : public Expr {
public:
  Ternary(SourceRange r, Expr *c, Expr *t, Expr *e)
      : Expr(NodeKind::Ternary, r), cond(c), then_expr(t), else_expr(e) {}
  SCRY_NODE_CLASSOF(Ternary)
  Expr *cond;
  Expr *then_expr; // null for `c ?: b`
  Expr *else_expr;
};

class Call : public Expr {
public:
  Call(SourceRange r, std::string n, std::vector<Expr *> a)
      : Expr(NodeKind::Call, r), id(lookupFunction(n)), name(std::move(n)), args(std::move(a)) {}
  SCRY_NODE_CLASSOF(Call)
  FuncId id; // Unknown for a name that is no function
  std::string name;
  std::vector<Expr *> args;
};

// `$1` ... `$N` (index >= 1), or `$#` (index 0): the script's command-line arguments.
class PositionalParam : public Expr {
public:
  PositionalParam(SourceRange r, unsigned i) : Expr(NodeKind::PositionalParam, r), index(i) {}
  SCRY_NODE_CLASSOF(PositionalParam)
  unsigned index; // 0 for `$#`
};

// A type as written in a cast, sizeof or let: "uint32", "unsigned int",
// "struct task_struct", with the number of `*` after it and an optional array
// suffix: `uint8[8]`, or `uint8[]` in a cast, whose size comes from the value.
struct TypeName {
  static constexpr int64_t kNoArray = -1;
  static constexpr int64_t kInferredArray = 0;
  std::string base;
  unsigned pointers = 0;
  Expr *of = nullptr;         // typeof(expr): the operand, whose type this names
  int64_t array = kNoArray;   // element count, or kNoArray / kInferredArray
  std::string str() const {
    std::string s = base + (pointers ? " " + std::string(pointers, '*') : "");
    if (array != kNoArray)
      s += "[" + (array == kInferredArray ? std::string() : std::to_string(array)) + "]";
    return s;
  }
};

class Cast : public Expr {
public:
  Cast(SourceRange r, TypeName t, Expr *e) : Expr(NodeKind::Cast, r), type(std::move(t)), operand(e) {}
  SCRY_NODE_CLASSOF(Cast)
  TypeName type;
  Expr *operand;
};

// `sizeof(type)` (operand null) or `sizeof(expr)`.
class Sizeof : public Expr {
public:
  Sizeof(SourceRange r, TypeName t, Expr *e) : Expr(NodeKind::Sizeof, r), type(std::move(t)), operand(e) {}
  SCRY_NODE_CLASSOF(Sizeof)
  TypeName type;
  Expr *operand;
};

// `(a, b, ...)`, `(a,)` or `()` (bpftrace 0.25); or a record (bpftrace 0.25, issue 3),
// `(x = a, y = b)`, whose elements have names.
class Tuple : public Expr {
public:
  Tuple(SourceRange r, std::vector<Expr *> e, std::vector<std::string> n = {})
      : Expr(NodeKind::Tuple, r), elements(std::move(e)), names(std::move(n)) {}
  SCRY_NODE_CLASSOF(Tuple)
  std::vector<Expr *> elements;
  std::vector<std::string> names; // a record's field names; empty for a tuple
};

// `t.N`: element N of a tuple.
class TupleIndex : public Expr {
public:
  TupleIndex(SourceRange r, Expr *b, uint64_t i) : Expr(NodeKind::TupleIndex, r), base(b), index(i) {}
  SCRY_NODE_CLASSOF(TupleIndex)
  Expr *base;
  uint64_t index;
};

// `a[i]`: an element of an array (a struct or tracepoint field) or a byte of a string.
class Index : public Expr {
public:
  Index(SourceRange r, Expr *b, Expr *i) : Expr(NodeKind::Index, r), base(b), index(i) {}
  SCRY_NODE_CLASSOF(Index)
  Expr *base;
  Expr *index;
};

// `offsetof(struct X, a.b)` (type form, operand null) or `offsetof(expr, a.b)`: the
// byte offset of a (nested) field, a constant.
class Offsetof : public Expr {
public:
  Offsetof(SourceRange r, TypeName t, Expr *e, std::vector<std::string> p)
      : Expr(NodeKind::Offsetof, r), type(std::move(t)), operand(e), path(std::move(p)) {}
  SCRY_NODE_CLASSOF(Offsetof)
  TypeName type;
  Expr *operand;
  std::vector<std::string> path; // at least one field name
};

// `{ stmts; value }`: a block whose last statement is an expression with no `;` after
// it, used as that expression's value (bpftrace 0.24). Macro calls expand to one.
class BlockExpr : public Expr {
public:
  BlockExpr(SourceRange r, std::vector<Stmt *> s, Expr *v)
      : Expr(NodeKind::BlockExpr, r), stmts(std::move(s)), value(v) {}
  SCRY_NODE_CLASSOF(BlockExpr)
  std::vector<Stmt *> stmts;
  Expr *value;
};

// `base.field` or `base->field`; bpftrace 0.19+ treats both alike for args.
class FieldAccess : public Expr {
public:
  FieldAccess(SourceRange r, Expr *b, std::string f, bool arrow)
      : Expr(NodeKind::FieldAccess, r), base(b), field(std::move(f)), is_arrow(arrow) {}
  SCRY_NODE_CLASSOF(FieldAccess)
  Expr *base;
  std::string field;
  bool is_arrow;
};

// ---- Statements -----------------------------------------------------------

class ExprStmt : public Stmt {
public:
  ExprStmt(SourceRange r, Expr *e) : Stmt(NodeKind::ExprStmt, r), expr(e) {}
  SCRY_NODE_CLASSOF(ExprStmt)
  Expr *expr;
  // The last statement of its block with no `;` after it: the block's value when the
  // block is an expression (BlockExpr) or a macro's body.
  bool is_value = false;
};

// `$x = value`; compound forms (`$x += v`) are desugared by the parser.
class AssignVar : public Stmt {
public:
  AssignVar(SourceRange r, Variable *v, Expr *e) : Stmt(NodeKind::AssignVar, r), var(v), value(e) {}
  SCRY_NODE_CLASSOF(AssignVar)
  Variable *var;
  Expr *value;
  const struct FnDef *fn_return = nullptr; // a `return v;` of this inlined fn (issue 3)
};

// `@m[k] = value`, including aggregations (`@m[k] = count()`).
class AssignMap : public Stmt {
public:
  AssignMap(SourceRange r, MapAccess *m, Expr *e) : Stmt(NodeKind::AssignMap, r), map(m), value(e) {}
  SCRY_NODE_CLASSOF(AssignMap)
  MapAccess *map;
  Expr *value;
};

class Block;

// `let $x;`, `let $x = e;`, `let $x: type [= e];`: declares $x in the current block.
class VarDecl : public Stmt {
public:
  VarDecl(SourceRange r, Variable *v, bool typed, TypeName t, Expr *e)
      : Stmt(NodeKind::VarDecl, r), var(v), has_type(typed), type(std::move(t)), value(e) {}
  SCRY_NODE_CLASSOF(VarDecl)
  Variable *var;
  bool has_type;
  TypeName type;
  Expr *value; // may be null
  // Set when an inlined `fn` call declares its parameter (fn_param is its index) or
  // its result (fn_param == kFnResult): sema words type errors as call errors.
  static constexpr size_t kFnResult = ~size_t{0};
  const struct FnDef *fn = nullptr;
  size_t fn_param = kFnResult;
};

class While : public Stmt {
public:
  While(SourceRange r, Expr *c, Block *b) : Stmt(NodeKind::While, r), cond(c), body(b) {}
  SCRY_NODE_CLASSOF(While)
  Expr *cond;
  Block *body;
};

// `unroll(N) { ... }`: the body repeated N times (1 to 100).
class Unroll : public Stmt {
public:
  Unroll(SourceRange r, Expr *c, Block *b) : Stmt(NodeKind::Unroll, r), count(c), body(b) {}
  SCRY_NODE_CLASSOF(Unroll)
  Expr *count;
  Block *body;
};

// `for ($i : start..end) { ... }`: $i from start up to, not including, end.
class ForRange : public Stmt {
public:
  ForRange(SourceRange r, Variable *v, Expr *s, Expr *e, Block *b)
      : Stmt(NodeKind::ForRange, r), var(v), start(s), end(e), body(b) {}
  SCRY_NODE_CLASSOF(ForRange)
  Variable *var;
  Expr *start;
  Expr *end;
  Block *body;
};

// `for ($kv : @map) { ... }`: $kv is (key, value) for each element, through
// bpf_for_each_map_elem; the body runs in a callback.
class ForMap : public Stmt {
public:
  ForMap(SourceRange r, Variable *v, MapAccess *m, Block *b)
      : Stmt(NodeKind::ForMap, r), var(v), map(m), body(b) {}
  SCRY_NODE_CLASSOF(ForMap)
  Variable *var;
  MapAccess *map;
  Block *body;
};

// `break` or `continue`.
class Jump : public Stmt {
public:
  Jump(SourceRange r, bool brk) : Stmt(NodeKind::Jump, r), is_break(brk) {}
  SCRY_NODE_CLASSOF(Jump)
  bool is_break;
};

class Block : public Stmt {
public:
  Block(SourceRange r, std::vector<Stmt *> s) : Stmt(NodeKind::Block, r), stmts(std::move(s)) {}
  SCRY_NODE_CLASSOF(Block)
  std::vector<Stmt *> stmts;
};

class If : public Stmt {
public:
  If(SourceRange r, Expr *c, Block *t, Stmt *e)
      : Stmt(NodeKind::If, r), cond(c), then_block(t), else_stmt(e) {}
  SCRY_NODE_CLASSOF(If)
  Expr *cond;
  Block *then_block;
  Stmt *else_stmt; // null, a Block, or an If (else if)
};

class Return : public Stmt {
public:
  Return(SourceRange r, Expr *v) : Stmt(NodeKind::Return, r), value(v) {}
  SCRY_NODE_CLASSOF(Return)
  Expr *value; // may be null
};

// ---- Top level --------------------------------------------------------------

// One attach point as written, e.g. "tracepoint:syscalls:sys_enter_openat" or "BEGIN".
// sema::expandAttachPoints splits and expands it.
class AttachPoint : public Node {
public:
  AttachPoint(SourceRange r, std::string t) : Node(NodeKind::AttachPoint, r), text(std::move(t)) {}
  SCRY_NODE_CLASSOF(AttachPoint)
  std::string text;
};

class Probe : public Node {
public:
  Probe(SourceRange r, std::vector<AttachPoint *> a, Expr *p, Block *b)
      : Node(NodeKind::Probe, r), attach_points(std::move(a)), predicate(p), body(b) {}
  SCRY_NODE_CLASSOF(Probe)
  std::vector<AttachPoint *> attach_points;
  Expr *predicate; // may be null
  Block *body;
};

// `key = value` inside the preamble's `config = { ... }` block.
class ConfigItem : public Node {
public:
  ConfigItem(SourceRange r, std::string k, Expr *v)
      : Node(NodeKind::ConfigItem, r), key(std::move(k)), value(v) {}
  SCRY_NODE_CLASSOF(ConfigItem)
  std::string key;
  Expr *value; // IntegerLit or StringLit
};

// One field of a script-declared struct: `TYPE NAME[D1][D2];`.
struct FieldDecl {
  TypeName type;
  std::string name;
  std::vector<uint64_t> dims; // array dimensions, outermost first
  SourceRange range;
};

// `struct NAME { fields }` or `union NAME { fields }` in the preamble.
class StructDef : public Node {
public:
  StructDef(SourceRange r, bool u, std::string n, std::vector<FieldDecl> f)
      : Node(NodeKind::StructDef, r), is_union(u), name(std::move(n)), fields(std::move(f)) {}
  SCRY_NODE_CLASSOF(StructDef)
  bool is_union;
  std::string name; // without the tag: "Foo"
  std::vector<FieldDecl> fields;
};

// A macro parameter: `$a` (a variable), `@b` (a map) or `c` (an expression).
struct MacroParam {
  enum class Kind { Variable, Map, Expression };
  Kind kind;
  std::string name; // with its sigil for Variable and Map
  SourceRange range;
};

// `macro NAME(params) { body }`; calls are expanded by the parser (parser/macros.cpp).
class MacroDef : public Node {
public:
  MacroDef(SourceRange r, std::string n, std::vector<MacroParam> p, Block *b)
      : Node(NodeKind::MacroDef, r), name(std::move(n)), params(std::move(p)), body(b) {}
  SCRY_NODE_CLASSOF(MacroDef)
  std::string name;
  std::vector<MacroParam> params;
  Block *body;
};

// `let @m = KIND(N);`: the map's BPF type (hash, lruhash, percpuhash, percpulruhash)
// and size. `let @m[a, b] = KIND(N);` and `let @m[a, b];` also name the key's parts
// (Prometheus label names for --export); the latter leaves type and size as they were.
class MapDecl : public Node {
public:
  MapDecl(SourceRange r, std::string m, std::string k, uint64_t n, SourceRange kr)
      : Node(NodeKind::MapDecl, r), map(std::move(m)), map_kind(std::move(k)), max_entries(n),
        kind_range(kr) {}
  SCRY_NODE_CLASSOF(MapDecl)
  std::string map; // "@name"
  std::string map_kind; // "" when only labels are declared
  uint64_t max_entries;
  SourceRange kind_range;
  std::vector<std::string> labels;
  std::vector<SourceRange> label_ranges;
  SourceRange labels_range; // the brackets and what is between them
};

class Program : public Node {
public:
  Program(SourceRange r, std::vector<ConfigItem *> c, std::vector<Probe *> p)
      : Node(NodeKind::Program, r), config(std::move(c)), probes(std::move(p)) {}
  SCRY_NODE_CLASSOF(Program)
  std::vector<ConfigItem *> config;
  std::vector<Probe *> probes;
  // The preamble's definitions (issue 3), in source order.
  std::vector<StructDef *> structs;
  std::vector<MacroDef *> macros;
  std::vector<MapDecl *> map_decls;
  std::vector<struct FnDef *> functions; // issue 3: `fn` definitions (parser/functions.cpp)
};

// `fn name($a: T, ...): R { ... }` (issue 3): not a node of its own, since the parser
// inlines a copy of the body at each call (parser/functions.cpp) and no later pass
// sees the definition. Owned by the Context (`Context::makeFn`).
struct FnParam {
  std::string name; // "$a"
  TypeName type;
  SourceRange range;
};
struct FnDef {
  std::string name;
  std::vector<FnParam> params;
  TypeName result; // base "void" for a function without a value
  SourceRange range;  // the whole definition
  SourceRange header; // `fn name(...): R`
  Block *body = nullptr;
  bool isVoid() const { return result.base == "void" && result.pointers == 0; }
  std::string signature() const; // "add($a: int64, $b: int64): int64"
};

#undef SCRY_NODE_CLASSOF

// Owns every node of one script. Nodes are never freed individually.
class Context {
public:
  template <class T, class... Args> T *make(SourceRange r, Args &&...args) {
    auto node = std::make_unique<T>(r, std::forward<Args>(args)...);
    node->id_ = static_cast<uint32_t>(nodes_.size());
    T *raw = node.get();
    nodes_.push_back(std::move(node));
    return raw;
  }
  // Number of nodes made so far; ids are below this.
  uint32_t size() const { return static_cast<uint32_t>(nodes_.size()); }
  // A `fn` definition, kept as long as the nodes that point at it (issue 3).
  FnDef *makeFn() { return fns_.emplace_back(std::make_unique<FnDef>()).get(); }

private:
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::unique_ptr<FnDef>> fns_;
};

// Calls `fn(child)` for each direct child of `n`, in source order; null children
// (an absent predicate or else branch) are skipped.
template <class Fn> void forEachChild(Node *n, Fn &&fn);

} // namespace scry::ast

#include "ast/visit.inc"
