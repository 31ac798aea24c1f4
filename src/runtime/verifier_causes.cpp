// The verifier's complaints explained in the script's terms: what the kernel 6.x
// verifier says when it refuses a program, matched by its wording, and the one line a
// scry user is shown first (the raw complaint and log follow it).
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/verifier_log.h"

namespace scry::runtime {

namespace {

// A complaint matches a cause when it contains one of the cause's phrases. In a phrase,
// a leading '^' anchors it at the start, '#' stands for one or more digits and '%' for
// one or more of [a-z_]. (No std::regex: GCC 12 warns inside it under the sanitizers,
// and these phrases need nothing more.)
struct Cause {
  std::vector<std::string_view> phrases;
  const char *meaning;
};

bool isWord(char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Whether `phrase` matches `text` starting at `at`.
bool matchesAt(std::string_view text, size_t at, std::string_view phrase) {
  for (size_t i = 0; i < phrase.size(); ++i) {
    char p = phrase[i];
    if (p == '#' || p == '%') {
      bool (*in)(char) = p == '#' ? isDigit : isWord;
      if (at >= text.size() || !in(text[at]))
        return false;
      while (at < text.size() && in(text[at]))
        ++at;
      continue;
    }
    if (at >= text.size() || text[at] != p)
      return false;
    ++at;
  }
  return true;
}

bool contains(std::string_view text, std::string_view phrase) {
  if (!phrase.empty() && phrase[0] == '^')
    return matchesAt(text, 0, phrase.substr(1));
  for (size_t at = 0; at < text.size(); ++at)
    if (matchesAt(text, at, phrase))
      return true;
  return false;
}

// Most specific first.
const std::vector<Cause> &causes() {
  static const std::vector<Cause> table = {
      {{"^infinite loop detected"},
       "a loop the verifier cannot prove ends: it sees no progress from one iteration to the "
       "next (it cannot follow a map value: count loops in a variable)"},
      {{"BPF program is too large", "too complex", "The sequence of # jumps"},
       "the program is too complex to verify: a loop whose bound the verifier cannot prove "
       "(e.g. one that tests a map value), or too many nested loops"},
      {{"^back-edge from insn"}, "a loop, which this kernel's verifier does not allow (5.3+ does)"},
      {{"combined stack size of # calls"},
       "the probe and its for-loop bodies together need more than the 512 bytes of BPF stack"},
      {{"stack depth", "stack limit", "invalid write to stack R10 off=-#",
        "invalid read to stack R10 off=-#"},
       "the program needs more than the 512 bytes of BPF stack"},
      {{"invalid access to map value", "invalid access to memory"},
       "a read or write outside the bounds of a value (an index or offset past its end)"},
      {{"min value is negative", "unbounded memory access", "unbounded min value",
        "value is outside of the allowed memory range"},
       "an index or offset the verifier cannot bound: compare it with the size first"},
      {{"invalid mem access"},
       "a dereference of something the verifier does not know to be a valid pointer"},
      {{"invalid read from stack", "invalid indirect read from stack"},
       "a read of memory that was never written (an uninitialized value)"},
      {{"invalid bpf_context access", "dereference of modified ctx ptr"},
       "a read of the probe's context at an offset this probe type does not allow"},
      {{"unknown func", "program of this type cannot use helper", "helper call is not allowed"},
       "a helper function this probe type cannot call"},
      {{"!read_ok"}, "use of a value that was never set (a scry code generation bug: please "
                     "report it)"},
      {{"type=% expected="}, "a helper was given an argument of the wrong kind (a scry "
                             "code generation bug: please report it)"},
      {{"loop detected", "jump out of range"},
       "a jump the verifier does not accept (a scry code generation bug: please report it)"},
  };
  return table;
}

} // namespace

std::string explainComplaint(const std::string &complaint) {
  if (complaint.empty())
    return "";
  for (const Cause &cause : causes())
    for (std::string_view phrase : cause.phrases)
      if (contains(complaint, phrase))
        return cause.meaning;
  return "";
}

} // namespace scry::runtime
