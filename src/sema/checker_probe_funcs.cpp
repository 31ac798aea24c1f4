// Type checking of the functions that read the probe's context: reg("name"), a register
// of the x86-64 struct pt_regs that kprobes, uprobes and USDT probes (and, as the first
// member of bpf_perf_event_data, perf-event probes) see (issue 4).
#include <array>
#include <string_view>

#include "sema/checker.h"
#include "sema/probe_builtins.h"
#include "support/format_spec.h"
#include "support/strings.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// struct pt_regs on x86-64, in order: the i-th name is at offset 8 * i.
constexpr std::array<std::string_view, 21> kRegisters = {
    "r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9",    "r8", "ax",
    "cx",  "dx",  "si",  "di",  "orig_ax", "ip", "cs",  "flags", "sp", "ss"};

} // namespace

int regOffset(std::string_view name) {
  for (size_t i = 0; i < kRegisters.size(); ++i)
    if (kRegisters[i] == name)
      return static_cast<int>(8 * i);
  return -1;
}

Type Checker::checkReg(ast::Call *call) {
  check(call->args[0]);
  auto *name = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!name) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "reg() expects a string literal naming a register");
    return Type::none();
  }
  if (regOffset(name->value) < 0) {
    std::vector<std::string> names(kRegisters.begin(), kRegisters.end());
    auto &d = diags_.error(DiagId::ArgumentType, call->args[0]->range,
                           "'" + name->value + "' is not a valid register");
    std::string guess = support::closestMatch(name->value, names);
    d.hint(guess.empty() ? "the x86-64 registers are: " + support::join(names, ", ")
                         : "did you mean '" + guess + "'?");
    return Type::none();
  }
  for (const ProbeSpec *spec : specs_) {
    ContextKind kind = contextKind(*spec);
    if (kind == ContextKind::Regs || kind == ContextKind::PerfEvent)
      continue;
    diags_.error(DiagId::BuiltinNotAvailable, call->range,
                 "reg() can only be used with kprobe, uprobe, usdt, profile, interval, "
                 "software, hardware and watchpoint probes (not " + spec->name + ")");
    return Type::none();
  }
  return Type::integer(64, false);
}

void Checker::checkIterPrintf(ast::Call *call) {
  bool iter = false;
  for (const ProbeSpec *spec : specs_)
    iter = iter || spec->kind == ast::ProbeKind::Iter;
  auto *fmt = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!iter || !fmt)
    return;
  // The kernel formats printf in iterators (bpf_seq_printf, emit_iter.cpp): at most 12
  // arguments (MAX_BPRINTF_VARARGS), flags and widths but no precision or `*`.
  std::vector<support::FormatPiece> pieces;
  std::string error;
  size_t error_offset = 0;
  if (!support::parseFormat(fmt->value, pieces, error, error_offset))
    return; // checkPrintf reported it
  const char *hint = "in iter probes printf is formatted by the kernel: %d %i %u %x %X %c "
                     "%s %p with flags and widths, at most 12 arguments";
  if (call->args.size() - 1 > 12) {
    diags_.error(DiagId::PrintfFormat, call->range,
                 "printf in an iter probe takes at most 12 arguments")
        .hint(hint);
    return;
  }
  size_t arg = 1;
  for (const auto &p : pieces) {
    if (!p.conversion)
      continue;
    if (p.precision >= 0 || p.width_star || p.precision_star ||
        std::string("diuxXcsp").find(p.conversion) == std::string::npos) {
      diags_.error(DiagId::PrintfFormat, fmt->range,
                   "printf in an iter probe cannot use " + p.text)
          .hint(hint);
      return;
    }
    if (arg >= call->args.size())
      return; // checkPrintf reported the count
    ast::Expr *e = call->args[arg++];
    const Type &t = analysis_.types[e->id()];
    bool ok = p.conversion == 's' ? t.isString() || t.isInt()
                                  : t.isInt() || t.isBool() || t.isPointer();
    if (!t.isNone() && !ok)
      diags_.error(DiagId::PrintfFormat, e->range,
                   "printf in an iter probe cannot print a value of type " + t.str() +
                       " with " + p.text)
          .hint(hint);
  }
}

} // namespace scry::sema
