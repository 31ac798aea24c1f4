// Process resource limits scry depends on. Every map, program and attached probe costs a
// file descriptor, so a script with many probes can exhaust a low RLIMIT_NOFILE.
#pragma once

#include <string>

namespace scry::support {

// Raises the soft RLIMIT_NOFILE to the hard limit (as far as the kernel allows); does
// nothing when it cannot. Called once at start-up.
void raiseFileLimit();

// What to tell the user on EMFILE/ENFILE (one line, no newline): "out of file
// descriptors (RLIMIT_NOFILE is N, hard limit M): ..., raise the limit with `ulimit -n`".
std::string fileLimitText();

} // namespace scry::support
