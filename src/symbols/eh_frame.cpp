// Walking .eh_frame: entry lengths, CIE augmentations, FDE pointer encodings. See
// eh_frame.h; the call-frame instructions themselves are run by cfi_program.cpp.
#include "symbols/eh_frame.h"

#include <optional>
#include <string_view>
#include <unordered_map>

#include "symbols/byte_reader.h"

namespace scry::symbols {

namespace {

// Pointer encodings (LSB "DWARF Exception Header Encoding"): the low nibble is the
// format, bits 4-6 what the value is relative to, bit 7 "indirect".
constexpr uint8_t kPeOmit = 0xff;
constexpr uint8_t kPeAbsptr = 0x00, kPeUleb128 = 0x01, kPeUdata2 = 0x02, kPeUdata4 = 0x03,
                  kPeUdata8 = 0x04, kPeSleb128 = 0x09, kPeSdata2 = 0x0a, kPeSdata4 = 0x0b,
                  kPeSdata8 = 0x0c;
constexpr uint8_t kPeAbsolute = 0x00, kPePcrel = 0x10, kPeAligned = 0x50;
constexpr uint8_t kPeIndirect = 0x80;

// The value stored in the format `encoding & 0x0f`; nullopt for an unknown format.
std::optional<uint64_t> readEncoded(ByteReader &r, uint8_t encoding) {
  switch (encoding & 0x0f) {
  case kPeAbsptr:
  case kPeUdata8:
  case kPeSdata8: return r.u64();
  case kPeUleb128: return r.uleb();
  case kPeUdata2: return r.u16();
  case kPeUdata4: return r.u32();
  case kPeSleb128: return static_cast<uint64_t>(r.sleb());
  case kPeSdata2: return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int16_t>(r.u16())));
  case kPeSdata4: return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(r.u32())));
  default: return std::nullopt;
  }
}

// A pointer in `encoding` whose field is at virtual address `field_vaddr`. Only
// absolute and pc-relative values are supported: text-, data- and function-relative
// and aligned ones need bases an .eh_frame on x86_64 does not use; indirect pointers
// (only personality routines have them) would need the target's memory.
std::optional<uint64_t> readPointer(ByteReader &r, uint8_t encoding, uint64_t field_vaddr) {
  if ((encoding & kPeIndirect) || encoding == kPeOmit)
    return std::nullopt;
  auto value = readEncoded(r, encoding);
  if (!value || r.failed())
    return std::nullopt;
  switch (encoding & 0x70) {
  case kPeAbsolute: return value;
  case kPePcrel: return *value + field_vaddr; // wraps like the address arithmetic it encodes
  default: return std::nullopt;
  }
}

// Skips a pointer in `encoding` (the personality routine's): only its size matters, so
// the indirect bit and what it is relative to do not.
bool skipPointer(ByteReader &r, uint8_t encoding) {
  if (encoding == kPeOmit)
    return true;
  if ((encoding & 0x70) == kPeAligned) // padding that depends on the address; unused here
    return false;
  return readEncoded(r, encoding).has_value() && !r.failed();
}

// A CIE's body after its id; nullopt when unsupported or malformed.
std::optional<CieInfo> parseCie(ByteReader r) {
  CieInfo cie;
  uint8_t version = r.u8();
  if (version != 1 && version != 3) // 4 is .debug_frame's, which .eh_frame never uses
    return std::nullopt;
  std::string_view aug = r.cstring();
  // "eh" (GCC 2) puts a pointer of no stated encoding before the alignment factors.
  if (r.failed() || aug.find("eh") != std::string_view::npos)
    return std::nullopt;
  cie.code_align = r.uleb();
  cie.data_align = r.sleb();
  cie.ra_register = version == 1 ? r.u8() : r.uleb();
  if (!aug.empty()) {
    if (aug[0] != 'z') // without 'z' an unknown letter means unknown data of unknown size
      return std::nullopt;
    cie.has_z = true;
    ByteReader data(r.take(r.uleb()));
    for (char letter : aug.substr(1)) {
      if (letter == 'R') {
        cie.fde_encoding = data.u8();
      } else if (letter == 'L') {
        data.u8(); // the LSDA's encoding: only FDE augmentation data uses it
      } else if (letter == 'P') {
        if (!skipPointer(data, data.u8()))
          return std::nullopt;
      } else if (letter != 'S') {
        break; // unknown: 'z' lets the rest of the data be skipped by its length
      }
    }
    if (data.failed())
      return std::nullopt;
  }
  cie.initial_instructions = r.rest();
  if (r.failed())
    return std::nullopt;
  return cie;
}

// An FDE's body after its CIE pointer (`body`'s reader), the body starting at virtual
// address `body_vaddr`; false when malformed.
bool parseFde(ByteReader &e, const CieInfo &cie, uint64_t body_vaddr, FdeInfo &fde) {
  fde.cie = &cie;
  auto begin = readPointer(e, cie.fde_encoding, body_vaddr + e.pos());
  // The range is a length: the encoding's format without what it is relative to.
  auto range = readEncoded(e, cie.fde_encoding);
  if (!begin || !range || e.failed() || *begin + *range < *begin)
    return false;
  fde.pc_begin = *begin;
  fde.pc_end = *begin + *range;
  if (cie.has_z)
    e.skip(e.uleb()); // the LSDA pointer, which unwinding does not need
  fde.instructions = e.rest();
  return !e.failed();
}

} // namespace

EhFrameStats walkEhFrame(std::span<const uint8_t> section, uint64_t vaddr,
                         const std::function<void(const FdeInfo &)> &on_fde) {
  EhFrameStats stats;
  // CIEs by their offset in the section (an FDE's CIE pointer leads to one); nullopt
  // for those that did not parse. Node-based, so the CieInfo addresses stay valid.
  std::unordered_map<size_t, std::optional<CieInfo>> cies;
  ByteReader r(section);
  // Each entry consumes at least its 4-byte length, so this ends within size/4 turns.
  while (!r.atEnd()) {
    size_t start = r.pos();
    uint64_t length = r.u32();
    if (r.failed()) {
      stats.truncated = true;
      break;
    }
    if (length == 0) // the terminator
      break;
    bool is64 = length == 0xffffffff;
    if (is64)
      length = r.u64();
    size_t body_pos = r.pos(); // where the CIE id or the CIE pointer is
    ByteReader e(r.take(length));
    if (r.failed()) {
      stats.truncated = true;
      break;
    }
    uint64_t id = is64 ? e.u64() : e.u32();
    if (e.failed()) {
      ++stats.bad_fdes; // too short to say what it is: count it against the FDEs
      continue;
    }
    if (id == 0) {
      cies.emplace(start, parseCie(e));
      continue;
    }
    // The CIE pointer counts back from its own field.
    auto cie = id <= body_pos ? cies.find(body_pos - id) : cies.end();
    FdeInfo fde;
    if (cie == cies.end() || !cie->second || !parseFde(e, *cie->second, vaddr + body_pos, fde)) {
      ++stats.bad_fdes;
      continue;
    }
    ++stats.fdes;
    on_fde(fde);
  }
  return stats;
}

} // namespace scry::symbols
