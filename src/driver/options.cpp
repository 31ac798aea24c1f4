// Command-line options of the scry binary, parsed with getopt_long.
#include "driver/options.h"

#include <getopt.h>

#include <iostream>
#include <iterator>
#include <sstream>

#include "support/strings.h"

namespace scry::driver {

namespace {

constexpr const char *kStages[] = {"ast", "ir", "ir-opt", "bpf"};

bool validStage(const std::string &stage) {
  for (const char *s : kStages)
    if (stage == s)
      return true;
  return false;
}

} // namespace

const char *usageText() {
  return R"(USAGE:
    scry [options] filename
    scry [options] - <stdin input>
    scry [options] -e 'program'

OPTIONS:
    -e PROGRAM     program text to run
    -d STAGE       print a compiler stage to stderr: ast, ir, ir-opt, bpf, all
                   (repeatable or comma separated); the program still runs
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
      {"debug", required_argument, nullptr, 'd'}, {nullptr, 0, nullptr, 0},
  };
  optind = 1;
  opterr = 0;
  int c;
  // '+': stop at the first non-option, so a script's own arguments pass through.
  while ((c = getopt_long(argc, argv, "+e:d:hVvq", kLong, nullptr)) != -1) {
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
          error = "Invalid debug stage: " + stage + " (expected ast, ir, ir-opt, bpf or all)";
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
    default:
      error = optopt ? std::string("unknown option or missing argument: -") + char(optopt)
                     : std::string("unknown option: ") + argv[optind - 1];
      return false;
    }
  }
  int i = optind;
  if (i < argc && std::string(argv[i]) == "--")
    ++i;
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
