#!/usr/bin/env python3
"""End-to-end check of `scry --export prometheus`: a real Prometheus scrapes scry.

Starts scry running SCRIPT (a tools/ script or the built-in one) with
--export prometheus=127.0.0.1:PORT, starts Debian's `prometheus` on loopback with a
temporary data directory and a 1 s scrape interval, makes exactly N pread(2) calls of
known sizes from a process named scrypromtrig (in two rounds, so that rates see an
increase between scrapes), then asks Prometheus's HTTP API:
  sum(scry_preads_total)                                   == N
  sum(rate(scry_preads_total[1m])) > 0
  histogram_quantile(0.99, sum by (le) (rate(scry_bytes_bucket[1m]))) within the bucket
  of the 99th percentile of the sizes made.
With --tool DIR/bitesize.bt, scry runs that tools/ script unmodified instead, and
`dd` makes two rounds of 4 KiB direct writes: the block layer's own requests make
exact counts unknowable, so the check is that Prometheus agrees with what scry itself
prints at exit for dd, at least the writes made, and that
  histogram_quantile(0.5, sum by (le) (rate(scry_map_bucket{comm="dd"}[1m])))
lies in the [4K, 8K) bucket.
Prints "prometheus: OK ..." on success; exits 77 when prometheus is not installed.
"""

import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

SCRIPT = r"""
tracepoint:syscalls:sys_enter_pread64 /comm == "scrypromtrig"/ {
  @preads[comm] = count();
  @bytes = hist(args.count);
}
"""
SMALL, LARGE = 1000, 100000
# Round one: 50 reads of 1000 bytes. Round two: 45 more and 5 of 100000, so the 99th
# percentile of round two's increase is in the [64K, 128K) bucket.
ROUND_ONE = [SMALL] * 50
ROUND_TWO = [SMALL] * 45 + [LARGE] * 5


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def wait_for(what, check, timeout):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except (OSError, ValueError, KeyError, IndexError) as e:
            last = e
        time.sleep(0.3)
    sys.exit(f"prometheus: FAIL: timed out waiting for {what} (last: {last})")


def query(port, promql):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    result = json.loads(http_get(url))["data"]["result"]
    return float(result[0]["value"][1]) if result else None


def trigger(sizes):
    """A child that renames itself and makes the reads."""
    pid = os.fork()
    if pid == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, b"scrypromtrig", 0, 0, 0)  # PR_SET_NAME
        fd = os.open("/dev/zero", os.O_RDONLY)
        for size in sizes:
            os.pread(fd, size, 0)
        os._exit(0)
    os.waitpid(pid, 0)


DD_WRITES = 8  # per round


def dd_round(directory):
    """DD_WRITES direct 4 KiB writes to a new file: each is a block request from dd."""
    path = os.path.join(directory, "dd.out")
    subprocess.run(["dd", "if=/dev/zero", f"of={path}", "bs=4k", f"count={DD_WRITES}",
                    "oflag=direct"], check=True, stderr=subprocess.DEVNULL)
    os.unlink(path)


