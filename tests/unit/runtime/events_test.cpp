// Ring-buffer record decoding: printf records, exit records, malformed ones.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/events.h"

using namespace scry::runtime;
using namespace scry::object;

namespace {

ValueType intType(uint32_t size, bool is_signed) {
  ValueType t;
  t.kind = ValueKind::Int;
  t.size = size;
  t.is_signed = is_signed;
  return t;
}

ValueType stringType(uint32_t size) {
  ValueType t;
  t.kind = ValueKind::String;
  t.size = size;
  return t;
}

std::vector<uint8_t> header(EventKind kind, uint32_t id, size_t total) {
  std::vector<uint8_t> rec(total, 0);
  EventHeader h{static_cast<uint32_t>(kind), id};
  std::memcpy(rec.data(), &h, sizeof(h));
  return rec;
}

BpfObject objectWithPrintf() {
  BpfObject object;
  PrintfDesc hi;
  hi.format = "hi\n";
  PrintfDesc args;
  args.format = "pid %d comm %s u8 %u\n";
  args.args = {intType(8, true), stringType(16), intType(1, false)};
  args.offsets = {8, 16, 32};
  object.printfs = {hi, args};
  return object;
}

} // namespace

TEST(Events, PrintfWithoutArguments) {
  BpfObject object = objectWithPrintf();
  EventResult r = handleRecord(object, header(EventKind::Printf, 0, 8));
  EXPECT_EQ(r.kind, EventResult::Kind::Printed);
  EXPECT_EQ(r.text, "hi\n");
}

TEST(Events, PrintfArgumentsAtTheirOffsets) {
  BpfObject object = objectWithPrintf();
  std::vector<uint8_t> rec = header(EventKind::Printf, 1, 40);
  int64_t pid = -12;
  std::memcpy(rec.data() + 8, &pid, 8);
  std::memcpy(rec.data() + 16, "bash", 4);
  rec[32] = 200;
  EventResult r = handleRecord(object, rec);
  ASSERT_EQ(r.kind, EventResult::Kind::Printed) << r.error;
  EXPECT_EQ(r.text, "pid -12 comm bash u8 200\n");
}

TEST(Events, ExitCarriesItsCode) {
  BpfObject object;
  std::vector<uint8_t> rec = header(EventKind::Exit, 0, 16);
  int64_t code = 3;
  std::memcpy(rec.data() + 8, &code, 8);
  EventResult r = handleRecord(object, rec);
  EXPECT_EQ(r.kind, EventResult::Kind::Exit);
  EXPECT_EQ(r.exit_code, 3);
}

TEST(Events, MalformedRecords) {
  BpfObject object = objectWithPrintf();
  EXPECT_EQ(handleRecord(object, std::vector<uint8_t>(4)).kind, EventResult::Kind::Malformed);
  EXPECT_EQ(handleRecord(object, header(EventKind::Printf, 9, 8)).kind,
            EventResult::Kind::Malformed);
  EventResult short_args = handleRecord(object, header(EventKind::Printf, 1, 20));
  EXPECT_EQ(short_args.kind, EventResult::Kind::Malformed);
  EXPECT_NE(short_args.error.find("id 1"), std::string::npos);
  EXPECT_EQ(handleRecord(object, header(EventKind::Exit, 0, 8)).kind,
            EventResult::Kind::Malformed);
  EXPECT_EQ(handleRecord(object, header(static_cast<EventKind>(77), 0, 8)).kind,
            EventResult::Kind::Malformed);
}
