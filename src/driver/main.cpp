// scry's entry point: parse the command line, then run the pipeline.
#include <csignal>
#include <iostream>

#include "driver/options.h"
#include "driver/pipeline.h"
#include "support/limits.h"
#include "version.h"

int main(int argc, char **argv) {
  scry::driver::Options options;
  std::string error;
  if (!scry::driver::parseOptions(argc, argv, options, error)) {
    std::cerr << "ERROR: " << error << "\n\n" << scry::driver::usageText();
    return 1;
  }
  if (options.help) {
    std::cout << scry::driver::usageText();
    return 0;
  }
  if (options.version) {
    std::cout << "scry v" << SCRY_VERSION << "\n";
    return 0;
  }
  scry::support::raiseFileLimit(); // every map, program and attached probe is an fd
  // A reader that goes away (`scry ... | head`) makes writes fail with EPIPE, and the run
  // ends quietly (runtime.h), instead of the signal killing scry mid-exit (issue 7).
  signal(SIGPIPE, SIG_IGN);
  return scry::driver::runPipeline(options);
}
