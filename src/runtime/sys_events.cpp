// Decoding and carrying out of the time, process and system records (sys_events.h).
#include "runtime/sys_events.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <ostream>

#include "runtime/events.h"
#include "runtime/printf_format.h"
#include "support/format_spec.h"

extern char **environ;

namespace scry::runtime {

namespace {

constexpr uint32_t kJoinHeaderSize = 16; // EventHeader, u64 count (codegen/emit_sys.cpp)

std::string decodeJoin(const object::JoinDesc &desc, std::span<const uint8_t> record,
                       std::string &error) {
  uint64_t count = 0;
  if (record.size() < kJoinHeaderSize) {
    error = "join record has no count";
    return "";
  }
  std::memcpy(&count, record.data() + 8, sizeof(count));
  if (count > desc.max_args ||
      record.size() < kJoinHeaderSize + uint64_t{desc.max_args} * desc.arg_size) {
    error = "join record of " + std::to_string(record.size()) + " bytes holds no " +
            std::to_string(count) + " strings";
    return "";
  }
  std::string joined;
  for (uint64_t i = 0; i < count; ++i) {
    const char *s = reinterpret_cast<const char *>(record.data() + kJoinHeaderSize +
                                                   i * desc.arg_size);
    joined += (i ? desc.separator : "") + std::string(s, strnlen(s, desc.arg_size));
  }
  return joined;
}

std::string localTime(const std::string &format, std::ostream &err) {
  time_t now = time(nullptr);
  struct tm tm = {};
  if (!localtime_r(&now, &tm)) {
    err << "WARNING: localtime_r: " << std::strerror(errno) << "\n";
    return "";
  }
  char text[1024];
  size_t n = strftime(text, sizeof text, format.c_str(), &tm);
  if (n == 0)
    err << "WARNING: strftime returned 0\n";
  return std::string(text, n);
}

std::string readStart(const std::string &path, uint64_t max_bytes, std::ostream &err) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    err << "ERROR: failed to open file '" << path << "': " << std::strerror(errno) << "\n";
    return "";
  }
  std::string data(max_bytes, '\0');
  file.read(data.data(), static_cast<std::streamsize>(max_bytes));
  data.resize(static_cast<size_t>(file.gcount()));
  if (file.bad())
    err << "ERROR: failed to read file '" << path << "': " << std::strerror(errno) << "\n";
  return data;
}

std::string errorfLine(const SysEvent &event, OutputFormat format) {
  const object::ErrorfDesc &where = *event.errorf;
  if (format == OutputFormat::Json)
    return std::string("{\"type\": \"") + (where.is_error ? "errorf" : "warnf") +
           "\", \"msg\": " + jsonString(event.text) + ", \"filename\": " +
           jsonString(where.filename) + ", \"line\": " + std::to_string(where.line) +
           ", \"col\": " + std::to_string(where.col) + "}\n";
  return where.location + (where.is_error ? ": ERROR: " : ": WARNING: ") + event.text + "\n";
}

std::string data(const char *type, const std::string &text) {
  return std::string("{\"type\": \"") + type + "\", \"data\": " + jsonString(text) + "}\n";
}

} // namespace

bool decodeSysRecord(const object::BpfObject &object, SysKind kind, uint32_t id,
                     std::span<const uint8_t> record, SysEvent &event, std::string &error) {
  event.kind = kind;
  std::vector<Value> args;
  auto known = [&](size_t count) {
    if (id < count)
      return true;
    error = "no such id";
    return false;
  };
  switch (kind) {
  case SysKind::Time:
    if (!known(object.time_formats.size()))
      return false;
    event.text = object.time_formats[id];
    return true;
  case SysKind::Cat:
    if (!known(object.cats.size()) || !decodePrintfArgs(object.cats[id], record, args, error))
      return false;
    event.text = formatPrintf(object.cats[id].format, args);
    event.max_bytes = object.max_cat_bytes;
    return true;
  case SysKind::System:
    if (!known(object.systems.size()) ||
        !decodePrintfArgs(object.systems[id], record, args, error))
      return false;
    event.text = formatCommand(object.systems[id].format, args);
    return true;
  case SysKind::Join:
    if (!known(object.joins.size()))
      return false;
    event.text = decodeJoin(object.joins[id], record, error);
    return error.empty();
  case SysKind::Errorf:
    if (!known(object.errorfs.size()) ||
        !decodePrintfArgs(object.errorfs[id].printf, record, args, error))
      return false;
    event.errorf = &object.errorfs[id];
    event.text = formatPrintf(event.errorf->printf.format, args);
    return true;
  }
  return false;
}

std::string runSysEvent(const SysEvent &event, OutputFormat format, std::ostream &err) {
  bool json = format == OutputFormat::Json;
  switch (event.kind) {
  case SysKind::Time: {
    std::string text = localTime(event.text, err);
    return json ? data("time", text) : text;
  }
  case SysKind::Cat: {
    std::string text = readStart(event.text, event.max_bytes, err);
    return json ? data("cat", text) : text;
  }
  case SysKind::System: {
    std::string error;
    std::string text = runCommand(event.text, error);
    if (!error.empty())
      err << "ERROR: system(): " << error << "\n";
    return json ? data("syscall", text) : text + "\n";
  }
  case SysKind::Join:
    return json ? data("join", event.text) : event.text + "\n";
  case SysKind::Errorf:
    if (json)
      return errorfLine(event, format);
    err << errorfLine(event, format);
    return "";
  }
  return "";
}

std::string shellQuote(const std::string &text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string formatCommand(const std::string &format, const std::vector<Value> &args) {
  std::vector<support::FormatPiece> pieces;
  std::string error;
  size_t error_offset = 0;
  if (!support::parseFormat(format, pieces, error, error_offset))
    return format; // sema rejects these
  std::string out;
  size_t next = 0;
  for (const support::FormatPiece &piece : pieces) {
    if (!piece.conversion) {
      out += piece.text;
      continue;
    }
    // A `*` width or precision takes an argument of its own.
    size_t used = 1 + static_cast<size_t>(std::count(piece.text.begin(), piece.text.end(), '*'));
    if (next + used > args.size()) {
      out += piece.text;
      continue;
    }
    std::vector<Value> own(args.begin() + static_cast<long>(next),
                           args.begin() + static_cast<long>(next + used));
    next += used;
    out += shellQuote(formatPrintf(piece.text, own));
  }
  return out;
}

std::string runCommand(const std::string &command, std::string &error) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return "";
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  // The shell gets default signal dispositions and no blocked signals, whatever scry
  // has set up for itself.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string sh = "sh", c = "-c", cmd = command;
  char *argv[] = {sh.data(), c.data(), cmd.data(), nullptr};
  pid_t pid = -1;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  std::string out;
  if (rc != 0) {
    error = std::string("cannot run /bin/sh: ") + std::strerror(rc);
    close(fds[0]);
    return out;
  }
  char buffer[4096];
  for (;;) {
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n > 0)
      out.append(buffer, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  close(fds[0]);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return out;
}

} // namespace scry::runtime
