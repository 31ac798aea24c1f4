// Type checking of the string and buffer functions: buf, strncmp, strcontains,
// strstr, strlen, str_concat, strerror, bswap, kptr/uptr and path. The network
// functions (ntop, pton, macaddr) are in checker_net.cpp. Semantics follow bpftrace
// 0.26's stdlib documentation; see docs/language.md#strings-buffers-and-addresses.
#include <algorithm>

#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// strerror()'s string: bpftrace's err_str, room for the longest glibc text.
constexpr uint32_t kStrerrorSize = 64;

// bpf_d_path is allowed in tracing programs attached with fentry/fexit (to the
// functions of the kernel's btf_allowlist_d_path) and in iterators (kernel 5.10+).
bool canUseDPath(ast::ProbeKind kind) {
  switch (kind) {
  case ast::ProbeKind::Fentry:
  case ast::ProbeKind::Fexit:
  case ast::ProbeKind::Kfunc:
  case ast::ProbeKind::Kretfunc:
  case ast::ProbeKind::Iter:
    return true;
  case ast::ProbeKind::Unknown:
  case ast::ProbeKind::Begin:
  case ast::ProbeKind::End:
  case ast::ProbeKind::Tracepoint:
  case ast::ProbeKind::Interval:
  case ast::ProbeKind::Profile:
  case ast::ProbeKind::Software:
  case ast::ProbeKind::Hardware:
  case ast::ProbeKind::RawTracepoint:
  case ast::ProbeKind::Kprobe:
  case ast::ProbeKind::Kretprobe:
  case ast::ProbeKind::Uprobe:
  case ast::ProbeKind::Uretprobe:
  case ast::ProbeKind::Usdt:
  case ast::ProbeKind::Watchpoint:
  case ast::ProbeKind::Self:
    return false;
  }
  return false;
}

// The value of a non-negative integer literal argument, or -1.
int64_t literalArgument(const ast::Expr *e) {
  auto *lit = ast::dyn_cast<ast::IntegerLit>(e);
  return lit && lit->value <= (uint64_t(1) << 62) ? static_cast<int64_t>(lit->value) : -1;
}

} // namespace

// strerror(errno): the error's text, a string computed in the program (as bpftrace
// 0.26's stdlib does), so it compares and stores like any string. bswap(n): `n`'s
// bytes reversed, unsigned of the same width.
Type Checker::checkIntegerFunction(ast::Call *call) {
  Type n = check(call->args[0]);
  if (n.isNone())
    return n;
  bool is_strerror = call->id == ast::FuncId::Strerror;
  if (!n.isInt()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 call->name + "() expects an integer" + (is_strerror ? " error number" : "") +
                     " (" + n.str() + " provided)");
    return Type::none();
  }
  if (is_strerror)
    return Type::string(kStrerrorSize);
  return Type::integer(n.bits(), false);
}

// buf(data[, length]): `data` a pointer or an integer address (length required), or an
// array or string (length optional: all of it). The capacity is the literal length,
// else max_strlen; a length past it is cut to it, as bpftrace does.
Type Checker::checkBuf(ast::Call *call) {
  Type data = check(call->args[0]);
  Type length = call->args.size() == 2 ? check(call->args[1]) : Type::integer(64, false);
  if (data.isNone() || length.isNone())
    return Type::none();
  uint32_t capacity = analysis_.config.max_strlen;
  // A string literal is NUL-padded to any length, as bpftrace reads it
  // (buf("ok_key", 8) prints ok_key\x00\x00); other strings and arrays end at their size.
  bool literal = ast::isa<ast::StringLit>(call->args[0]) && call->args.size() == 2;
  if (data.isArray() || data.isString()) {
    if (!literal)
      capacity = std::min(capacity, data.size());
  } else if (!data.isPointer() && !data.isInt()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "buf() expects a pointer, an integer address, an array or a string (" +
                     data.str() + " provided)");
    return Type::none();
  } else if (call->args.size() == 1) {
    diags_.error(DiagId::ArgumentCount, call->range,
                 "buf() of a pointer or an address requires a length")
        .hint("write buf(ptr, length); only arrays and strings have a length of their own");
    return Type::none();
  }
  if (call->args.size() == 2) {
    if (!length.isInt()) {
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "buf() expects an integer length (" + length.str() + " provided)");
      return Type::none();
    }
    int64_t n = literalArgument(call->args[1]);
    if (n == 0) {
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "buf() length must be greater than 0");
      return Type::none();
    }
    if (n > 0)
      capacity = static_cast<uint32_t>(std::min<int64_t>(n, capacity));
  }
  if (capacity == 0) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "buf() of an empty array has nothing to read");
    return Type::none();
  }
  return Type::buffer(capacity);
}

