// The type source on the running kernel: the only non-hermetic test of src/btf. Skipped
// unless /sys/kernel/btf/vmlinux and a mounted, readable tracefs are present; never mounts.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "btf/type_source.h"

using namespace scry;
using namespace scry::btf;
using ast::Type;

TEST(KernelTypeSource, RealKernel) {
  const char *format = "/sys/kernel/tracing/events/syscalls/sys_enter_openat/format";
  if (::access("/sys/kernel/btf/vmlinux", R_OK) != 0 || ::access(format, R_OK) != 0)
    GTEST_SKIP() << "needs readable /sys/kernel/btf/vmlinux and a mounted tracefs";

  auto source = makeKernelTypeSource("/sys/kernel/tracing", "");
  std::string error;
  auto start = std::chrono::steady_clock::now();
  auto openat = source->tracepointArgs("syscalls", "sys_enter_openat", error);
  auto first = std::chrono::steady_clock::now();
  auto switch_args = source->tracepointArgs("sched", "sched_switch", error);
  auto second = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::cout << "first tracepointArgs(syscalls:sys_enter_openat), BTF parse + index: "
            << ms(first - start) << " ms; next tracepoint: " << ms(second - first) << " ms\n";

  ASSERT_TRUE(openat) << error;
  const ast::Field *filename = openat->find("filename");
  ASSERT_TRUE(filename);
  EXPECT_EQ(filename->offset, 24u);
  EXPECT_EQ(filename->type.addrSpace(), ast::AddrSpace::User);
  EXPECT_EQ(openat->find("mode")->type, Type::integer(16, false)); // umode_t in 8 bytes

  ASSERT_TRUE(switch_args) << error;
  EXPECT_EQ(switch_args->find("prev_pid")->type, Type::integer(32, true));
  EXPECT_EQ(switch_args->find("next_comm")->type, Type::string(16));

  auto task = source->kernelRecord("struct task_struct", ast::AddrSpace::Kernel, error);
  ASSERT_TRUE(task) << error;
  ASSERT_TRUE(task->find("comm"));
  EXPECT_EQ(task->find("comm")->type, Type::string(16));
  EXPECT_TRUE(task->find("real_parent")->type.isPointer());

  // Already mounted (checked above), so this mounts nothing.
  std::string mount_error;
  EXPECT_EQ(ensureTracefs(mount_error), "/sys/kernel/tracing") << mount_error;

  EXPECT_TRUE(source->hasTracepoint("sched", "sched_switch"));
  EXPECT_GT(source->tracepoints("syscalls", "sys_enter_*").size(), 100u);
}
