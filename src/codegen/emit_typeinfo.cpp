// typeinfo(expr) (issue 3): a record known at compile time, (btf_id=0, base_type,
// full_type), stored where its value is wanted; the operand is never evaluated.
#include "codegen/program_emitter.h"
#include "sema/typeinfo_names.h"

namespace scry::codegen {

void ProgramEmitter::emitTypeinfoInto(ast::Call *call, llvm::Value *dst, const ast::Type &type) {
  const ast::Type &operand = typeOf(call->args[0]);
  auto offsets = type.tupleOffsets();
  zero(dst, type.size()); // padding and the bytes after each NUL
  storeScalar(mb_.constI64(0), offsetPtr(dst, offsets[0]), type.elements()[0]);
  storeLiteral(sema::typeinfoBase(operand), offsetPtr(dst, offsets[1]), type.elements()[1].size());
  storeLiteral(sema::typeinfoFull(operand), offsetPtr(dst, offsets[2]), type.elements()[2].size());
}

} // namespace scry::codegen
