// Type checking of access expressions: tuples and their elements, struct members
// (tracepoint args, BTF and script structs through pointers), array and string
// indexing, `&` address-of, and block expressions.
#include "sema/checker.h"
#include "sema/probe_builtins.h"
#include "support/strings.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

bool isArgsAccess(const ast::FieldAccess *access) {
  auto *builtin = ast::dyn_cast<ast::Builtin>(access->base);
  return builtin && builtin->id == ast::BuiltinId::Args;
}

} // namespace

Type Checker::checkTuple(ast::Tuple *tuple) {
  std::vector<Type> elements;
  for (auto *e : tuple->elements) {
    Type t = check(e);
    if (t.isNone())
      return t;
    if (!storable(t)) {
      diags_.error(DiagId::TypeMismatch, e->range, "A tuple cannot hold a value of type " + t.str());
      return Type::none();
    }
    elements.push_back(widen(t.isPointer() ? Type::address() : t));
  }
  for (size_t i = 0; i < tuple->names.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (tuple->names[i] == tuple->names[j]) {
        diags_.error(DiagId::TypeMismatch, tuple->elements[i]->range,
                     "Duplicate field '" + tuple->names[i] + "' in a record");
        return Type::none();
      }
  return Type::tuple(std::move(elements), tuple->names);
}

Type Checker::checkTupleIndex(ast::TupleIndex *index) {
  Type base = check(index->base);
  if (base.isNone())
    return base;
  if (!base.isTuple()) {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "Can not access index " + std::to_string(index->index) + " on type '" +
                     base.str() + "'");
    return Type::none();
  }
  if (index->index >= base.elements().size()) {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "Invalid tuple index: " + std::to_string(index->index) + ", the tuple has " +
                     std::to_string(base.elements().size()) + " elements");
    return Type::none();
  }
  return base.elements()[index->index];
}

Type Checker::checkFieldAccess(ast::FieldAccess *access) {
  if (auto *b = ast::dyn_cast<ast::Builtin>(access->base); b && b->id == ast::BuiltinId::Config)
    return checkConfigField(access); // config.KEY (checker_ctfuncs.cpp)
  Type base = check(access->base);
  if (base.isNone())
    return base;
  bool is_args = isArgsAccess(access);
  if (base.isTuple() && !base.names().empty())
    return checkRecordField(access, base);
  if (!is_args && (base.isPointer() || base.isRecord()))
    return checkMemberAccess(access, base);
  if (!base.isRecord() || !is_args) {
    diags_.error(DiagId::NotARecord, access->range,
                 "Can not access field '" + access->field + "' on type '" + base.str() + "'");
    return Type::none();
  }
  // Every attach point of the probe must have the field, with one type.
  const ast::Field *first = nullptr;
  for (const auto *spec : specs_) {
    const ast::Field *field = spec->args->find(access->field);
    if (auto it = spec->args_unreadable.find(access->field); // uprobe DWARF args (issue 4)
        !field && it != spec->args_unreadable.end()) {
      diags_.error(DiagId::NoSuchField, access->range,
                   spec->name + ": args cannot read parameter '" + access->field + "': " +
                       it->second)
          .hint("only parameters passed in the integer argument registers (rdi, rsi, rdx, "
                "rcx, r8, r9) can be read");
      return Type::none();
    }
    if (!field) {
      std::vector<std::string> names;
      for (const auto &f : spec->args->fields)
        names.push_back(f.name);
      auto &d = diags_.error(DiagId::NoSuchField, access->range,
                             (spec->kind == ast::ProbeKind::Tracepoint
                                  ? "tracepoint " + spec->category + ":" + spec->event
                                  : spec->name) +
                                 " has no field '" + access->field + "'");
      std::string guess = support::closestMatch(access->field, names);
      if (!guess.empty())
        d.hint("did you mean '" + guess + "'?");
      else
        d.hint("its fields are: " + support::join(names, ", "));
      return Type::none();
    }
    if (first && !(first->type == field->type)) {
      diags_.error(DiagId::NoSuchField, access->range,
                   "field '" + access->field + "' has different types in the probe's " +
                       "tracepoints: '" + first->type.str() + "' and '" + field->type.str() + "'");
      return Type::none();
    }
    if (!first)
      first = field;
  }
  if (!first)
    return Type::none();
  if (first->type.isString() && first->data_loc)
    return Type::string(analysis_.config.max_strlen);
  return first->type;
}


