// Explaining load failures from libbpf 1.1's messages and the kernel's verifier log.
#include <gtest/gtest.h>

#include "runtime/verifier_log.h"

using namespace scry::runtime;

namespace {

// What libbpf 1.1 prints (WARN level) when the verifier refuses a program.
const char *kRefused =
    "libbpf: prog 'tp_openat': BPF program load failed: Permission denied\n"
    "libbpf: prog 'tp_openat': -- BEGIN PROG LOAD LOG --\n"
    "0: R1=ctx() R10=fp0\n"
    "; @x[comm] = count(); @ stdin:2\n"
    "0: (b7) r1 = 0                        ; R1_w=0\n"
    "; $p = *(int64 *)0; @ stdin:3\n"
    "1: (79) r0 = *(u64 *)(r1 +0)\n"
    "R1 invalid mem access 'scalar'\n"
    "processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 "
    "mark_read 0\n"
    "-- END PROG LOAD LOG --\n"
    "libbpf: prog 'tp_openat': failed to load: -13\n"
    "libbpf: failed to load object 'scry'\n";

} // namespace

TEST(VerifierLog, FindsTheRefusedProgramAndItsLog) {
  LoadFailure f = parseLibbpfOutput(kRefused);
  EXPECT_EQ(f.program, "tp_openat");
  EXPECT_EQ(f.reason, "Permission denied");
  EXPECT_EQ(f.log.substr(0, 19), "0: R1=ctx() R10=fp0");
  EXPECT_EQ(f.log.find("END PROG"), std::string::npos);
  EXPECT_EQ(f.last_warning, "prog 'tp_openat': failed to load: -13");
}

TEST(VerifierLog, SummaryPointsAtTheScriptLine) {
  VerifierSummary s = summarizeVerifierLog(parseLibbpfOutput(kRefused).log);
  EXPECT_EQ(s.complaint, "R1 invalid mem access 'scalar'");
  EXPECT_EQ(s.file, "stdin");
  EXPECT_EQ(s.line, 3);
  EXPECT_EQ(s.source, "$p = *(int64 *)0;");
}

TEST(VerifierLog, LogWithoutLineInfo) {
  VerifierSummary s = summarizeVerifierLog("0: (b7) r0 = 0\n1: (95) exit\nR0 !read_ok\n"
                                           "verification time 5 usec\nstack depth 0\n");
  EXPECT_EQ(s.complaint, "R0 !read_ok");
  EXPECT_EQ(s.line, 0);
  EXPECT_EQ(summarizeVerifierLog("").complaint, "");
}

TEST(VerifierLog, RefusalWithoutLog) {
  // fentry on this kernel: EPERM before verification, empty log.
  LoadFailure f = parseLibbpfOutput(
      "libbpf: prog 'kf': BPF program load failed: Operation not permitted\n"
      "libbpf: prog 'kf': failed to load: -1\n"
      "libbpf: failed to load object 'scry'\n");
  EXPECT_EQ(f.program, "kf");
  EXPECT_EQ(f.reason, "Operation not permitted");
  EXPECT_EQ(f.log, "");
}

TEST(VerifierLog, NotAProgramFailure) {
  LoadFailure f =
      parseLibbpfOutput("libbpf: map 'events': failed to create: Invalid argument(-22)\n"
                        "libbpf: failed to load object 'scry'\n");
  EXPECT_EQ(f.program, "");
  EXPECT_EQ(f.last_warning, "map 'events': failed to create: Invalid argument(-22)");
  EXPECT_EQ(f.map, "events");
  EXPECT_EQ(f.map_reason, "Invalid argument");
}
