// The compile-and-run pipeline, stage by stage.
#pragma once

#include "driver/options.h"

namespace scry::driver {

// Runs the whole pipeline; returns the process exit status.
int runPipeline(const Options &options);

} // namespace scry::driver
