#!/usr/bin/env bash
# Runs one of tools/*.bt for the e2e suite tools.test: starts $SCRY on it in the
# background, waits until the case's AFTER command has created ./done (or until
# SECONDS have passed), lets the last events drain, then stops scry with SIGTERM,
# which ends it the way Ctrl-C does (END runs, the maps print).
# Usage: run_tool.sh NAME [SECONDS [SCRY_OPTION...]]; the exit status is scry's.
set -u
name=$1
seconds=${2:-5}
shift $(($# < 2 ? $# : 2))
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../tools" && pwd)"

"$SCRY" "$@" "$tools/$name.bt" &
pid=$!
for ((i = 0; i < seconds * 10; i++)); do
  [[ -e done ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
sleep 0.3 # the ring buffer is polled every 100 ms or so
kill -TERM "$pid" 2>/dev/null
wait "$pid"
