#!/usr/bin/env bash
# Runs `SCRY --export prometheus=127.0.0.1:PORT [EXTRA...] -e PROGRAM` in the background,
# waits until /metrics answers, runs TRIGGER (a shell command), scrapes once more with
# the Accept header ACCEPT (may be empty) and prints the response's Content-Type and
# body, then stops scry with SIGINT. Used by export.test.
#   export_scrape.sh SCRY PROGRAM TRIGGER ACCEPT [EXTRA...]
set -u
scry=$1 program=$2 trigger=$3 accept=$4
shift 4
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$scry" --export "prometheus=127.0.0.1:$port" "$@" -e "$program" &
pid=$!
fetch() {
  python3 - "$port" "$accept" <<'PY'
import sys, urllib.request as u
headers = {"Accept": sys.argv[2]} if sys.argv[2] else {}
r = u.urlopen(u.Request(f"http://127.0.0.1:{sys.argv[1]}/metrics", headers=headers), timeout=5)
print(r.headers["Content-Type"])
print(r.read().decode(), end="")
PY
}
for _ in $(seq 100); do
  fetch >/dev/null 2>&1 && break
  sleep 0.2
done
eval "$trigger"
fetch
kill -INT "$pid"
wait "$pid"
