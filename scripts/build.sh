#!/usr/bin/env bash
# Configures and builds scry with Ninja (RelWithDebInfo) in build/, after installing the
# dependencies with scripts/deps.sh. Idempotent; a rebuild only compiles what changed.
#   SCRY_SKIP_DEPS=1      do not run deps.sh
#   SCRY_BUILD_DIR=DIR    build somewhere else than build/
#   SCRY_WERROR=ON|OFF    passed to cmake; defaults to ON when CI is set (non-empty)
# Extra arguments are passed to cmake's configure step, e.g. -DSCRY_SANITIZE=ON.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SCRY_BUILD_DIR:-$root/build}"

if [[ "${SCRY_SKIP_DEPS:-0}" != 1 ]]; then
  "$root/scripts/deps.sh"
fi

options=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ -n "${SCRY_WERROR:-}" ]]; then
  options+=("-DSCRY_WERROR=$SCRY_WERROR")
elif [[ -n "${CI:-}" ]]; then
  options+=(-DSCRY_WERROR=ON)
fi

cmake -S "$root" -B "$build" "${options[@]}" "$@"
cmake --build "$build"
echo "build: $build/scry"
