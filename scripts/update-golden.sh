#!/bin/sh
# Regenerates the golden files (tests/golden/ast/*.ast) from their .bt inputs by
# rebuilding unit_parser and running its golden tests with SCRY_UPDATE_GOLDEN=1.
# Review the result with `git diff tests/golden` before committing.
# Usage: scripts/update-golden.sh [BUILD_DIR]   (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja
fi
ninja -C "$build" unit_parser
SCRY_UPDATE_GOLDEN=1 "$build/tests/unit/parser/unit_parser" --gtest_filter='Ast/Golden.*'
git -C "$root" status --short -- tests/golden
