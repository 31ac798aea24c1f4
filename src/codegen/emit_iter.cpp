// printf() in iter probes (issue 4). An iterator's output is the text of its seq file,
// which the runtime reads (or, for a pinned iterator, whoever reads the pin): printf
// writes there with bpf_seq_printf, as bpftrace does, rather than sending a ring-buffer
// record that nobody reads once scry has exited. The kernel formats it, so the format
// is rewritten for the kernel's printf: every argument travels as a u64 (integers as
// %lld/%llu/%llx, %p as 0x%llx) or as a pointer to a NUL-terminated copy of a string.
// Sema (checker_probe_funcs.cpp) keeps to what the kernel supports: at most 12
// arguments, flags and widths but no precision and no `*`.
#include "codegen/program_emitter.h"
#include "support/format_spec.h"

#include <algorithm>

namespace scry::codegen {

namespace {

// The kernel's spelling of one conversion of `p`.
std::string kernelConversion(const support::FormatPiece &p, bool string_arg) {
  std::string spec = "%" + p.flags + (p.width >= 0 ? std::to_string(p.width) : "");
  switch (p.conversion) {
  case 's':
    return spec + (string_arg ? "s" : "lld");
  case 'c':
    return spec + "c";
  case 'p':
    return "0x%llx";
  case 'u':
    return spec + "llu";
  case 'x':
  case 'X':
    return spec + "ll" + p.conversion;
  default: // d i
    return spec + "lld";
  }
}

std::string escapePercent(const std::string &text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '%')
      out += '%';
  }
  return out;
}

} // namespace

void ProgramEmitter::emitSeqPrintf(ast::Call *call) {
  std::vector<support::FormatPiece> pieces;
  std::string error;
  size_t error_offset = 0;
  support::parseFormat(ast::cast<ast::StringLit>(call->args[0])->value, pieces, error,
                       error_offset); // sema checked it
  size_t nargs = call->args.size() - 1;
  llvm::Value *data = nargs ? allocBuffer(static_cast<uint32_t>(8 * nargs))
                            : llvm::ConstantPointerNull::get(b_.getPtrTy());
  std::string format;
  size_t arg = 1;
  for (const auto &p : pieces) {
    if (!p.conversion) {
      format += escapePercent(p.text);
      continue;
    }
    ast::Expr *e = call->args[arg];
    const ast::Type &t = typeOf(e);
    llvm::Value *slot = offsetPtr(data, 8 * (arg - 1));
    if (t.isString()) {
      // A copy one byte longer than the string, so it is NUL-terminated even when full.
      llvm::Value *copy = allocBuffer(t.size() + 1);
      emitStringInto(e, copy, t.size());
      b_.CreateStore(b_.getInt8(0), offsetPtr(copy, t.size()));
      b_.CreateStore(b_.CreatePtrToInt(copy, mb_.i64()), slot);
    } else {
      b_.CreateStore(emitScalar(e), slot);
    }
    format += kernelConversion(p, t.isString());
    ++arg;
  }
  // One table per call site: the node's id is unique in the program.
  std::string table =
      "scry_seq_fmt_" + std::to_string(static_cast<const ast::Node *>(call)->id());
  auto *fmt = rodataTable(table, llvm::ConstantDataArray::getString(mb_.ctx(), format, true));
  // meta->seq: the context's first field, then the meta's first (both BTF pointers).
  llvm::Value *meta = b_.CreateLoad(mb_.ptr(), ctx_);
  llvm::Value *seq = b_.CreateLoad(mb_.ptr(), meta);
  mb_.callHelper(Helper::SeqPrintf, mb_.i64(),
                 {seq, fmt, b_.getInt32(static_cast<uint32_t>(format.size() + 1)), data,
                  b_.getInt32(static_cast<uint32_t>(8 * nargs))});
}

} // namespace scry::codegen
