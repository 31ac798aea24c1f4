#!/usr/bin/env python3
"""Finds BPF programs, maps and links that scry left in the kernel (lifecycle.test).

    bpf_leaks.py snapshot FILE   before running scry: what exists now
    bpf_leaks.py check FILE      after scry exited: exit status 1, listing them, if any
                                 scry object newer than the snapshot is still there

scry's objects are recognised by name (programs probe_N, maps AT_*, scry_events,
scry_scratch*; links by the program they hold) and listed with `bpftool -j`. One that a
live process still holds open (an fd in /proc/*/fd, read through fdinfo) belongs to a
scry that is still running, e.g. another test: only objects nobody holds are leaks.
The kernel frees objects shortly after the last reference goes, so check retries for a
few seconds before it reports.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

KINDS = ("prog", "map", "link")
GRACE_SECONDS = 5.0


def bpftool(kind: str) -> list[dict]:
    out = subprocess.run(["bpftool", "-j", kind, "list"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out or "[]")


def scryObjects() -> dict[str, dict[int, str]]:
    """{kind: {id: description}} of every scry-named object in the kernel."""
    progs = {p["id"]: f"prog {p['id']} {p.get('name', '')}" for p in bpftool("prog")
             if re.fullmatch(r"probe_\d+", p.get("name", ""))}
    maps = {m["id"]: f"map {m['id']} {m.get('name', '')}" for m in bpftool("map")
            if re.match(r"(AT_|scry_events$|scry_scratch)", m.get("name", ""))}
    links = {l["id"]: f"link {l['id']} ({l.get('type', '?')}, prog {l.get('prog_id')})"
             for l in bpftool("link") if l.get("prog_id") in progs}
    return {"prog": progs, "map": maps, "link": links}


def heldIds() -> dict[str, set[int]]:
    """Ids of the BPF objects some live process holds an fd for."""
    held: dict[str, set[int]] = {k: set() for k in KINDS}
    for fdinfo in Path("/proc").glob("[0-9]*/fdinfo/*"):
        try:
            text = fdinfo.read_text()
        except OSError:
            continue  # the process or fd went away
        for kind in KINDS:
            m = re.search(rf"^{kind}_id:\s*(\d+)", text, re.M)
            if m:
                held[kind].add(int(m.group(1)))
    return held


def unheld() -> dict[str, dict[int, str]]:
    objects = scryObjects()  # listed before the scan: a holder then is seen by the scan
    held = heldIds()
    return {k: {i: d for i, d in objects[k].items() if i not in held[k]} for k in KINDS}


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("snapshot", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(sys.argv[2])
    if sys.argv[1] == "snapshot":
        # Everything that exists now, held or not, is not this run's.
        now = scryObjects()
        path.write_text(json.dumps({k: sorted(now[k]) for k in KINDS}))
        return 0
    before = {k: set(v) for k, v in json.loads(path.read_text()).items()}
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        left = [d for k in KINDS for i, d in sorted(unheld()[k].items()) if i not in before[k]]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if left:
        print("leaked: " + "; ".join(left))
        return 1
    print("no leaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
