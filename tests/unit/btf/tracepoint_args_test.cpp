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

// Syscall tracepoints store every argument as the 8-byte register; a field declared
// narrower is read as declared (bpftrace types it through BTF): `int dfd` is an int32,
// so AT_FDCWD reads -100; `umode_t mode` a uint16; `unsigned long` stays 64 bits.
TEST(TracepointArgs, SyscallFieldsNarrowerThanTheirSlotReadAsDeclared) {
  BtfTypes btf("/nonexistent/vmlinux");
  std::string error;
  auto record = buildTracepointArgs(
      "syscalls", "sys_enter_openat",
      "name: sys_enter_openat\nID: 1\nformat:\n"
      "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
      "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
      "\tfield:umode_t mode;\toffset:24;\tsize:8;\tsigned:0;\n"
      "\tfield:unsigned long len;\toffset:32;\tsize:8;\tsigned:0;\n",
      btf, error);
  ASSERT_TRUE(record) << error;
  const scry::ast::Field *dfd = record->find("dfd");
  ASSERT_TRUE(dfd);
  EXPECT_EQ(dfd->type.bits(), 32u);
  EXPECT_TRUE(dfd->type.isSigned());
  EXPECT_EQ(dfd->offset, 16u);
  EXPECT_EQ(record->find("mode")->type.bits(), 16u);
  EXPECT_FALSE(record->find("mode")->type.isSigned());
  EXPECT_EQ(record->find("len")->type.bits(), 64u);
}
