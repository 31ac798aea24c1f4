#!/usr/bin/env bash
# Installs every package scry needs to build and test, from Debian 12's archive.
# Idempotent: when everything is already installed it only says so (no apt-get at all);
# otherwise it runs apt-get update, then installs what is missing. Needs root (or sudo).
# Set SCRY_DEPS_FORCE=1 to run apt-get update and install even when nothing is missing.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config flex bison
  llvm-19-dev libbpf-dev libelf-dev zlib1g-dev libzstd-dev
  # unit tests
  libgtest-dev libgmock-dev
  # e2e tests, benchmarks, tooling
  python3 bpftool systemtap-sdt-dev time
  # --export prometheus (cpp-httplib), its end-to-end test and deploy/ linting
  libcpp-httplib-dev prometheus python3-yaml
  # the man page scry(8) (pandoc) and the .deb (scripts/package.sh: dpkg-shlibdeps)
  pandoc dpkg-dev
  # fuzzing (scripts/fuzz.sh: clang's libFuzzer)
  clang-14 libclang-rt-14-dev
)

missing=()
for pkg in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 && "${SCRY_DEPS_FORCE:-0}" != 1 ]]; then
  echo "deps: all ${#packages[@]} packages installed"
  exit 0
fi

sudo=()
if [[ $EUID -ne 0 ]]; then
  if ! command -v sudo >/dev/null; then
    echo "deps: missing packages (${missing[*]}) and not root; run as root" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "deps: installing: ${missing[*]:-${packages[*]}}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
echo "deps: done"
