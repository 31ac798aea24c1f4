// The signal table of signal_names.h. Numbers are the x86-64 ones (asm/signal.h);
// SIGRTMIN is the kernel's 32 (glibc reserves 32 and 33 for itself, but a BPF program
// sends the kernel's numbers).
#include "support/signal_names.h"

#include <charconv>

namespace scry::support {

namespace {

struct SignalRow {
  const char *name;
  int number;
};

constexpr SignalRow kSignals[] = {
    {"HUP", 1},    {"INT", 2},     {"QUIT", 3},    {"ILL", 4},     {"TRAP", 5},
    {"ABRT", 6},   {"IOT", 6},     {"BUS", 7},     {"FPE", 8},     {"KILL", 9},
    {"USR1", 10},  {"SEGV", 11},   {"USR2", 12},   {"PIPE", 13},   {"ALRM", 14},
    {"TERM", 15},  {"STKFLT", 16}, {"CHLD", 17},   {"CONT", 18},   {"STOP", 19},
    {"TSTP", 20},  {"TTIN", 21},   {"TTOU", 22},   {"URG", 23},    {"XCPU", 24},
    {"XFSZ", 25},  {"VTALRM", 26}, {"PROF", 27},   {"WINCH", 28},  {"IO", 29},
    {"POLL", 29},  {"PWR", 30},    {"SYS", 31},
};

constexpr int kRtMin = 32;

// "n" of "RTMIN+n" / "RTMAX-n", or -1.
int offset(std::string_view text) {
  int n = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size())
    return -1;
  return n;
}

} // namespace

int signalNumber(std::string_view name) {
  if (name.substr(0, 3) == "SIG")
    name.remove_prefix(3);
  for (const auto &row : kSignals)
    if (name == row.name)
      return row.number;
  int n = -1;
  if (name == "RTMIN")
    n = kRtMin;
  else if (name == "RTMAX")
    n = kMaxSignal;
  else if (name.substr(0, 6) == "RTMIN+" && (n = offset(name.substr(6))) >= 0)
    n += kRtMin;
  else if (name.substr(0, 6) == "RTMAX-" && (n = offset(name.substr(6))) >= 0)
    n = kMaxSignal - n;
  return n >= kRtMin && n <= kMaxSignal ? n : 0;
}

std::string signalName(int number) {
  for (const auto &row : kSignals) // the first name of a number is its usual one
    if (row.number == number)
      return std::string("SIG") + row.name;
  // kill -l's names: halfway up from RTMIN, then down from RTMAX.
  constexpr int kMiddle = (kRtMin + kMaxSignal) / 2;
  if (number == kRtMin)
    return "SIGRTMIN";
  if (number == kMaxSignal)
    return "SIGRTMAX";
  if (number > kRtMin && number <= kMiddle)
    return "SIGRTMIN+" + std::to_string(number - kRtMin);
  if (number > kMiddle && number < kMaxSignal)
    return "SIGRTMAX-" + std::to_string(kMaxSignal - number);
  return "";
}

} // namespace scry::support
