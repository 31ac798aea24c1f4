// Explaining a failed load: picks out of libbpf's messages (captured by the loader)
// which program the kernel refused and why, and out of the verifier log its complaint
// and the script line it was about (from BTF line info). Pure.
#pragma once

#include <string>

namespace scry::runtime {

struct LoadFailure {
  std::string program;      // function name of the refused program; "" when none named
  std::string reason;       // libbpf's reason for that program, e.g. "Permission denied"
  std::string log;          // the verifier log of that program; "" when none
  std::string last_warning; // libbpf's last specific warning, without "libbpf: "
  std::string map;          // ELF name of a map libbpf could not create; "" when none
  std::string map_reason;   // why, e.g. "Argument list too long"
};

// Parses the text libbpf printed during open and load (its WARN-level messages,
// concatenated). Uses the last refused program when several are named.
LoadFailure parseLibbpfOutput(const std::string &captured);

struct VerifierSummary {
  std::string complaint; // the last meaningful line: what the verifier objected to
  std::string source;    // the script text of the nearest line-info comment before it
  std::string file;      // that comment's file name
  int line = 0;          // its 1-based line; 0 when the log carries no line info
};

// Summarizes a verifier log: statistics lines ("processed N insns", "verification
// time", ...) are skipped; line-info comments look like "; <text> @ <file>:<line>".
VerifierSummary summarizeVerifierLog(const std::string &log);

// What a verifier complaint means for the script, in one line ("a loop the verifier
// cannot prove ends"), or "" for a complaint scry has no explanation of
// (verifier_causes.cpp; kernel 6.x wording).
std::string explainComplaint(const std::string &complaint);

} // namespace scry::runtime
