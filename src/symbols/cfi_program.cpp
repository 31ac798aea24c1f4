// The call-frame instruction interpreter for unwind tables. See cfi_program.h. It keeps
// only the rules the x86_64 unwinder reads (the CFA, rbp, the return address); the
// other registers' instructions are decoded and dropped.
#include "symbols/cfi_program.h"

#include <algorithm>
#include <array>
#include <limits>

#include "symbols/byte_reader.h"

namespace scry::symbols {

namespace {

// x86_64 DWARF register numbers (System V psABI, "DWARF Register Number Mapping").
constexpr uint64_t kRbp = 6, kRsp = 7, kRip = 16;

// Call-frame instructions (DWARF 5 table 7.29). The first three carry an operand in
// their low 6 bits.
constexpr uint8_t kAdvanceLoc = 0x1, kOffset = 0x2, kRestore = 0x3; // high 2 bits
enum : uint8_t {
  kNop = 0x00,
  kSetLoc = 0x01,
  kAdvanceLoc1 = 0x02,
  kAdvanceLoc2 = 0x03,
  kAdvanceLoc4 = 0x04,
  kOffsetExtended = 0x05,
  kRestoreExtended = 0x06,
  kUndefined = 0x07,
  kSameValue = 0x08,
  kRegister = 0x09,
  kRememberState = 0x0a,
  kRestoreState = 0x0b,
  kDefCfa = 0x0c,
  kDefCfaRegister = 0x0d,
  kDefCfaOffset = 0x0e,
  kDefCfaExpression = 0x0f,
  kExpression = 0x10,
  kOffsetExtendedSf = 0x11,
  kDefCfaSf = 0x12,
  kDefCfaOffsetSf = 0x13,
  kValOffset = 0x14,
  kValOffsetSf = 0x15,
  kValExpression = 0x16,
  kGnuArgsSize = 0x2e,
  kGnuNegativeOffsetExtended = 0x2f,
};

// binutils' CFA for a lazy .plt (elf_x86_64_eh_frame_lazy_plt): rsp + 8, plus 8 once
// the entry has pushed its relocation index, i.e. from byte 11 of each 16-byte entry:
// DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11; DW_OP_ge;
// DW_OP_lit3; DW_OP_shl; DW_OP_plus. The IBT and MPX variants (lit10, lit5) differ in
// that threshold, which the row has no field for: they stay None.
constexpr std::array<uint8_t, 11> kPltExpression = {0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a,
                                                    0x3b, 0x2a, 0x33, 0x24, 0x22};

enum class Rule : uint8_t { Unset, Undefined, SameValue, Offset, Other };
struct RegRule {
  Rule rule = Rule::Unset;
  int64_t offset = 0; // Offset: saved at CFA + offset
};
enum class CfaRule : uint8_t { Invalid, RegOffset, Expression };
struct State {
  CfaRule cfa = CfaRule::Invalid;
  uint64_t cfa_reg = 0;
  int64_t cfa_offset = 0;
  std::span<const uint8_t> cfa_expr;
  RegRule rbp, ra;
};

constexpr size_t kMaxRememberDepth = 64;

bool fitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

UnwindRow reduce(const State &s, uint64_t loc) {
  UnwindRow none;
  none.offset = loc;
  if (s.ra.rule != Rule::Offset || s.ra.offset != -8)
    return none;
  UnwindRow row = none;
  switch (s.cfa) {
  case CfaRule::Invalid: return none;
  case CfaRule::RegOffset:
    if ((s.cfa_reg != kRsp && s.cfa_reg != kRbp) || !fitsInt32(s.cfa_offset))
      return none;
    row.cfa = s.cfa_reg == kRsp ? UnwindCfa::Rsp : UnwindCfa::Rbp;
    row.cfa_offset = static_cast<int32_t>(s.cfa_offset);
    break;
  case CfaRule::Expression:
    if (!std::ranges::equal(s.cfa_expr, kPltExpression))
      return none;
    row.cfa = UnwindCfa::Plt;
    row.cfa_offset = 8;
    break;
  }
  switch (s.rbp.rule) {
  case Rule::Unset:
  case Rule::SameValue: row.rbp = UnwindRbp::Same; break;
  case Rule::Offset:
    row.rbp = fitsInt32(s.rbp.offset) ? UnwindRbp::AtCfa : UnwindRbp::Unknown;
    row.rbp_offset = row.rbp == UnwindRbp::AtCfa ? static_cast<int32_t>(s.rbp.offset) : 0;
    break;
  case Rule::Undefined:
  case Rule::Other: row.rbp = UnwindRbp::Unknown; break;
  }
  return row;
}

class Interpreter {
public:
  Interpreter(const FdeInfo &fde, std::vector<UnwindRow> &rows)
      : cie_(*fde.cie), loc_(fde.pc_begin), end_(fde.pc_end), rows_(rows), first_(rows.size()) {}

