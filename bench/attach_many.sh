#!/usr/bin/env bash
# Attaching many probes: wall time of the issue-4 one-liner that attaches every
# syscalls:sys_enter_* tracepoint (361 on 6.18), runs 1 s and exits, for scry and, when
# installed, bpftrace, interleaved run by run; prints medians and the ratio. Also checks
# that nothing stays attached afterwards. Reports only: never fails on a timing.
#
#   bench/attach_many.sh [-n RUNS] [--scry PATH] [--no-bpftrace]
#
# Needs root. bpftrace 0.17 takes ~17-30 s a run here, so keep RUNS small with it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs=5
scry="$here/../build/scry"
use_bpftrace=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --scry) scry="$2"; shift 2 ;;
    --no-bpftrace) use_bpftrace=0; shift ;;
    -h|--help) sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "attach_many.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -x "$scry" ]] || { echo "attach_many.sh: no scry binary at $scry" >&2; exit 2; }
bpftrace=""
if [[ $use_bpftrace -eq 1 ]] && command -v bpftrace >/dev/null; then
  bpftrace="$(command -v bpftrace)"
fi

program='tracepoint:syscalls:sys_enter_* { @[probe] = count(); } interval:s:1 { exit(); }'
mkdir -p "$here/results"
results="$here/results/attach_many-$(date +%Y%m%d-%H%M%S).tsv"
printf 'tool\trun\twall_ms\tstatus\n' > "$results"

measure() { # TOOL BINARY RUN
  local start end status=0
  start=$(date +%s%N)
  "$2" -e "$program" >/dev/null 2>&1 || status=$?
  end=$(date +%s%N)
  printf '%s\t%s\t%s\t%s\n' "$1" "$3" "$(( (end - start) / 1000000 ))" "$status" >> "$results"
}

echo "attach_many: $runs runs, scry=$scry${bpftrace:+, bpftrace=$bpftrace}"
for ((run = 1; run <= runs; run++)); do
  measure scry "$scry" "$run"
  [[ -n "$bpftrace" ]] && measure bpftrace "$bpftrace" "$run"
done

median() { # TOOL -> median wall ms of its successful runs
  awk -F'\t' -v t="$1" 'NR > 1 && $1 == t && $4 == 0 { print $3 }' "$results" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
                              else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
s=$(median scry)
printf '%-10s %10s\n' tool median_ms
printf '%-10s %10s\n' scry "$s"
if [[ -n "$bpftrace" ]]; then
  b=$(median bpftrace)
  printf '%-10s %10s\n' bpftrace "$b"
  [[ "$s" != - && "$b" != - ]] && awk -v s="$s" -v b="$b" 'BEGIN { printf "ratio scry/bpftrace %.3f\n", s / b }'
fi
sleep 2
if command -v bpftool >/dev/null; then
  echo "left attached 2 s later: $(bpftool link list 2>/dev/null | grep -c '^[0-9]') links," \
       "$(bpftool prog list 2>/dev/null | grep -c 'name probe_') scry programs"
fi
echo "samples: $results"
