// Type checking of printf-style calls (printf, and the functions that take a format
// the same way: cat, system, errorf, warnf, debugf): the format must be a literal
// that support::parseFormat accepts, and each conversion gets an argument it can
// print. Messages are prefixed with the function's name, as bpftrace's are.
#include "sema/checker.h"
#include "support/format_spec.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// Values a printf record can carry: everything %s can print.
bool sendable(const Type &t) {
  return storable(t);
}

// Why `t` does not suit `piece`'s conversion, or "" when it does. bpftrace 0.26: the
// integer conversions take integers, bools and pointers; %s anything; %r buffers.
std::string mismatch(const support::FormatPiece &piece, const Type &t) {
  switch (piece.conversion) {
  case 's':
    return sendable(t) ? "" : "a printable value";
  case 'r':
    return t.kind() == ast::TypeKind::Buffer ? "" : "buffer";
  case 'p':
    return t.isScalar() ? "" : "pointer";
  default: // d i u x X o c
    return t.isScalar() ? "" : "integer";
  }
}

std::string conversionName(const support::FormatPiece &piece) {
  std::string name = "%";
  name += piece.conversion;
  if (piece.buffer_mode)
    name += piece.buffer_mode;
  return name;
}

} // namespace

void Checker::checkPrintf(ast::Call *call) {
  auto *fmt = ast::dyn_cast<ast::StringLit>(call->args[0]);
  for (size_t i = 1; i < call->args.size(); ++i)
    check(call->args[i]);
  if (!fmt) {
    check(call->args[0]);
    diags_.error(DiagId::PrintfFormat, call->args[0]->range,
                 call->name + ": The first argument must be a string literal");
    return;
  }
  typeSlot(fmt) = Type::string(static_cast<uint32_t>(fmt->value.size() + 1));
  std::vector<support::FormatPiece> pieces;
  std::string error;
  size_t error_offset = 0;
  if (!support::parseFormat(fmt->value, pieces, error, error_offset)) {
    diags_.error(DiagId::PrintfFormat, fmt->range, call->name + ": " + error);
    return;
  }
  size_t expected = 0;
  for (const auto &p : pieces)
    expected += p.arguments();
  size_t supplied = call->args.size() - 1;
  if (supplied != expected) {
    diags_.error(DiagId::PrintfFormat, call->range,
                 call->name + ": " + (supplied < expected ? "Not enough" : "Too many") +
                     " arguments for format string (" + std::to_string(supplied) +
                     " supplied, " + std::to_string(expected) + " expected)");
    return;
  }
  size_t arg = 1;
  auto report = [&](ast::Expr *e, const std::string &what, const std::string &want,
                    const Type &t) {
    diags_.error(DiagId::PrintfFormat, e->range,
                 call->name + ": " + what + " expects a value of type " + want + " (" + t.str() +
                     " supplied)");
  };
  for (const auto &p : pieces) {
    if (!p.conversion)
      continue;
    for (bool star : {p.width_star, p.precision_star}) {
      if (!star)
        continue;
      ast::Expr *e = call->args[arg++];
      const Type &t = analysis_.types[e->id()];
      if (!t.isNone() && !t.isInt() && !t.isBool())
        report(e, "the * of " + conversionName(p), "integer", t);
    }
    ast::Expr *e = call->args[arg++];
    const Type &t = analysis_.types[e->id()];
    if (t.isNone())
      continue;
    std::string want = mismatch(p, t);
    if (!want.empty())
      report(e, conversionName(p) + " specifier", want, t);
  }
}

} // namespace scry::sema
