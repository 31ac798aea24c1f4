// The verifier's complaints explained in the script's terms: what the kernel 6.x
// verifier says when it refuses a program, matched by its wording, and the one line a
// scry user is shown first (the raw complaint and log follow it).
#include <regex>
#include <string>
#include <vector>

#include "runtime/verifier_log.h"

namespace scry::runtime {

namespace {

struct Cause {
  const char *pattern; // ECMAScript regex searched in the complaint
  const char *meaning;
};

// Most specific first.
const std::vector<Cause> &causes() {
  static const std::vector<Cause> table = {
      {"^infinite loop detected",
       "a loop the verifier cannot prove ends: it sees no progress from one iteration to the "
       "next (it cannot follow a map value: count loops in a variable)"},
      {"BPF program is too large|too complex|The sequence of [0-9]+ jumps",
       "the program is too complex to verify: a loop whose bound the verifier cannot prove "
       "(e.g. one that tests a map value), or too many nested loops"},
      {"^back-edge from insn", "a loop, which this kernel's verifier does not allow (5.3+ does)"},
      {"combined stack size of [0-9]+ calls",
       "the probe and its for-loop bodies together need more than the 512 bytes of BPF stack"},
      {"stack (depth|limit)|invalid (write|read) to stack R10 off=-[0-9]+",
       "the program needs more than the 512 bytes of BPF stack"},
      {"invalid access to map value|invalid access to memory",
       "a read or write outside the bounds of a value (an index or offset past its end)"},
      {"min value is negative|unbounded memory access|unbounded min value|"
       "value is outside of the allowed memory range",
       "an index or offset the verifier cannot bound: compare it with the size first"},
      {"invalid mem access 'scalar'|invalid mem access 'inv'|invalid mem access",
       "a dereference of something the verifier does not know to be a valid pointer"},
      {"invalid (indirect )?read from stack",
       "a read of memory that was never written (an uninitialized value)"},
      {"invalid bpf_context access|dereference of modified ctx ptr",
       "a read of the probe's context at an offset this probe type does not allow"},
      {"unknown func|program of this type cannot use helper|helper call is not allowed",
       "a helper function this probe type cannot call"},
      {"!read_ok", "use of a value that was never set (a scry code generation bug: please "
                   "report it)"},
      {"type=[a-z_]+ expected=", "a helper was given an argument of the wrong kind (a scry "
                                 "code generation bug: please report it)"},
      {"loop detected|jump out of range",
       "a jump the verifier does not accept (a scry code generation bug: please report it)"},
  };
  return table;
}

} // namespace

std::string explainComplaint(const std::string &complaint) {
  if (complaint.empty())
    return "";
  for (const Cause &cause : causes())
    if (std::regex_search(complaint, std::regex(cause.pattern)))
      return cause.meaning;
  return "";
}

} // namespace scry::runtime
