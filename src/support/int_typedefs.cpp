#include "support/int_typedefs.h"

namespace scry::support {

bool integerTypedef(std::string_view name, IntTypedef &out) {
  static constexpr struct {
    std::string_view name;
    IntTypedef type;
  } kTypedefs[] = {
      {"u8", {8, false}},         {"__u8", {8, false}},       {"uint8_t", {8, false}},
      {"s8", {8, true}},          {"__s8", {8, true}},        {"int8_t", {8, true}},
      {"u16", {16, false}},       {"__u16", {16, false}},     {"uint16_t", {16, false}},
      {"s16", {16, true}},        {"__s16", {16, true}},      {"int16_t", {16, true}},
      {"u32", {32, false}},       {"__u32", {32, false}},     {"uint32_t", {32, false}},
      {"s32", {32, true}},        {"__s32", {32, true}},      {"int32_t", {32, true}},
      {"u64", {64, false}},       {"__u64", {64, false}},     {"uint64_t", {64, false}},
      {"s64", {64, true}},        {"__s64", {64, true}},      {"int64_t", {64, true}},
      {"__le16", {16, false}},    {"__be16", {16, false}},    {"__le32", {32, false}},
      {"__be32", {32, false}},    {"__le64", {64, false}},    {"__be64", {64, false}},
      {"pid_t", {32, true}},      {"uid_t", {32, false}},     {"gid_t", {32, false}},
      {"umode_t", {16, false}},   {"clockid_t", {32, true}},  {"gfp_t", {32, false}},
      {"dev_t", {32, false}},     {"size_t", {64, false}},    {"ssize_t", {64, true}},
      {"loff_t", {64, true}},     {"off_t", {64, true}},      {"ino_t", {64, false}},
      {"time64_t", {64, true}},   {"sector_t", {64, false}},  {"dma_addr_t", {64, false}},
      {"phys_addr_t", {64, false}}, {"resource_size_t", {64, false}},
  };
  for (const auto &row : kTypedefs)
    if (row.name == name) {
      out = row.type;
      return true;
    }
  return false;
}

} // namespace scry::support