// strncmp(a, b, n), strcontains(h, n), strstr(h, n), strlen(s), str_concat(a, b): the
// string arguments are strings (string literals, str(), comm, char arrays of
// tracepoints); strncmp's `n` is an integer literal.
Type Checker::checkStringArgs(ast::Call *call) {
  bool is_strncmp = call->id == ast::FuncId::Strncmp;
  size_t strings = is_strncmp ? 2 : call->args.size();
  bool ok = true;
  for (size_t i = 0; i < call->args.size(); ++i) {
    Type t = check(call->args[i]);
    if (t.isNone()) {
      ok = false;
    } else if (i < strings && !t.isString()) {
      diags_.error(DiagId::ArgumentType, call->args[i]->range,
                   call->name + "() expects a string (" + t.str() + " provided)")
          .hint(t.isPointer() || t.isInt() ? "read the string first with str()"
                                           : "these functions work on strings only");
      ok = false;
    }
  }
  if (is_strncmp && ok && literalArgument(call->args[2]) < 0) {
    diags_.error(DiagId::ArgumentType, call->args[2]->range,
                 "strncmp() expects a non-negative integer literal as its length");
    ok = false;
  }
  if (!ok)
    return Type::none();
  if (call->id == ast::FuncId::Strcontains)
    return Type::boolean();
  if (call->id == ast::FuncId::Strlen)
    return Type::integer(64, false);
  // str_concat: max_strlen bytes, like str(), so that `$s = str_concat($s, "x")` stores
  // back into the same variable (bpftrace's examples do that).
  if (call->id == ast::FuncId::StrConcat)
    return Type::string(analysis_.config.max_strlen);
  return Type::integer(64, true); // strncmp: 0 when equal; strstr: the index, or -1
}

// kptr(p), uptr(p): `p` with its address space set. An integer address becomes an
// `int8 *` so that str() and buf() of it read the right memory.
Type Checker::checkAddrSpaceCast(ast::Call *call) {
  Type p = check(call->args[0]);
  if (p.isNone())
    return p;
  auto space = call->id == ast::FuncId::Kptr ? ast::AddrSpace::Kernel : ast::AddrSpace::User;
  if (p.isPointer())
    return Type::pointer(p.pointee(), space);
  if (p.isInt())
    return Type::pointer(Type::integer(8, true), space);
  diags_.error(DiagId::ArgumentType, call->args[0]->range,
               call->name + "() expects a pointer or an integer address (" + p.str() +
                   " provided)");
  return Type::none();
}

// path(struct path *[, size]): bpf_d_path, which the kernel allows only in fentry/fexit
// programs of a few functions and in iterators (kernel 5.10+).
Type Checker::checkPath(ast::Call *call) {
  Type p = check(call->args[0]);
  if (call->args.size() == 2)
    check(call->args[1]);
  for (const auto *spec : specs_) {
    if (!canUseDPath(spec->kind)) {
      diags_.error(DiagId::BuiltinNotAvailable, call->range,
                   "path() is not available in " + spec->name +
                       ": the kernel's bpf_d_path helper works only in fentry/fexit "
                       "and iterator probes");
      return Type::none();
    }
  }
  if (p.isNone())
    return p;
  const Type &target = p.isPointer() ? p.pointee() : p;
  if (!target.isRecord() || target.recordType().name != "struct path") {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "path() expects a struct path or a pointer to one (" + p.str() + " provided)");
    return Type::none();
  }
  if (!p.isPointer() && !ast::isa<ast::FieldAccess>(call->args[0])) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "path() needs the struct path where it lies in kernel memory")
        .hint("pass a field such as file->f_path, or a pointer");
    return Type::none();
  }
  uint32_t size = analysis_.config.max_strlen;
  if (call->args.size() == 2) {
    int64_t n = literalArgument(call->args[1]);
    if (n <= 0) {
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "path() expects a positive integer literal as its size");
      return Type::none();
    }
    size = static_cast<uint32_t>(std::min<int64_t>(n, size));
  }
  return Type::string(size);
}

} // namespace scry::sema