// `p->f`, `p.f` (bpftrace 0.25 dereferences automatically) and `s.f` where `s` is a
// struct reached through a pointer: the field's offset is kept for codegen.
Type Checker::checkMemberAccess(ast::FieldAccess *access, const Type &base) {
  bool through_pointer = base.isPointer();
  const Type &record_type = through_pointer ? base.pointee() : base;
  if (!record_type.isRecord()) {
    diags_.error(DiagId::NotARecord, access->range,
                 "Can not access field '" + access->field + "' on type '" + base.str() + "'");
    return Type::none();
  }
  if (!through_pointer && !ast::isa<ast::FieldAccess>(access->base)) {
    diags_.error(DiagId::NotARecord, access->range,
                 "Can not access field '" + access->field + "' of a struct value here")
        .hint("read fields through a pointer: p->field");
    return Type::none();
  }
  auto record = completeRecord(record_type.recordType(), access->range);
  if (!record)
    return Type::none();
  const ast::Field *field = record->find(access->field);
  if (!field) {
    std::vector<std::string> names;
    for (const auto &f : record->fields)
      names.push_back(f.name);
    auto &d = diags_.error(DiagId::NoSuchField, access->range,
                           "Struct/union of type '" + record->name +
                               "' does not contain a field named '" + access->field + "'");
    std::string guess = support::closestMatch(access->field, names);
    if (!guess.empty())
      d.hint("did you mean '" + guess + "'?");
    return Type::none();
  }
  analysis_.constants[access->id()] = field->offset;
  // A pointer read out of user memory points into user memory too.
  if (field->type.isPointer())
    return Type::pointer(field->type.pointee(), memberAddrSpace(access));
  return field->type;
}


// `a[i]` on an array field, a string (its bytes) or a pointer (C's p[i]).
Type Checker::checkIndex(ast::Index *index) {
  Type base = check(index->base);
  Type i = check(index->index);
  if (base.isNone() || i.isNone())
    return Type::none();
  if (!i.isInt()) {
    diags_.error(DiagId::TypeMismatch, index->index->range,
                 "The index must be an integer (" + i.str() + " given)");
    return Type::none();
  }
  Type element;
  uint64_t bound = 0;
  if (base.isTuple()) // `$t[1]` (bpftrace 0.25) is `$t.1`: the index must be a literal
    return checkTupleSubscript(index, base);
  if (base.isArray()) {
    element = base.element();
    bound = base.count_of();
  } else if (base.isString()) {
    element = Type::integer(8, true);
    bound = base.size();
  } else if (base.isPointer() && (base.pointee().isInt() || base.pointee().isPointer())) {
    element = base.pointee();
  } else {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "The [] operator can not be used on a value of type '" + base.str() + "'");
    return Type::none();
  }
  auto *literal = ast::dyn_cast<ast::IntegerLit>(index->index);
  // An array of arrays (`y[1][0]`): the inner array is found at a constant offset.
  bool inner_array = element.isArray() && storable(element) && literal;
  if (!element.isScalar() && !inner_array) {
    diags_.error(DiagId::TypeMismatch, index->range,
                 element.isArray() ? "An array of arrays is indexed by integer literals"
                                   : "Elements of type '" + element.str() +
                                         "' can not be read by index yet");
    return Type::none();
  }
  if (literal && bound && literal->value >= bound) {
    diags_.error(DiagId::TypeMismatch, index->index->range,
                 "Index " + std::to_string(literal->value) + " is out of bounds for '" +
                     base.str() + "' (" + std::to_string(bound) + " elements)");
    return Type::none();
  }
  return element;
}

// The address space of the pointer a member access reads through: `p->a.b.c` reads
// where p points.
ast::AddrSpace Checker::memberAddrSpace(const ast::FieldAccess *access) {
  const ast::Expr *base = access;
  while (auto *inner = ast::dyn_cast<ast::FieldAccess>(base)) {
    const Type &t = typeSlot(inner->base);
    if (t.isPointer())
      return t.addrSpace();
    base = inner->base;
  }
  return ast::AddrSpace::Kernel;
}

