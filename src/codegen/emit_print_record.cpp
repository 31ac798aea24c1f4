// print(args) and print(args.s) (issue 4): a struct printed as bpftrace prints one,
// `{ .a = 1, .s = { .x = 2 } }`. The struct's bytes are copied into the event as they lie
// (the args record, or memory a pointer in it points to) and described to the runtime as
// a tuple with names and the struct's own field offsets. Arrays and fields without a
// type scry can print are left out.
#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

namespace {

object::ValueType recordValueType(const ast::RecordType &record, unsigned depth) {
  object::ValueType v;
  v.kind = object::ValueKind::Tuple;
  v.size = record.size;
  for (const auto &field : record.fields) {
    const ast::Type &t = field.type;
    object::ValueType fv;
    if (t.isRecord() && depth < 8)
      fv = recordValueType(t.recordType(), depth + 1);
    else if (t.isInt() || t.isPointer() || t.isString() || t.isBool())
      fv = toValueType(t);
    else
      continue;
    if (field.offset + fv.size > record.size)
      continue;
    v.fields.push_back(std::move(fv));
    v.offsets.push_back(field.offset);
    v.names.push_back(field.name);
  }
  return v;
}

} // namespace

void ProgramEmitter::emitPrintRecord(ast::Call *call) {
  ast::Expr *arg = call->args[0];
  auto *field = ast::dyn_cast<ast::FieldAccess>(arg);
  // `args` of this program's attach points: sema typed it as the probe's first ones.
  const ast::RecordType &record = field ? typeOf(arg).recordType() : *spec_.args;
  uint32_t id = static_cast<uint32_t>(s_.out.print_values.size());
  s_.out.print_values.push_back(recordValueType(record, 0));
  uint32_t size = object::kEventHeaderSize + ((record.size + 7) & ~7u);
  llvm::Value *src = nullptr;
  ast::AddrSpace space = ast::AddrSpace::Kernel;
  if (!field) // args itself
    src = b_.CreatePtrToInt(args_base_, mb_.i64());
  else if (isArgsField(field))
    src = b_.CreatePtrToInt(offsetPtr(args_base_, spec_.args->find(field->field)->offset),
                            mb_.i64());
  else
    src = emitMemberAddress(field, space);
  notePidBeforeRecord(std::span(call->args).first(1));
  llvm::Value *event = mb_.callHelper(Helper::RingbufReserve, mb_.ptr(),
                                      {s_.events, mb_.constI64(size), mb_.constI64(0)});
  auto *fill = newBlock("print_fill");
  auto *done = newBlock("print_done");
  branchOnReserve(event, fill, done); // no room: counted as lost
  b_.SetInsertPoint(fill);
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(object::EventKind::PrintValue)), event);
  b_.CreateStore(b_.getInt32(id), offsetPtr(event, 4));
  Helper read = space == ast::AddrSpace::User ? Helper::ProbeReadUser : Helper::ProbeReadKernel;
  mb_.callHelper(read, mb_.i64(),
                 {offsetPtr(event, 8), b_.getInt32(record.size), b_.CreateIntToPtr(src, mb_.ptr())});
  mb_.callHelper(Helper::RingbufSubmit, b_.getVoidTy(), {event, mb_.constI64(0)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

} // namespace scry::codegen
