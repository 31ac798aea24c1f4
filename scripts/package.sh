#!/usr/bin/env bash
# Builds the Debian package with CPack and checks it the way a fresh Debian 12 machine
# would see it, without installing it here: its file list (binary, man page, tools,
# docs, bash completion), its Depends (from dpkg-shlibdeps) against the libraries the
# binary needs and what apt can install (a simulation), then an extraction into a
# temporary root (dpkg -x) whose scry runs a BEGIN one-liner (as root) and whose man
# page renders (man -l). Run from anywhere:
#
#   scripts/package.sh [BUILD_DIR]     (default: build; writes BUILD_DIR/package/*.deb)
#
# Needs a configured build directory, pandoc (for the man page; scripts/deps.sh installs
# it) and dpkg-dev (dpkg-shlibdeps). Exit status 0 when every check passes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
out="$build/package"

fail() {
  echo "package: FAIL: $*" >&2
  exit 1
}

cmake --build "$build" --target scry man >/dev/null
rm -rf "$out"
cpack_log=$(cd "$build" && cpack -G DEB -B "$out" 2>&1) || fail "cpack failed: $cpack_log"
shopt -s nullglob
debs=("$out"/scry_*.deb)
((${#debs[@]} == 1)) || fail "expected one .deb in $out, found ${#debs[@]}"
deb=${debs[0]}

# What the package holds.
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for path in ./usr/bin/scry ./usr/share/man/man8/scry.8.gz \
  ./usr/share/bash-completion/completions/scry ./usr/share/doc/scry/language.md \
  ./usr/share/doc/scry/migrating.md ./usr/share/scry/tools/opensnoop.bt; do
  grep -qxF "$path" <<<"$contents" || fail "$path is not in $(basename "$deb")"
done
tools=$(grep -c '^\./usr/share/scry/tools/.*\.bt$' <<<"$contents" || true)
((tools >= 25)) || fail "only $tools tools in the package"
if grep -q '^\./usr/local/\|/tests/\|\.a$' <<<"$contents"; then
  fail "unexpected files in the package: $(grep '^\./usr/local/\|/tests/\|\.a$' <<<"$contents" | head -3)"
fi

# What it needs: the shared libraries scry links, as dpkg-shlibdeps found them.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libbpf1 libelf1 zlib1g libc6 libstdc++6; do
  grep -q "\b$lib\b" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
# ... and each library the binary names (NEEDED) must come from a package it depends on.
for soname in $(readelf -d "$build/scry" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  pkg=$(dpkg -S "*/x86_64-linux-gnu/$soname" 2>/dev/null | head -1 | cut -d: -f1) || true
  [[ -n $pkg ]] || fail "no installed package provides $soname"
  grep -q "\b$pkg\b" <<<"$depends" || fail "scry needs $soname ($pkg) but Depends is: $depends"
done

# apt can satisfy Depends from what the archive offers (a simulation: nothing changes).
if command -v apt-get >/dev/null; then
  apt-get install --simulate "$deb" >/dev/null 2>&1 ||
    fail "apt-get install --simulate cannot resolve the dependencies of $(basename "$deb")"
fi

# Unpacked into an empty root, as on a fresh machine.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg -x "$deb" "$tmp"
"$tmp/usr/bin/scry" --version | grep -q '^scry v' || fail "the packaged scry does not run"
man -l "$tmp/usr/share/man/man8/scry.8.gz" 2>/dev/null | grep -Eq '^ +scry +- +trace +the +Linux' ||
  fail "man -l cannot render the packaged scry(8)"
bash -n "$tmp/usr/share/bash-completion/completions/scry" || fail "bash completion does not parse"
if [[ $EUID -eq 0 ]]; then
  hello=$("$tmp/usr/bin/scry" -q -e 'BEGIN { printf("hello from the package\n"); exit(); }')
  [[ $hello == *"hello from the package"* ]] || fail "the packaged scry did not run BEGIN: $hello"
  "$tmp/usr/bin/scry" --verify-only "$tmp/usr/share/scry/tools/opensnoop.bt" >/dev/null 2>&1 ||
    fail "the packaged opensnoop.bt does not verify"
else
  echo "package: not root: the BEGIN one-liner was not run" >&2
fi

echo "package: OK $deb ($(wc -l <<<"$contents") entries, $tools tools)"
echo "package: Depends: $depends"
