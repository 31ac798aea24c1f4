// The ring-buffer records of the time, process and system functions (object::EventKind
// Time, Cat, System, Join, Errorf): handleRecord (events.h) decodes one into a SysEvent,
// which is pure; runSysEvent then carries it out, which is where scry reads the clock,
// reads a file or runs a command. Output follows bpftrace 0.26:
//   time(fmt)       the formatted local time          {"type": "time", "data": "..."}
//   cat(fmt, ...)   the file's first max_cat_bytes    {"type": "cat", "data": "..."}
//   system(fmt,...) the command's stdout, then "\n"   {"type": "syscall", "data": "..."}
//   join(argv, sep) the joined strings, then "\n"     {"type": "join", "data": "..."}
//   errorf/warnf    "stdin:1:9-62: ERROR: msg" on stderr
//                   {"type": "errorf"|"warnf", "msg": "...", "filename": "stdin", "line": 1, "col": 9}
// A file that cannot be read prints "ERROR: failed to open file '...': reason" on stderr.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "object/object.h"
#include "runtime/map_print.h"
#include "runtime/value.h"

namespace scry::runtime {

// The records' kinds (object::EventKind Time..Errorf).
enum class SysKind { Time, Cat, System, Join, Errorf };

struct SysEvent {
  SysKind kind = SysKind::Time;
  // Time: the strftime format; Cat: the file's name; System: the command line;
  // Join: the joined strings; Errorf: the message.
  std::string text;
  const object::ErrorfDesc *errorf = nullptr; // Errorf: the call's location
  uint64_t max_bytes = 0;                     // Cat
};

// Decodes `record` (header included) of kind `kind` whose header names `id`. Returns
// false with `error` set when it is malformed (an unknown id, arguments outside the
// record).
bool decodeSysRecord(const object::BpfObject &object, SysKind kind, uint32_t id,
                     std::span<const uint8_t> record, SysEvent &event, std::string &error);

// Carries out `event`; returns what goes to the program's output in `format`, and
// writes errors (and errorf/warnf in text form) to `err`.
std::string runSysEvent(const SysEvent &event, OutputFormat format, std::ostream &err);

// system()'s command line: `format` as printf formats it, except that the text of each
// argument is single-quoted for the shell, so values (file names, comm, positional
// parameters) are always one word and never shell syntax (docs/security.md).
std::string formatCommand(const std::string &format, const std::vector<Value> &args);

// `text` as one shell word: in single quotes, each ' written as '\''.
std::string shellQuote(const std::string &text);

// Runs `command` with /bin/sh -c, as bpftrace's popen() does, with stdin from /dev/null
// and stderr shared with scry's; returns its standard output. `error` is set when the
// shell cannot be started.
std::string runCommand(const std::string &command, std::string &error);

} // namespace scry::runtime
