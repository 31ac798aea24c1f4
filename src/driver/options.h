// Command-line options of the scry binary.
#pragma once

#include <string>
#include <vector>

namespace scry::driver {

struct Options {
  std::string program;      // -e text, or the script file's contents
  std::string source_name;  // "stdin" for -e and -, else the path as given
  std::string import_dir = "."; // relative imports start here: the script file's directory
  bool has_program = false;
  std::vector<std::string> debug_stages; // -d: ast, ir, ir-opt, bpf
  bool verbose = false;
  bool quiet = false;
  bool help = false;
  bool version = false;
  std::vector<std::string> positional; // arguments after the script
  // Arguments after the script of the form --NAME[=VALUE], without the dashes: the
  // script's getopt() options (sema/named_params.h); "help" lists them.
  std::vector<std::string> named_args;
  bool json = false;        // -f json (default -f text)
  bool folded = false;      // -f folded: maps keyed by stacks print as folded stacks
  std::string output_file;  // -o FILE: program output goes there; "" for stdout
  bool verify_only = false; // --verify-only: load into the verifier, attach nothing
  bool dry_run = false;     // --dry-run: load and attach, then exit
  int pid = -1;             // -p PID
  std::string command;      // -c CMD (issue 7), split into argv by the driver
  std::string buffer_mode;  // -B none|line|full; "" for the default (batches)
  bool list = false;        // -l: list probes (of the program when one is given)
  std::string list_pattern; // -l PATTERN; "" lists everything
  std::string export_spec;  // --export prometheus=ADDR:PORT; "" for none (issue 9)
  bool export_allow_remote = false; // --export-allow-remote: any address, not only loopback
  std::vector<std::string> export_maps; // --export-maps @a,@b: only these ("@" added)
  bool unsafe = false;      // --unsafe: allow system(), signal(), override()
  std::string emit_elf;     // --emit-elf FILE: write the BPF object there, run nothing (issue 6)
  std::vector<int> dwarf_pids; // --dwarf-pid PID[,PID]: dw_ustack's tables up front (issue 5)
};

// Parses argv. Returns false with `error` set for bad usage (the caller prints it with
// the usage text and exits 1).
bool parseOptions(int argc, char **argv, Options &options, std::string &error);

const char *usageText();

} // namespace scry::driver
