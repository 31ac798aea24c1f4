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

constexpr const char *kStages[] = {"ast", "ir", "ir-opt", "bpf", "stack"};

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
    -d STAGE       print a compiler stage to stderr: ast, ir, ir-opt, bpf, stack
                   (each probe's BPF stack use), all
                   (repeatable or comma separated); the program still runs
    -l [PATTERN]   list probes matching PATTERN (globs, comma lists), or those of
                   the program given with -e or as a file; -lv adds argument types;
                   -lv 'struct NAME' prints a kernel type
    -p PID         uprobes and USDT probes only fire in process PID
    --verify-only  load every program into the kernel's verifier, attach nothing
    --dry-run      load and attach every probe, then exit without running
    -f FORMAT      output format: text (the default) or json (one object per line)
    -o FILE        write the program's output to FILE (errors stay on stderr)
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
      {"output", required_argument, nullptr, 'o'}, {nullptr, 0, nullptr, 0},
  };
  optind = 1;
  opterr = 0;
  int c;
  // '+': stop at the first non-option, so a script's own arguments pass through.
  while ((c = getopt_long(argc, argv, "+e:d:hVvqlp:f:o:", kLong, nullptr)) != -1) {
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
          error = "Invalid debug stage: " + stage + " (expected ast, ir, ir-opt, bpf, stack or all)";
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
      if (std::string(optarg) != "text" && std::string(optarg) != "json") {
        error = std::string("Invalid output format \"") + optarg + "\"";
        return false;
      }
      options.json = std::string(optarg) == "json";
      break;
    case 'o':
      options.output_file = optarg;
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
    default:
      error = optopt ? std::string("unknown option or missing argument: -") + char(optopt)
                     : std::string("unknown option: ") + argv[optind - 1];
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
      options.source_name = argv[i], options.has_program = true;
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
    }
    options.has_program = true;
  }
  for (; i < argc; ++i)
    options.positional.emplace_back(argv[i]);
  return true;
}

} // namespace scry::driver
