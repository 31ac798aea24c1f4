// Typing of tracepoint fields (src/btf/tracepoint_args.h) without kernel BTF: common
// integer typedefs take the format file's layout and never load BTF (issue 6).
#include <gtest/gtest.h>

#include "btf/tracepoint_args.h"

using namespace scry::btf;

namespace {

// sched:sched_switch's format file on Linux 6.18 (common fields left out).
constexpr const char *kSchedSwitch =
    "name: sched_switch\nID: 316\nformat:\n"
    "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
    "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
    "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
    "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
    "\tfield:u64 next_vruntime;\toffset:40;\tsize:8;\tsigned:0;\n\n"
    "print fmt: \"prev_comm=%s\", REC->prev_comm\n";

} // namespace

TEST(TracepointArgs, IntegerTypedefsNeedNoBtf) {
  BtfTypes btf("/nonexistent/vmlinux"); // loading it would fail
  std::string error;
  auto record = buildTracepointArgs("sched", "sched_switch", kSchedSwitch, btf, error);
  ASSERT_TRUE(record) << error;
  EXPECT_FALSE(btf.loaded());
  const scry::ast::Field *pid = record->find("prev_pid");
  ASSERT_TRUE(pid);
  EXPECT_TRUE(pid->type.isInt());
  EXPECT_EQ(pid->type.bits(), 32u);
  EXPECT_TRUE(pid->type.isSigned());
  const scry::ast::Field *vruntime = record->find("next_vruntime");
  ASSERT_TRUE(vruntime);
  EXPECT_EQ(vruntime->type.bits(), 64u);
  EXPECT_FALSE(vruntime->type.isSigned());
}

TEST(TracepointArgs, OtherTypedefsStillAskBtf) {
  BtfTypes btf("/nonexistent/vmlinux");
  std::string error;
  auto record = buildTracepointArgs(
      "demo", "event",
      "name: event\nID: 1\nformat:\n\tfield:kuid_t uid;\toffset:8;\tsize:4;\tsigned:0;\n", btf,
      error);
  EXPECT_FALSE(record);
  EXPECT_FALSE(error.empty());
}
