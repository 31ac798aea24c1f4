// Command-line options of the scry binary.
#pragma once

#include <string>
#include <vector>

namespace scry::driver {

struct Options {
  std::string program;      // -e text, or the script file's contents
  std::string source_name;  // "stdin" for -e and -, else the path as given
  bool has_program = false;
  std::vector<std::string> debug_stages; // -d: ast, ir, ir-opt, bpf
  bool verbose = false;
  bool quiet = false;
  bool help = false;
  bool version = false;
  std::vector<std::string> positional; // arguments after the script
  bool json = false;        // -f json (default -f text)
  std::string output_file;  // -o FILE: program output goes there; "" for stdout
  bool verify_only = false; // --verify-only: load into the verifier, attach nothing
  bool dry_run = false;     // --dry-run: load and attach, then exit
  int pid = -1;             // -p PID
  bool list = false;        // -l: list probes (of the program when one is given)
  std::string list_pattern; // -l PATTERN; "" lists everything
};

// Parses argv. Returns false with `error` set for bad usage (the caller prints it with
// the usage text and exits 1).
bool parseOptions(int argc, char **argv, Options &options, std::string &error);

const char *usageText();

} // namespace scry::driver
