#!/usr/bin/env bash
# Runs `SCRY -q -e 'config = { export = "prometheus=127.0.0.1:PORT" } PROGRAM'` (the
# config key instead of --export), prints /metrics once MAP shows up there, then stops
# scry with SIGINT. MAP is a sample name (scry_ticks_total). Used by export.test.
#   export_config.sh SCRY PROGRAM MAP
set -u
scry=$1 program=$2 map=$3
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$scry" -q -e "config = { export = \"prometheus=127.0.0.1:$port\" } $program" &
pid=$!
python3 - "$port" "$map" <<'PY'
import sys, time, urllib.request as u
for _ in range(150):
    try:
        body = u.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
        if "\n" + sys.argv[2] + " " in body:  # a sample, not only its HELP line
            print(body, end="")
            break
    except OSError:
        pass
    time.sleep(0.2)
PY
kill -INT "$pid"
wait "$pid"