  // Runs `program`; false when it is malformed. Stops early (true) at pc_end.
  bool run(std::span<const uint8_t> program) {
    ByteReader r(program);
    while (!r.atEnd() && !done_) // each step consumes at least its opcode byte
      if (!step(r) || r.failed())
        return false;
    return true;
  }
  // After the CIE's instructions: the rules DW_CFA_restore returns to.
  void markInitial() { initial_ = state_; }
  // The row still open at the end of the program.
  void finish() {
    if (!done_)
      emit();
  }

private:
  bool step(ByteReader &r) {
    uint8_t op = r.u8();
    switch (op >> 6) {
    case kAdvanceLoc: return advance(op & 0x3f);
    case kOffset: return setOffset(op & 0x3f, r.uleb(), Rule::Offset);
    case kRestore: restore(op & 0x3f); return true;
    }
    switch (op) {
    case kNop: return true;
    case kGnuArgsSize:
      r.uleb(); // the outgoing arguments' size: not needed to unwind
      return true;
    case kAdvanceLoc1: return advance(r.u8());
    case kAdvanceLoc2: return advance(r.u16());
    case kAdvanceLoc4: return advance(r.u32());
    case kOffsetExtended: {
      uint64_t reg = r.uleb();
      return setOffset(reg, r.uleb(), Rule::Offset);
    }
    case kOffsetExtendedSf: {
      uint64_t reg = r.uleb();
      return setFactored(reg, r.sleb(), Rule::Offset);
    }
    case kGnuNegativeOffsetExtended: {
      uint64_t reg = r.uleb();
      uint64_t off = r.uleb();
      if (off > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return false;
      return setFactored(reg, -static_cast<int64_t>(off), Rule::Offset);
    }
    case kValOffset: {
      uint64_t reg = r.uleb();
      return setOffset(reg, r.uleb(), Rule::Other);
    }
    case kValOffsetSf: {
      uint64_t reg = r.uleb();
      return setFactored(reg, r.sleb(), Rule::Other);
    }
    case kRestoreExtended: restore(r.uleb()); return true;
    case kUndefined: setRule(r.uleb(), {Rule::Undefined, 0}); return true;
    case kSameValue: setRule(r.uleb(), {Rule::SameValue, 0}); return true;
    case kRegister: {
      uint64_t reg = r.uleb();
      r.uleb(); // the register holding it
      setRule(reg, {Rule::Other, 0});
      return true;
    }
    case kExpression:
    case kValExpression: {
      uint64_t reg = r.uleb();
      r.skip(r.uleb());
      setRule(reg, {Rule::Other, 0});
      return true;
    }
    case kRememberState:
      if (stack_.size() >= kMaxRememberDepth)
        return false;
      stack_.push_back(state_);
      return true;
    case kRestoreState:
      if (stack_.empty())
        return false;
      state_ = stack_.back(); // the CFA too, as GCC's epilogues expect
      stack_.pop_back();
      return true;
    case kDefCfa: {
      uint64_t reg = r.uleb();
      return defCfa(reg, r.uleb());
    }
    case kDefCfaSf: {
      uint64_t reg = r.uleb();
      int64_t off = 0;
      if (!factor(r.sleb(), off))
        return false;
      state_.cfa = CfaRule::RegOffset;
      state_.cfa_reg = reg;
      state_.cfa_offset = off;
      return true;
    }
    case kDefCfaRegister:
      // Only meaningful after a register-and-offset CFA; after an expression it leaves
      // the CFA undefined (Invalid stays Invalid).
      if (state_.cfa == CfaRule::Expression)
        state_.cfa = CfaRule::Invalid;
      state_.cfa_reg = r.uleb();
      return true;
    case kDefCfaOffset: {
      uint64_t off = r.uleb();
      if (off > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return false;
      if (state_.cfa == CfaRule::Expression)
        state_.cfa = CfaRule::Invalid;
      state_.cfa_offset = static_cast<int64_t>(off);
      return true;
    }
    case kDefCfaOffsetSf: {
      int64_t off = 0;
      if (!factor(r.sleb(), off))
        return false;
      if (state_.cfa == CfaRule::Expression)
        state_.cfa = CfaRule::Invalid;
      state_.cfa_offset = off;
      return true;
    }
    case kDefCfaExpression:
      state_.cfa = CfaRule::Expression;
      state_.cfa_expr = r.take(r.uleb());
      return true;
    case kSetLoc: return false;
    }
    return false; // an opcode DWARF 5 and GNU do not define, of unknown length
  }

  bool defCfa(uint64_t reg, uint64_t off) {
    if (off > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return false;
    state_.cfa = CfaRule::RegOffset;
    state_.cfa_reg = reg;
    state_.cfa_offset = static_cast<int64_t>(off);
    return true;
  }

  // value * data_align, false on overflow.
  bool factor(int64_t value, int64_t &out) const {
    return !__builtin_mul_overflow(value, cie_.data_align, &out);
  }
  bool setFactored(uint64_t reg, int64_t value, Rule rule) {
    int64_t off = 0;
    if (!factor(value, off))
      return false;
    setRule(reg, {rule, off});
    return true;
  }
  bool setOffset(uint64_t reg, uint64_t value, Rule rule) {
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return false;
    return setFactored(reg, static_cast<int64_t>(value), rule);
  }

  void setRule(uint64_t reg, RegRule rule) {
    if (reg == kRbp)
      state_.rbp = rule;
    else if (reg == kRip)
      state_.ra = rule;
  }
  void restore(uint64_t reg) {
    if (reg == kRbp)
      state_.rbp = initial_.rbp;
    else if (reg == kRip)
      state_.ra = initial_.ra;
  }

  // Closes the row at loc_ and opens one `delta` code units later. Past pc_end the
  // remaining instructions cannot matter: done.
  bool advance(uint64_t delta) {
    uint64_t step = 0, next = 0;
    if (__builtin_mul_overflow(delta, cie_.code_align, &step) ||
        __builtin_add_overflow(loc_, step, &next) || next >= end_) {
      emit();
      done_ = true;
      return true;
    }
    if (next != loc_)
      emit();
    loc_ = next;
    return true;
  }

  void emit() {
    UnwindRow row = reduce(state_, loc_);
    if (rows_.size() == first_ || !sameRules(rows_.back(), row))
      rows_.push_back(row);
  }

  const CieInfo &cie_;
  uint64_t loc_, end_;
  std::vector<UnwindRow> &rows_;
  size_t first_; // this FDE's first row in rows_: merging stops there
  State state_, initial_;
  std::vector<State> stack_;
  bool done_ = false;
};

} // namespace

bool sameRules(const UnwindRow &a, const UnwindRow &b) {
  return a.cfa == b.cfa && a.cfa_offset == b.cfa_offset && a.rbp == b.rbp &&
         a.rbp_offset == b.rbp_offset;
}

bool evaluateFde(const FdeInfo &fde, std::vector<UnwindRow> &rows) {
  if (fde.cie->ra_register != kRip || fde.pc_end <= fde.pc_begin)
    return false;
  size_t before = rows.size();
  Interpreter interp(fde, rows);
  bool ok = interp.run(fde.cie->initial_instructions);
  interp.markInitial();
  if (!ok || !interp.run(fde.instructions)) {
    rows.resize(before);
    return false;
  }
  interp.finish();
  return true;
}

} // namespace scry::symbols
