// The one-line causes shown before a verifier refusal's log, and finding the complaint
// behind the state dumps that follow some of them (kernel 6.x wording).
#include <gtest/gtest.h>

#include "runtime/verifier_log.h"

using namespace scry::runtime;

TEST(VerifierCauses, ComplaintSkipsStateDumps) {
  // A loop on a map value, as kernel 6.18 refuses it.
  VerifierSummary s = summarizeVerifierLog(
      "; while (@x < 1000000) { @ stdin:2\n"
      "29: (55) if r0 != 0x0 goto pc+31      ; R0=0\n"
      "; @x = @x + 1; @ stdin:3\n"
      "39: (79) r8 = *(u64 *)(r0 +0)\n"
      "infinite loop detected at insn 40\n"
      "cur state: R0=map_value(map=AT_x,ks=8,vs=8) R6=0 R10=fp0\n"
      "old state: R0=map_value(map=AT_x,ks=8,vs=8) R6=0 R10=fp0\n"
      "processed 105 insns (limit 1000000) max_states_per_insn 1 total_states 8\n");
  EXPECT_EQ(s.complaint, "infinite loop detected at insn 40");
  EXPECT_EQ(s.line, 3);
  EXPECT_EQ(s.source, "@x = @x + 1;");
  VerifierSummary dump = summarizeVerifierLog("; x @ stdin:1\nR1 invalid mem access 'scalar'\n"
                                              "12: R1=scalar() R10=fp0\n"
                                              "from 3 to 7: R0=1\n");
  EXPECT_EQ(dump.complaint, "R1 invalid mem access 'scalar'");
}

TEST(VerifierCauses, KnownComplaints) {
  auto explains = [](const std::string &complaint, const std::string &words) {
    std::string cause = explainComplaint(complaint);
    EXPECT_NE(cause.find(words), std::string::npos) << complaint << " -> " << cause;
  };
  explains("infinite loop detected at insn 40", "cannot prove ends");
  explains("BPF program is too large. Processed 1000001 insn", "too complex");
  explains("The sequence of 8193 jumps is too complex.", "too complex");
  explains("back-edge from insn 9 to 3", "loop");
  explains("combined stack size of 2 calls is 576. Too large", "512 bytes");
  explains("invalid access to map value, value_size=16 off=16 size=8", "outside the bounds");
  explains("R1 min value is negative, either use unsigned index or do a if (index >=0) check.",
           "cannot bound");
  explains("R2 unbounded memory access, make sure to bounds check any such access",
           "cannot bound");
  explains("R1 invalid mem access 'scalar'", "valid pointer");
  explains("invalid indirect read from stack R2 off -16+0 size 8", "never written");
  explains("program of this type cannot use helper bpf_probe_write_user#36",
           "cannot call");
  explains("invalid bpf_context access off=200 size=8", "context");
  explains("invalid write to stack R10 off=-520 size=8", "512 bytes");
  explains("R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value", "wrong kind");
  // '^' anchors: elsewhere in a line the phrase is only the generic "loop detected".
  explains("later: infinite loop detected at insn 4", "jump the verifier");
  EXPECT_EQ(explainComplaint("invalid write to stack R10 off=-"), ""); // "#": 1+ digits
  EXPECT_EQ(explainComplaint("something new the kernel says"), "");
  EXPECT_EQ(explainComplaint(""), "");
}
