#!/usr/bin/env bash
# Builds scry (scripts/build.sh, which installs dependencies first) and runs every test:
# the unit tests and the end-to-end suite (tests/e2e, needs root), through ctest.
# Honours build.sh's variables (SCRY_SKIP_DEPS, SCRY_BUILD_DIR, SCRY_WERROR, CI).
# Extra arguments go to ctest, e.g. ./scripts/test.sh -R e2e
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SCRY_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
