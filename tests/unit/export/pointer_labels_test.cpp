// Issue #5: a pointer in a map key is a label in hex, as the text output prints it; a
// pointer value is still a gauge's number.
#include "export/exposition.h"

#include <gtest/gtest.h>

namespace scry::exporter {
namespace {

using object::ValueKind;
using runtime::Value;

TEST(ExpositionPointers, KeyLabelsInHexValuesAsNumbers) {
  object::MapDesc d;
  d.name = "@owner";
  d.key.kind = ValueKind::Pointer;
  d.value.kind = ValueKind::Pointer;
  d.key_names = {"task"};
  runtime::MapContents map{&d,
                           {{Value::makePointer(0xffff888003a0c000), Value::makePointer(0x32)}}};
  std::string text = render({map}, {}, Format::Prometheus);
  EXPECT_NE(text.find("# TYPE scry_owner gauge\nscry_owner{task=\"0xffff888003a0c000\"} 50\n"),
            std::string::npos)
      << text;
}

} // namespace
} // namespace scry::exporter
