#!/usr/bin/env bash
# Builds scry with ASan + UBSan (-DSCRY_SANITIZE=ON, cmake/Sanitizers.cmake) in
# build-asan/ and runs the unit tests and the end-to-end suite against that binary.
# UBSan stops at its first report; LeakSanitizer checks every exit. CI runs this after
# the normal tests (.ci/run). Honours build.sh's variables (SCRY_SKIP_DEPS, CI).
#   SCRY_ASAN_BUILD_DIR=DIR   build somewhere else than build-asan/
# Extra arguments go to tests/e2e/run.py, e.g. ./scripts/sanitize.sh --filter 'hostile\.'
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SCRY_ASAN_BUILD_DIR:-$root/build-asan}"

# -O1 -g1 (line tables) instead of RelWithDebInfo's -O2 -g: what ASan recommends, and it
# halves the build (5m47s instead of about 10m30s on 2 cores, most of CI's time).
SCRY_BUILD_DIR="$build" "$root/scripts/build.sh" -DSCRY_SANITIZE=ON \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -E '^e2e$'
# Sanitized code runs 2-3x slower: scale every case's TIMEOUT.
python3 "$root/tests/e2e/run.py" --scry "$build/scry" --timeout-scale 3 --skip-status 77 "$@"
