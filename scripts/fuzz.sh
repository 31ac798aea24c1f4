#!/usr/bin/env bash
# Fuzzes the compiler (lexer, parser, AST printer, sema, codegen; no kernel) with
# libFuzzer for SECONDS (default 60), on all cores but one. Builds build-fuzz/ with
# clang-14 (SCRY_FUZZ=ON: ASan + UBSan + coverage on our code, LLVM's static libraries
# as they are), seeds the corpus from tests/e2e and tests/golden (tests/fuzz/seeds.py),
# and keeps the grown corpus in build-fuzz/corpus between runs. Crashing inputs are
# written to build-fuzz/crashes/ (emptied at the start of each run); the status is 1 when
# any was found.
#   ./scripts/fuzz.sh [SECONDS]
#   SCRY_FUZZ_TARGET=fuzz_frontend   lexer, parser, printer and sema only (no codegen)
#   SCRY_FUZZ_BUILD_DIR=DIR          build somewhere else than build-fuzz/
#   SCRY_FUZZ_JOBS=N                 parallel fuzzing processes (default: cores - 1, >= 1)
#   SCRY_FUZZ_ASAN=0                 UBSan only (build-fuzz-ub/ by default): about twice
#                                    the executions per second, for long runs
# Reproduce a crash: build-fuzz/fuzz_pipeline build-fuzz/crashes/crash-<sha1>
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asan="${SCRY_FUZZ_ASAN:-1}"
if [[ "$asan" == 0 ]]; then
  build="${SCRY_FUZZ_BUILD_DIR:-$root/build-fuzz-ub}" asan_option=OFF
else
  build="${SCRY_FUZZ_BUILD_DIR:-$root/build-fuzz}" asan_option=ON
fi
target="${SCRY_FUZZ_TARGET:-fuzz_pipeline}"
seconds="${1:-60}"
jobs="${SCRY_FUZZ_JOBS:-$(($(nproc) > 1 ? $(nproc) - 1 : 1))}"
cc="${CC:-clang-14}" cxx="${CXX:-clang++-14}"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC="$cc" CXX="$cxx" cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSCRY_FUZZ=ON -DSCRY_FUZZ_ASAN="$asan_option" -DSCRY_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target "$target"

corpus="$build/corpus" crashes="$build/crashes" seeds="$build/seeds"
rm -rf "$seeds" "$crashes" # crashing inputs are kept until the next run
mkdir -p "$corpus" "$crashes"
python3 "$root/tests/fuzz/seeds.py" "$seeds"

# -timeout: an input taking 10 s is a hang; -max_len: scripts grow up to 8 KiB;
# -rss_limit_mb: LLVM's per-module memory is small, a blow-up is a bug.
set +e +o pipefail
( cd "$build" && "./$target" "$corpus" "$seeds" -dict="$root/tests/fuzz/scry.dict" \
    -max_total_time="$seconds" -timeout=10 -max_len=8192 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 -fork="$jobs" ) 2>&1 |
  tee "$build/fuzz.log" | grep --line-buffered -E '^#[0-9]+: cov|ERROR|SUMMARY|written to'
status=${PIPESTATUS[0]}
set -e -o pipefail
# -fork's status lines ("#N: cov: ...") count the executions of every job so far.
execs=$(grep -oE '^#[0-9]+: cov' "$build/fuzz.log" | tail -1 | tr -dc '0-9')
echo "fuzz: $target, ${seconds}s, ${execs:-0} executions, corpus $(ls "$corpus" | wc -l) files"
if compgen -G "$crashes/*" >/dev/null; then
  echo "fuzz: crashing inputs in $crashes:" >&2
  ls "$crashes" >&2
  exit 1
fi
exit "$status"
