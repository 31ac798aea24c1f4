#!/bin/sh
# Regenerates the golden files (tests/golden/ast/*.ast, tests/golden/types/*.types) from
# their .bt inputs by rebuilding unit_parser and unit_sema_lang and running their golden
# tests with SCRY_UPDATE_GOLDEN=1.
# Review the result with `git diff tests/golden` before committing.
# Usage: scripts/update-golden.sh [BUILD_DIR]   (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja
fi
ninja -C "$build" unit_parser unit_sema_lang
SCRY_UPDATE_GOLDEN=1 "$build/tests/unit/parser/unit_parser" --gtest_filter='Ast/Golden.*'
# The type dumps (tests/golden/types/*.types), as `-d types` prints them.
SCRY_UPDATE_GOLDEN=1 "$build/tests/unit/sema/unit_sema_lang" --gtest_filter='Types/GoldenTypes.*'
git -C "$root" status --short -- tests/golden