// `r.name` of a record (a tuple with names): the element's index is kept for codegen.
Type Checker::checkRecordField(ast::FieldAccess *access, const Type &record) {
  const auto &names = record.names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == access->field) {
      analysis_.constants[access->id()] = i;
      return record.elements()[i];
    }
  auto &d = diags_.error(DiagId::NoSuchField, access->range,
                         "Record '" + record.str() + "' has no field named '" + access->field +
                             "'");
  std::string guess = support::closestMatch(access->field, names);
  if (!guess.empty())
    d.hint("did you mean '" + guess + "'?");
  return Type::none();
}

Type Checker::checkTupleSubscript(ast::Index *index, const Type &tuple) {
  auto *literal = ast::dyn_cast<ast::IntegerLit>(index->index);
  if (!literal) {
    diags_.error(DiagId::TypeMismatch, index->index->range,
                 "A tuple index must be an integer literal");
    return Type::none();
  }
  if (literal->value >= tuple.elements().size()) {
    diags_.error(DiagId::TypeMismatch, index->range,
                 "Invalid tuple index: " + std::to_string(literal->value) + ", the tuple has " +
                     std::to_string(tuple.elements().size()) + " elements");
    return Type::none();
  }
  return tuple.elements()[literal->value];
}

// `&$x` (the variable's stack slot), `&p->f` (the member's address, read from nowhere)
// and `&*p` (p). A tracepoint's args live in the program's context, whose address the
// verifier does not let a program keep; a map has no address a script can use.
Type Checker::checkAddrOf(ast::Unary *unary) {
  ast::Expr *operand = unary->operand;
  auto refuse = [&](const std::string &what) {
    diags_.error(DiagId::InvalidAddressOf, unary->range, "Cannot take the address of " + what)
        .hint("& applies to variables ($x) and to struct members read through a pointer "
              "(&p->field)");
    return Type::none();
  };
  if (auto *deref = ast::dyn_cast<ast::Unary>(operand);
      deref && deref->op == ast::UnaryOp::Deref) {
    Type inner = check(operand);
    return inner.isNone() ? inner : typeSlot(deref->operand);
  }
  if (ast::isa<ast::Variable>(operand)) {
    Type t = check(operand);
    return t.isNone() ? t : Type::pointer(t, ast::AddrSpace::Kernel);
  }
  auto *access = ast::dyn_cast<ast::FieldAccess>(operand);
  if (!access) {
    check(operand);
    return refuse(ast::isa<ast::MapAccess>(operand) ? "a map (or its elements)"
                                                    : "this expression: it is not stored");
  }
  if (isArgsAccess(access))
    return refuse("a probe argument: it lives in the program's context");
  Type field = check(operand);
  if (field.isNone())
    return field;
  if (typeSlot(access->base).isTuple())
    return refuse("a record's field");
  return Type::pointer(field, memberAddrSpace(access));
}

// `{ stmts; value }` in its own scope. As a statement its value may be anything a
// statement can be (printf(...)); as an expression it must have a value.
Type Checker::checkBlockExpr(ast::BlockExpr *block, bool as_statement) {
  scopes_.emplace_back();
  value_block_depth_ += as_statement ? 0 : 1;
  for (auto *stmt : block->stmts)
    checkStmt(stmt);
  value_block_depth_ -= as_statement ? 0 : 1;
  Type t;
  if (block->value && as_statement) {
    if (auto *call = ast::dyn_cast<ast::Call>(block->value))
      checkCall(call, CallUse::Statement);
    else if (auto *inner = ast::dyn_cast<ast::BlockExpr>(block->value))
      typeSlot(inner) = checkBlockExpr(inner, true);
    else
      check(block->value);
  } else if (block->value) {
    t = check(block->value);
  } else if (!as_statement) {
    diags_.error(DiagId::TypeMismatch, block->range, "This block has no value")
        .hint("a block used as a value ends with an expression and no ';' after it");
  }
  scopes_.pop_back();
  return t;
}

} // namespace scry::sema