def check_bitesize(scry, prom_port, work):
    """The tools/bitesize.bt checks; returns the OK line, or exits with the failure."""
    count_q = 'sum(scry_map_count{comm="dd"})'
    dd_round(work)
    wait_for("round one in prometheus", lambda: (query(prom_port, count_q) or 0) >= DD_WRITES, 30)
    dd_round(work)
    least = 2 * DD_WRITES
    wait_for(f"{count_q} >= {least}", lambda: (query(prom_port, count_q) or 0) >= least, 30)
    time.sleep(2.5)  # two more scrapes: nothing of dd's is still in flight
    seen = query(prom_port, count_q)
    # The median, not the 99th percentile: a read of dd's own (its binary, after the
    # page cache dropped it) can add a larger request now and then (CI saw 30 KB).
    p50 = wait_for("the median", lambda: query(
        prom_port, 'histogram_quantile(0.5, sum by (le) (rate(scry_map_bucket{comm="dd"}[1m])))'),
        10)
    scry.send_signal(signal.SIGINT)
    out, _ = scry.communicate(timeout=20)
    block = re.search(r"^@\[dd\]:\n((?:\[.*\n)+)", out, re.M)
    rows = block.group(1).splitlines() if block else []
    printed = sum(int(re.search(r"[)\]] +(\d+) \|", row).group(1)) for row in rows) or None
    if printed != seen:
        sys.exit(f"prometheus: FAIL: prometheus has {seen} dd requests, scry printed {printed}")
    if not 4096 <= p50 <= 8191:
        sys.exit(f"prometheus: FAIL: the median {p50} is not in the [4K, 8K) bucket")
    return f"prometheus: OK bitesize dd={seen:.0f}>={least} median in [4K, 8K)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scry", required=True)
    ap.add_argument("--tool", help="run this tools/ script (bitesize.bt) instead")
    args = ap.parse_args()
    prometheus = shutil.which("prometheus")
    if not prometheus:
        print("prometheus: SKIP: the prometheus package is not installed")
        return 77
    work = tempfile.mkdtemp(prefix="scry-prom-")
    scry_port, prom_port = free_port(), free_port()
    with open(os.path.join(work, "prometheus.yml"), "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: scry\n    static_configs:\n"
                f"      - targets: ['127.0.0.1:{scry_port}']\n")
    procs = []
    try:
        program = [args.tool] if args.tool else ["-e", SCRIPT]
        scry = subprocess.Popen(
            [args.scry, "--export", f"prometheus=127.0.0.1:{scry_port}"] + program,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        procs.append(scry)
        prom = subprocess.Popen(
            [prometheus, f"--config.file={work}/prometheus.yml",
             f"--storage.tsdb.path={work}/data", f"--web.listen-address=127.0.0.1:{prom_port}"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "prometheus.log"), "w"))
        procs.append(prom)
        wait_for("scry's /metrics", lambda: "scry_info" in http_get(
            f"http://127.0.0.1:{scry_port}/metrics"), 20)
        wait_for("prometheus to be ready", lambda: http_get(
            f"http://127.0.0.1:{prom_port}/-/ready"), 30)
        wait_for("the first scrape", lambda: query(prom_port, "scry_info") == 1, 30)
        if args.tool:
            print(check_bitesize(scry, prom_port, work))
            return 0
        trigger(ROUND_ONE)
        wait_for("round one in prometheus",
                 lambda: query(prom_port, "sum(scry_preads_total)") == len(ROUND_ONE), 30)
        trigger(ROUND_TWO)
        n = len(ROUND_ONE) + len(ROUND_TWO)
        total = wait_for(f"sum(scry_preads_total) == {n}",
                         lambda: query(prom_port, "sum(scry_preads_total)") == n and n, 30)
        rate = wait_for("a positive rate",
                        lambda: query(prom_port, "sum(rate(scry_preads_total[1m]))"), 10)
        p99 = wait_for("the 99th percentile", lambda: query(
            prom_port, "histogram_quantile(0.99, sum by (le) (rate(scry_bytes_bucket[1m])))"), 10)
        if not 0 < rate <= n:
            sys.exit(f"prometheus: FAIL: rate {rate} not in (0, {n}]")
        if not 65536 <= p99 <= 131071:
            sys.exit(f"prometheus: FAIL: p99 {p99} not in the [64K, 128K) bucket")
        count = query(prom_port, "sum(scry_bytes_count)")
        bsum = query(prom_port, "sum(scry_bytes_sum)")
        want_sum = sum(ROUND_ONE) + sum(ROUND_TWO)
        if count != n or bsum != want_sum:
            sys.exit(f"prometheus: FAIL: _count {count} _sum {bsum}, want {n} {want_sum}")
        print(f"prometheus: OK total={total:.0f} rate>0 p99={p99:.0f} sum={bsum:.0f}")
        return 0
    finally:
        for p in procs:
            p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
