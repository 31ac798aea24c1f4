// Marks the strings that may have been cut by max_strlen (see value_types.h). Done
// once over the finished object's metadata, since map, printf and print() value types
// are built in many places.
#include "codegen/value_types.h"

namespace scry::codegen {

namespace {

void mark(object::ValueType &type, uint32_t max_strlen, const std::string &trailer) {
  if (type.kind == object::ValueKind::String && type.size == max_strlen) {
    type.truncatable = true;
    type.trunc_trailer = trailer;
  }
  for (auto &field : type.fields)
    mark(field, max_strlen, trailer);
}

} // namespace

void markTruncatableStrings(object::BpfObject &out, uint32_t max_strlen,
                            const std::string &trailer) {
  for (auto &map : out.maps) {
    mark(map.key, max_strlen, trailer);
    mark(map.value, max_strlen, trailer);
  }
  for (auto &printf : out.printfs)
    for (auto &arg : printf.args)
      mark(arg, max_strlen, trailer);
  for (auto &value : out.print_values)
    mark(value, max_strlen, trailer);
}

} // namespace scry::codegen
