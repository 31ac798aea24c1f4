// Command-line options of the scry binary, parsed with getopt_long.
#include "driver/options.h"

#include <getopt.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <sstream>

#include "support/strings.h"

namespace scry::driver {

namespace {

// "dir" for "dir/x.bt", "." for "x.bt": where the script's relative imports start.
std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

constexpr const char *kStages[] = {"ast", "types", "ir", "ir-opt", "bpf", "stack", "verifier"};

bool validStage(const std::string &stage) {
  for (const char *s : kStages)
    if (stage == s)
      return true;
  return false;
}

bool parsePid(const char *text, int &pid) {
  char *end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v <= 0 || v > INT32_MAX)
    return false;
  pid = static_cast<int>(v);
  return true;
}

} // namespace

const char *usageText() {
  return R"(USAGE:
    scry [options] filename
    scry [options] - <stdin input>
    scry [options] -e 'program'

OPTIONS:
    -e PROGRAM     program text to run
    -d STAGE       print a compiler stage to stderr: ast, types (the AST with each
                   expression's type), ir, ir-opt, bpf, stack
                   (each probe's BPF stack use), verifier (the kernel verifier's log
                   of each program, also when it accepts them), all
                   (repeatable or comma separated); the program still runs
    -l [PATTERN]   list probes matching PATTERN (globs, comma lists), or those of
                   the program given with -e or as a file; -lv adds argument types;
                   -lv 'struct NAME' prints a kernel type
    -p PID         probes only fire in process PID (uprobes and USDT attach to it;
                   profile, interval and iter are not filtered); the run ends when
                   PID does
    -c CMD         run CMD (split into words like a shell does, without one) once
                   every probe is attached; uprobes and USDT probes only fire in it,
                   and the run ends when it does
    --dwarf-pid PID[,PID]
                   dw_ustack: load the unwind tables of what these processes map
                   before the run (others' are loaded when first seen in a stack)
    --verify-only  load every program into the kernel's verifier, attach nothing
    --dry-run      load and attach every probe, then exit without running
    --emit-elf FILE
                   write the compiled BPF object (ELF) to FILE and exit: nothing
                   is loaded (inspect it with readelf or bpftool)
    --unsafe       allow system(), signal() and override(), which act on the
                   machine (see docs/security.md)
    -f FORMAT      output format: text (the default), json (one object per line), or
                   folded (text, but maps keyed by stacks as flamegraph.pl's a;b;c N lines)
    -o FILE        write the program's output to FILE (errors stay on stderr)
    -B MODE        when output is written: line (each line at once), none (each
                   record at once), full (in 64 KiB blocks); by default within
                   ~100 ms, in batches
    --export prometheus=[ADDR:]PORT
                   serve the maps as Prometheus metrics on http://ADDR:PORT/metrics
                   while the script runs (ADDR 127.0.0.1 by default; port 0 picks one)
    --export-allow-remote
                   let --export listen on an address other than loopback
    --export-maps @A,@B
                   serve only these maps (default: every map)
    -q, --quiet    don't print "Attached N probes"
    -v, --verbose  verbose messages (libbpf's own, the verifier's log)
    -h, --help     show this help and exit
    -V, --version  show the version and exit

EXAMPLES:
scry -e 'BEGIN { printf("hello, world\n"); exit(); }'
    print a greeting and exit
scry -e 'tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args.filename)); }'
    trace files opened, with the process name
scry -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
    count system calls by process name; Ctrl-C prints the counts
)";
}

bool parseOptions(int argc, char **argv, Options &options, std::string &error) {
  static const option kLong[] = {
      {"help", no_argument, nullptr, 'h'},      {"version", no_argument, nullptr, 'V'},
      {"verbose", no_argument, nullptr, 'v'},   {"quiet", no_argument, nullptr, 'q'},
      {"debug", required_argument, nullptr, 'd'}, {"list", no_argument, nullptr, 'l'},
      {"pid", required_argument, nullptr, 'p'},   {"verify-only", no_argument, nullptr, 1},
      {"dry-run", no_argument, nullptr, 2},       {"format", required_argument, nullptr, 'f'},
      {"output", required_argument, nullptr, 'o'}, {"unsafe", no_argument, nullptr, 3},
      {"export", required_argument, nullptr, 40}, // issue 9
      {"export-allow-remote", no_argument, nullptr, 41},
      {"export-maps", required_argument, nullptr, 42},
      {"cmd", required_argument, nullptr, 'c'}, // issue 7
      {"emit-elf", required_argument, nullptr, 50}, // issue 6
      {"dwarf-pid", required_argument, nullptr, 51}, // dw_ustack (issue 5)
      {nullptr, 0, nullptr, 0},
  };
  optind = 1;
  opterr = 0;
  int c;
  // '+': stop at the first non-option, so a script's own arguments pass through.
  while ((c = getopt_long(argc, argv, "+e:d:hVvqlp:f:o:B:c:", kLong, nullptr)) != -1) {
    switch (c) {
    case 'e':
      options.program = optarg;
      options.source_name = "stdin";
      options.has_program = true;
      break;
    case 'd':
      for (const auto &stage : support::split(optarg, ',')) {
        if (stage == "all") {
          for (const char *s : kStages)
            options.debug_stages.emplace_back(s);
        } else if (validStage(stage)) {
          options.debug_stages.push_back(stage);
        } else {
          error = "Invalid debug stage: " + stage + " (expected ast, types, ir, ir-opt, bpf, stack, verifier or all)";
          return false;
        }
      }
      break;
    case 'h':
      options.help = true;
      return true;
    case 'V':
      options.version = true;
      return true;
    case 'v':
      options.verbose = true;
      break;
    case 'q':
      options.quiet = true;
      break;
    case 'l':
      options.list = true;
      break;
    case 'f':
      if (std::string(optarg) != "text" && std::string(optarg) != "json" &&
          std::string(optarg) != "folded") {
        error = std::string("Invalid output format \"") + optarg + "\"";
        return false;
      }
      options.json = std::string(optarg) == "json";
      options.folded = std::string(optarg) == "folded"; // issue 5: flame graph input
      break;
    case 'o':
      options.output_file = optarg;
      break;
    case 'B':
      if (std::string(optarg) != "none" && std::string(optarg) != "line" &&
          std::string(optarg) != "full") {
        error = std::string("Invalid buffer mode \"") + optarg +
                "\" (expected none, line or full)";
        return false;
      }
      options.buffer_mode = optarg;
      break;
    case 'c':
      options.command = optarg;
      break;
    case 'p':
      if (!parsePid(optarg, options.pid)) {
        error = std::string("pid '") + optarg + "' is not a valid process id";
        return false;
      }
      break;
    case 1:
      options.verify_only = true;
      break;
    case 2:
      options.dry_run = true;
      break;
    case 3:
      options.unsafe = true;
      break;
    case 40:
      options.export_spec = optarg;
      break;
    case 41:
      options.export_allow_remote = true;
      break;
    case 50:
      options.emit_elf = optarg;
      break;
    case 51:
      for (const std::string &item : support::split(optarg, ',')) {
        int pid = -1;
        if (!parsePid(item.c_str(), pid)) {
          error = "--dwarf-pid: '" + item + "' is not a valid process id";
          return false;
        }
        options.dwarf_pids.push_back(pid);
      }
      break;
    case 42:
      for (std::string name : support::split(optarg, ','))
        if (!name.empty())
          options.export_maps.push_back(name[0] == '@' ? name : "@" + name);
      break;
    default:
      // A long option is named as written: its optopt is its value, not a letter.
      if (std::string arg = argv[optind - 1]; arg.rfind("--", 0) == 0)
        error = (optopt ? "missing argument for " : "unknown option: ") + arg;
      else
        error = optopt ? std::string("unknown option or missing argument: -") + char(optopt)
                       : "unknown option: " + arg;
      return false;
    }
  }
  int i = optind;
  if (i < argc && std::string(argv[i]) == "--")
    ++i;
  if (options.list && !options.has_program) {
    // -l PATTERN, or -l FILE when the argument names a script file.
    if (i < argc && !support::readFile(argv[i], options.program))
      options.list_pattern = argv[i];
    else if (i < argc)
      options.source_name = argv[i], options.has_program = true,
      options.import_dir = directoryOf(argv[i]);
    return true;
  }
  if (!options.has_program) {
    if (i >= argc) {
      error = "No program given";
      return false;
    }
    std::string path = argv[i++];
    if (path == "-") {
      options.program.assign(std::istreambuf_iterator<char>(std::cin), {});
      options.source_name = "stdin";
    } else {
      if (!support::readFile(path, options.program)) {
        error = "failed to read script file '" + path + "'";
        return false;
      }
      options.source_name = path;
      options.import_dir = directoryOf(path);
    }
    options.has_program = true;
  }
  // The script's own arguments, in any order: --NAME[=VALUE] are getopt() options, the
  // rest positional ($1...), as in bpftrace 0.24+. One "--" (which getopt_long did not
  // take when it followed a positional argument) separates, and is not an argument.
  bool dashes_seen = false;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--" && !dashes_seen)
      dashes_seen = true;
    else if (arg.size() > 2 && arg.rfind("--", 0) == 0)
      options.named_args.push_back(arg.substr(2));
    else
      options.positional.push_back(arg);
  }
  return true;
}

} // namespace scry::driver
