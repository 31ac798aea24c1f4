// Parsing of libbpf's load messages and of verifier logs (libbpf 1.1 wording; kernel
// 6.x line-info comments). See verifier_log.h.
#include "runtime/verifier_log.h"

#include <cctype>
#include <cstdlib>
#include <vector>

#include "support/strings.h"

namespace scry::runtime {

namespace {

constexpr std::string_view kLibbpfPrefix = "libbpf: ";
constexpr std::string_view kLoadFailed = "': BPF program load failed: ";
constexpr std::string_view kLogBegin = "': -- BEGIN PROG LOAD LOG --\n";
constexpr std::string_view kLogEnd = "-- END PROG LOAD LOG --";
constexpr std::string_view kMapFailed = "': failed to create: ";

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The program name in "... prog 'NAME<marker>" ending at `marker_pos`.
std::string progNameBefore(const std::string &text, size_t marker_pos) {
  size_t open = text.rfind("prog '", marker_pos);
  if (open == std::string::npos)
    return "";
  open += 6;
  return text.substr(open, marker_pos - open);
}

std::string lineAt(const std::string &text, size_t pos) {
  size_t end = text.find('\n', pos);
  return text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

std::string lastWarning(const std::string &captured) {
  std::string last;
  for (const std::string &line : support::split(captured, '\n')) {
    std::string_view view = line;
    if (!startsWith(view, kLibbpfPrefix))
      continue;
    view.remove_prefix(kLibbpfPrefix.size());
    if (!startsWith(view, "failed to load object")) // says nothing the caller doesn't know
      last = std::string(view);
  }
  return last;
}

bool isStatistics(std::string_view line) {
  return line.empty() || startsWith(line, "processed ") || startsWith(line, "verification time") ||
         startsWith(line, "stack depth") || startsWith(line, "max_states_per_insn");
}

// Lines that describe the verifier's state rather than its complaint: "cur state: ...",
// "old state: ..." (after "infinite loop detected"), "12: R1=ctx() ..." register dumps
// and "from 3 to 7: ..." branch headers.
bool isStateDump(std::string_view line) {
  if (startsWith(line, "cur state:") || startsWith(line, "old state:") ||
      startsWith(line, "from "))
    return true;
  size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits])))
    ++digits;
  return digits > 0 && line.substr(digits, 3) == ": R";
}

// "; <text> @ <file>:<line>" -> true with the parts filled in.
bool parseLineInfo(std::string_view line, VerifierSummary &summary) {
  if (!startsWith(line, "; "))
    return false;
  size_t at = line.rfind(" @ ");
  if (at == std::string_view::npos)
    return false;
  std::string_view where = line.substr(at + 3);
  size_t colon = where.rfind(':');
  if (colon == std::string_view::npos)
    return false;
  int number = std::atoi(std::string(where.substr(colon + 1)).c_str());
  if (number <= 0)
    return false;
  summary.source = std::string(line.substr(2, at - 2));
  summary.file = std::string(where.substr(0, colon));
  summary.line = number;
  return true;
}

} // namespace

LoadFailure parseLibbpfOutput(const std::string &captured) {
  LoadFailure failure;
  failure.last_warning = lastWarning(captured);
  size_t failed = captured.rfind(kLoadFailed);
  if (failed != std::string::npos) {
    failure.program = progNameBefore(captured, failed);
    failure.reason = lineAt(captured, failed + kLoadFailed.size());
  }
  // "libbpf: map 'NAME': failed to create: REASON(-ERRNO)"
  size_t map_failed = captured.rfind(kMapFailed);
  size_t map_open = map_failed == std::string::npos ? map_failed : captured.rfind("map '", map_failed);
  if (map_open != std::string::npos) {
    failure.map = captured.substr(map_open + 5, map_failed - map_open - 5);
    failure.map_reason = lineAt(captured, map_failed + kMapFailed.size());
    size_t errno_suffix = failure.map_reason.rfind("(-");
    if (errno_suffix != std::string::npos && failure.map_reason.ends_with(")"))
      failure.map_reason.resize(errno_suffix);
  }
  size_t begin = captured.rfind(kLogBegin);
  if (begin != std::string::npos) {
    std::string program = progNameBefore(captured, begin);
    if (failure.program.empty())
      failure.program = program;
    if (program == failure.program) {
      size_t start = begin + kLogBegin.size();
      size_t end = captured.find(kLogEnd, start);
      failure.log = captured.substr(start, end == std::string::npos ? end : end - start);
    }
  }
  return failure;
}

VerifierSummary summarizeVerifierLog(const std::string &log) {
  VerifierSummary summary;
  std::vector<std::string> lines = support::split(log, '\n');
  size_t complaint = lines.size();
  while (complaint > 0 && (isStatistics(lines[complaint - 1]) || isStateDump(lines[complaint - 1])))
    --complaint;
  if (complaint == 0)
    return summary;
  summary.complaint = lines[complaint - 1];
  for (size_t i = complaint - 1; i-- > 0;)
    if (parseLineInfo(lines[i], summary))
      break;
  return summary;
}

} // namespace scry::runtime
