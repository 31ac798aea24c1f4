// Probes whose bodies differ only in integer literals share one program (issue 6).
// Private to src/codegen. Generated scripts repeat one body over many attach points
// with a different number in each (`tracepoint:a:b { @c[0] = count(); }`, then `@c[1]`,
// ...); compiling and loading the body once instead of once per probe is what makes
// such scripts start quickly: LLVM's cost is per function, not per instruction.
//
// Two probes are in one class when the same kind of attach point runs them and their
// predicates and bodies print alike (ast::print) with the same types and sema constants
// on every node, except for the values of integer literals in positions where codegen
// only ever reads them as run-time operands (a map key, a value assigned to a map, an
// operand of a binary operator, a value printf() formats). Literals whose values differ within a class become
// the class's slots: the shared program reads them from a .rodata table by the index
// of the attach point that fired (emit_groups.cpp).
#pragma once

#include <unordered_map>
#include <vector>

#include "ast/ast.h"
#include "sema/sema.h"

namespace scry::codegen {

class BodyClasses {
public:
  BodyClasses(const std::vector<sema::ProbeSpec> &probes, const sema::Analysis &analysis);

  // The probe that stands for `probe`'s class: the first of it in source order.
  const ast::Probe *classOf(const ast::Probe *probe) const;
  // `probe`'s literals whose values differ within its class, in one order for every
  // probe of the class; empty when its class has one probe or they all agree.
  const std::vector<const ast::IntegerLit *> &slots(const ast::Probe *probe) const;

private:
  std::unordered_map<const ast::Probe *, const ast::Probe *> class_of_;
  std::unordered_map<const ast::Probe *, std::vector<const ast::IntegerLit *>> slots_;
};

} // namespace scry::codegen
