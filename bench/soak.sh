#!/usr/bin/env bash
# Soak test (issue 7): scry under a steady flood of events for a long time must keep its
# memory flat and lose nothing it does not report.
#
# For each variant, a tight getppid() loop (tests/progs/syscall_loop, one core) runs for
# SOAK_SECONDS while scry traces it and /proc/PID/status's VmRSS of scry is sampled
# every SAMPLE_SECONDS; then scry is stopped with SIGINT and the books are checked:
#   count    tracepoint:syscalls:sys_enter_getppid { @calls = count(); }
#            -> @calls equals the calls made, exactly
#   printf   the same with a printf per event, the output piped into `grep -c`
#            -> lines printed + lost events reported equals the calls made, exactly
#   lossy    printf again through a ring buffer of 4 pages (perf_rb_pages), so that
#            events are lost: they must be reported, and the books still balance
# and for both: the RSS after the first quarter of the run grows by at most
# RSS_SLACK_KB, and the event rate is reported (the target is >= 500k events/s).
#
# Usage: bench/soak.sh [BUILD_DIR]     (default: build; needs root)
# Environment: SOAK_SECONDS (600), SAMPLE_SECONDS (5), RSS_SLACK_KB (4096),
#              SOAK_VARIANTS ("count printf lossy"), SOAK_OUT (a directory for the samples).
set -euo pipefail

build=${1:-build}
scry=$(realpath "$build/scry")
loop=$(realpath "$build/progs/syscall_loop")
seconds=${SOAK_SECONDS:-600}
every=${SAMPLE_SECONDS:-5}
slack_kb=${RSS_SLACK_KB:-4096}
variants=${SOAK_VARIANTS:-count printf lossy}
out=${SOAK_OUT:-$(mktemp -d)}
mkdir -p "$out"
failed=0

filter='/comm == "syscall_loop"/'
declare -A scripts=(
  [count]="tracepoint:syscalls:sys_enter_getppid $filter { @calls = count(); }"
  [printf]="tracepoint:syscalls:sys_enter_getppid $filter { printf(\"%d\\n\", tid); }"
  [lossy]="config = { perf_rb_pages = 4 }
           tracepoint:syscalls:sys_enter_getppid $filter { printf(\"%d\\n\", tid); }"
)

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

soak() {
  local variant=$1 dir="$out/$1"
  mkdir -p "$dir"
  # stdout: the map dump (count) or every printf line, counted (printf, lossy).
  if [ "$variant" != count ]; then
    "$scry" -e "${scripts[$variant]}" 2>"$dir/stderr" | grep -c '^[0-9][0-9]*$' >"$dir/lines" &
  else
    "$scry" -e "${scripts[$variant]}" >"$dir/stdout" 2>"$dir/stderr" &
  fi
  sleep 0.1
  local pid
  pid=$(pgrep -n -f "^$scry -e ")
  for _ in $(seq 300); do grep -q '^Attached' "$dir/stderr" && break; sleep 0.1; done
  # The generator on one CPU, scry free to use the other.
  taskset -c 0 "$loop" 0 "$seconds" >"$dir/made" &
  local gen=$! start=$SECONDS
  echo "seconds,rss_kb" >"$dir/rss.csv"
  while kill -0 "$gen" 2>/dev/null; do
    echo "$((SECONDS - start)),$(rss_kb "$pid")" >>"$dir/rss.csv"
    sleep "$every"
  done
  wait "$gen"
  local elapsed=$((SECONDS - start))
  kill -INT "$pid"
  wait || true
  local made lost
  made=$(awk '{ print $2 }' "$dir/made")
  lost=$(awk '/^Lost [0-9]+ events$/ { n += $2 } END { print n + 0 }' "$dir/stderr")
  local total
  total=$(sed -n 's/^WARNING: Total lost event count: \([0-9]*\)$/\1/p' "$dir/stderr")
  local seen
  if [ "$variant" != count ]; then
    seen=$(cat "$dir/lines")
  else
    seen=$(sed -n 's/^@calls: \([0-9]*\)$/\1/p' "$dir/stdout")
  fi
  # RSS growth after warm-up: the first quarter of the samples is start-up.
  local samples warm max_kb last_kb
  samples=$(($(wc -l <"$dir/rss.csv") - 1))
  warm=$(awk -F, -v skip=$((samples / 4 + 1)) 'NR > skip && $2 > 0 { print $2; exit }' "$dir/rss.csv")
  max_kb=$(awk -F, 'NR > 1 && $2 > m { m = $2 } END { print m + 0 }' "$dir/rss.csv")
  last_kb=$(awk -F, 'NR > 1 && $2 > 0 { v = $2 } END { print v + 0 }' "$dir/rss.csv")
  local rate=$((made / (elapsed > 0 ? elapsed : 1)))
  printf '%-7s %4ss  %10s calls  %8s/s  seen %10s  lost %9s (total line %s)  RSS KB: after warm-up %s, max %s, last %s\n' \
    "$variant" "$elapsed" "$made" "$rate" "$seen" "$lost" "${total:-none}" "$warm" "$max_kb" "$last_kb"
  if [ "$((seen + lost))" != "$made" ]; then
    echo "  FAIL: seen + lost = $((seen + lost)), calls made = $made"; failed=1
  fi
  if [ "$lost" -gt 0 ] && [ "${total:-0}" != "$lost" ]; then
    echo "  FAIL: the total lost at exit ($total) is not the sum reported ($lost)"; failed=1
  fi
  if [ "$variant" = lossy ] && [ "$lost" -eq 0 ]; then
    echo "  FAIL: a 4-page ring buffer lost nothing: the loss reporting went untested"; failed=1
  fi
  if [ -n "$warm" ] && [ "$((max_kb - warm))" -gt "$slack_kb" ]; then
    echo "  FAIL: RSS grew by $((max_kb - warm)) KB after warm-up (slack $slack_kb KB)"; failed=1
  fi
  if [ "$rate" -lt 500000 ]; then
    echo "  note: below the 500k events/s target"
  fi
}

echo "soak: $seconds s per variant, RSS every $every s; samples in $out"
for variant in $variants; do
  soak "$variant"
done
exit $failed
