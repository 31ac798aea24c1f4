#!/usr/bin/env bash
# Start-up benchmark: wall time and peak RSS of whole scry runs for two one-liners,
# interleaved run by run with bpftrace when it is installed, reported as medians and as
# the ratio scry/bpftrace. Reports only: slow timings never make it fail.
#
#   bench/startup.sh [-n RUNS] [--scry PATH] [--no-bpftrace]
#
# Needs root (both tools load BPF) and /usr/bin/time (Debian package `time`).
# Raw samples go to bench/results/startup-<timestamp>.tsv. See bench/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs=20
scry="$here/../build/scry"
use_bpftrace=1

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --scry) scry="$2"; shift 2 ;;
    --no-bpftrace) use_bpftrace=0; shift ;;
    -h|--help) sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "startup.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -x "$scry" ]]; then
  echo "startup.sh: no scry binary at $scry; build it (scripts/build.sh) or pass --scry" >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "startup.sh: /usr/bin/time is missing: apt-get install time" >&2
  exit 2
fi
bpftrace=""
if [[ $use_bpftrace -eq 1 ]] && command -v bpftrace >/dev/null; then
  bpftrace="$(command -v bpftrace)"
fi

# name<TAB>program. The tracepoint one-liner ends itself on a 1 ms timer, so each run
# covers start-up, compile, load, attach of two probes, exit and detach. `args->` is
# the spelling bpftrace 0.17 accepts; scry accepts it and `args.`.
programs=(
  $'begin\tBEGIN { printf("hi\\n"); exit(); }'
  $'tracepoint\ttracepoint:syscalls:sys_enter_openat { printf("%s\\n", str(args->filename)); } interval:ms:1 { exit(); }'
)

mkdir -p "$here/results"
results="$here/results/startup-$(date +%Y%m%d-%H%M%S).tsv"
printf 'program\ttool\trun\twall_ms\trss_kb\tstatus\n' > "$results"
sample="$(mktemp)"
trap 'rm -f "$sample"' EXIT

# measure PROGRAM_NAME TOOL BINARY PROGRAM RUN: one timed run, appended to $results.
measure() {
  local name="$1" tool="$2" binary="$3" program="$4" run="$5" start end status=0
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$sample" "$binary" -q -e "$program" >/dev/null 2>&1 || status=$?
  end=$(date +%s%N)
  local rss
  rss=$(tail -n 1 "$sample")
  [[ "$rss" =~ ^[0-9]+$ ]] || rss=0
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$tool" "$run" \
    "$(( (end - start) / 1000 ))" "$rss" "$status" >> "$results"
}

echo "startup: $runs runs per program, scry=$scry${bpftrace:+, bpftrace=$bpftrace ($("$bpftrace" --version 2>/dev/null))}"
for entry in "${programs[@]}"; do
  name="${entry%%$'\t'*}"
  program="${entry#*$'\t'}"
  for ((run = 1; run <= runs; run++)); do
    measure "$name" scry "$scry" "$program" "$run"
    if [[ -n "$bpftrace" ]]; then
      measure "$name" bpftrace "$bpftrace" "$program" "$run"
    fi
  done
done

# Medians per program and tool (wall in microseconds -> ms, RSS in KiB -> MiB); failed
# runs are counted and left out of the medians.
awk -F'\t' '
  function median(list,    n, i, j, t, a) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) {
      t = a[j]; a[j] = a[j-1]; a[j-1] = t
    }
    if (n == 0) return -1
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { next }
  {
    key = $1 SUBSEP $2
    if (!(key in seen)) { seen[key] = 1; order[++count] = key }
    if ($6 != 0) { failed[key]++; next }
    wall[key] = wall[key] " " $4; rss[key] = rss[key] " " $5
  }
  END {
    printf "%-12s %-9s %10s %10s  %s\n", "program", "tool", "wall_ms", "rss_mb", "failed"
    for (i = 1; i <= count; i++) {
      key = order[i]; split(key, part, SUBSEP)
      w = median(wall[key]); r = median(rss[key])
      mw[key] = w; mr[key] = r
      printf "%-12s %-9s %10.1f %10.1f  %d\n", part[1], part[2], w / 1000, r / 1024, failed[key]
      if (part[2] == "bpftrace" && (part[1] SUBSEP "scry") in mw) {
        s = part[1] SUBSEP "scry"
        if (mw[s] > 0 && mw[key] > 0 && mr[key] > 0)
          printf "%-12s %-9s %10.2f %10.2f\n", part[1], "ratio", mw[s] / mw[key], mr[s] / mr[key]
      }
    }
  }' "$results"
echo "startup: raw samples in $results (ratio = scry / bpftrace; below 1 means scry is better)"
