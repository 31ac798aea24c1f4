// Linux signal names and numbers, for signal("KILL") in scripts. x86-64 numbering.
#pragma once

#include <string>
#include <string_view>

namespace scry::support {

// The number of `name` ("KILL" or "SIGKILL", case-sensitive as in kill(1)), or 0 when
// it names no signal. Real-time signals are "RTMIN", "RTMIN+n", "RTMAX-n".
int signalNumber(std::string_view name);

// The name of signal `number` as kill -l gives it ("SIGKILL", "SIGRTMIN+1", "SIGRTMAX-1"),
// or "" when there is none (signal_name(), issue 5).
std::string signalName(int number);

// The highest signal number (SIGRTMAX, 64 on x86-64).
constexpr int kMaxSignal = 64;

} // namespace scry::support
