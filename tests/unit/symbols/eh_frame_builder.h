// Hand-made .eh_frame sections for the unwind table tests: CIEs and FDEs with chosen
// encodings and instructions, laid out as a linker would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scry::symbols::test {

// Call-frame instructions used by the tests (DWARF 5 table 7.29).
namespace cfa {
inline std::vector<uint8_t> defCfa(uint8_t reg, uint8_t off) { return {0x0c, reg, off}; }
inline std::vector<uint8_t> defCfaOffset(uint8_t off) { return {0x0e, off}; }
inline std::vector<uint8_t> defCfaRegister(uint8_t reg) { return {0x0d, reg}; }
inline std::vector<uint8_t> advance(uint8_t delta) { return {uint8_t(0x40 | delta)}; }
// reg saved at CFA + factored * data_align (-8 below)
inline std::vector<uint8_t> offset(uint8_t reg, uint8_t factored) {
  return {uint8_t(0x80 | reg), factored};
}
inline std::vector<uint8_t> restore(uint8_t reg) { return {uint8_t(0xc0 | reg)}; }
inline std::vector<uint8_t> undefined(uint8_t reg) { return {0x07, reg}; }
inline std::vector<uint8_t> rememberState() { return {0x0a}; }
inline std::vector<uint8_t> restoreState() { return {0x0b}; }
inline std::vector<uint8_t> pltExpression() {
  return {0x0f, 11, 0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22};
}
} // namespace cfa

inline std::vector<uint8_t> cat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

// The usual x86_64 CIE program: CFA = rsp + 8, return address at CFA - 8.
inline std::vector<uint8_t> standardInitial() {
  return cat({cfa::defCfa(7, 8), cfa::offset(16, 1)});
}

class EhFrameBuilder {
public:
  explicit EhFrameBuilder(uint64_t vaddr) : vaddr_(vaddr) {}

  // A CIE: version 1, code alignment 1, data alignment -8, return address 16, the given
  // augmentation string and data. Returns its offset, for addFde.
  size_t addCie(const std::vector<uint8_t> &initial, const std::string &aug = "zR",
                const std::vector<uint8_t> &aug_data = {0x1b}, bool is64 = false) {
    std::vector<uint8_t> body = {1};
    body.insert(body.end(), aug.begin(), aug.end());
    body.insert(body.end(), {0, 1, 0x78, 16});
    if (!aug.empty() && aug[0] == 'z') {
      body.push_back(static_cast<uint8_t>(aug_data.size()));
      body.insert(body.end(), aug_data.begin(), aug_data.end());
    }
    body.insert(body.end(), initial.begin(), initial.end());
    return entry(0, body, is64);
  }

  // An FDE for [begin, begin + size) with pc-relative sdata4 pointers (encoding 0x1b)
  // and empty augmentation data.
  size_t addFde(size_t cie, uint64_t begin, uint32_t size, const std::vector<uint8_t> &instrs,
                bool is64 = false) {
    size_t field = bytes_.size() + (is64 ? 12 : 4) + (is64 ? 8 : 4); // pc_begin's position
    auto rel = static_cast<uint32_t>(begin - (vaddr_ + field));
    std::vector<uint8_t> body;
    put(body, rel, 4);
    put(body, size, 4);
    body.push_back(0); // augmentation data length
    body.insert(body.end(), instrs.begin(), instrs.end());
    return fdeRaw(cie, body, is64);
  }

  // An FDE with a body (after the CIE pointer) written by the caller.
  size_t fdeRaw(size_t cie, const std::vector<uint8_t> &body, bool is64 = false) {
    size_t pointer_field = bytes_.size() + (is64 ? 12 : 4);
    return entry(pointer_field - cie, body, is64);
  }

  // An entry with a body (after its id) written by the caller; id 0 makes a CIE.
  size_t addRaw(uint64_t id, const std::vector<uint8_t> &body, bool is64 = false) {
    return entry(id, body, is64);
  }

  void terminate() { put(bytes_, 0, 4); }
  size_t size() const { return bytes_.size(); }
  uint64_t vaddr() const { return vaddr_; }
  const std::vector<uint8_t> &bytes() const { return bytes_; }
  // The section address of the next entry's pc_begin field in a 32-bit FDE.
  uint64_t nextPcField() const { return vaddr_ + bytes_.size() + 8; }

  static void put(std::vector<uint8_t> &out, uint64_t value, int size) {
    for (int i = 0; i < size; ++i)
      out.push_back(static_cast<uint8_t>(value >> (8 * i)));
  }

private:
  size_t entry(uint64_t id, const std::vector<uint8_t> &body, bool is64) {
    size_t start = bytes_.size();
    if (is64) {
      put(bytes_, 0xffffffff, 4);
      put(bytes_, body.size() + 8, 8);
      put(bytes_, id, 8);
    } else {
      put(bytes_, body.size() + 4, 4);
      put(bytes_, id, 4);
    }
    bytes_.insert(bytes_.end(), body.begin(), body.end());
    return start;
  }

  uint64_t vaddr_;
  std::vector<uint8_t> bytes_;
};

} // namespace scry::symbols::test
