#!/usr/bin/env python3
"""scry's benchmark suite (issue 6): runs scry and, when it is on PATH, bpftrace on the
same scenarios, interleaved run by run, and writes a markdown table of medians, ratios
and targets to bench/results/<date>.md (raw samples beside it as .tsv).

Usage: bench/run.sh [--quick] [--scry PATH] [--before PATH] [--no-bpftrace] [--only REGEX]
                    [--out FILE]

Needs root (both tools load BPF) and a C compiler for bench/syscall_loop.c. Reports
only: a missed target never makes it fail. See bench/README.md."""

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

import report
import scenarios as sc
from measure import Tool

HERE = os.path.dirname(os.path.abspath(__file__))

# Runs per tool: (full, quick). bpftrace 0.17 takes ~30 s per attach361 run and ~3.5 s
# per probes41 run, so it gets fewer of those.
RUNS = {
    "begin": (10, 5), "sched": (10, 5),
    "probes41": ({"scry": 10, "bpftrace": 3}, {"scry": 3, "bpftrace": 1}),
    "attach361": ({"scry": 5, "bpftrace": 2}, {"scry": 2, "bpftrace": 1}),
    "count_tid": (7, 3), "hist_sum": (7, 3), "printf": (5, 3), "sigint": (5, 3),
    "first_event": (5, 3), "compile": ({"scry": 5, "bpftrace": 2}, {"scry": 3, "bpftrace": 1}),
}
LOOP_CALLS = (1_000_000, 300_000)   # getppid calls per per-event run
PRINTF_CALLS = (200_000, 100_000)   # getppid calls per printf run


class Context:
    def __init__(self, tools, loop, workdir, quick):
        self.tools, self.loop, self.workdir, self.quick = tools, loop, workdir, quick
        self.results = report.Results()

    def runs(self, scenario):
        return RUNS[scenario][1 if self.quick else 0]

    def log(self, text):
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def scenario_list(ctx):
    q = 1 if ctx.quick else 0
    script41 = sc.write_script(ctx, "probes41", 40, "BEGIN { exit(); }\n")
    return [
        ("begin", lambda: sc.whole(ctx, "begin", sc.BEGIN, ctx.runs("begin"))),
        ("sched", lambda: sc.whole(ctx, "sched", sc.SCHED, ctx.runs("sched"))),
        ("probes41", lambda: sc.whole(ctx, "probes41", script41, ctx.runs("probes41"))),
        ("attach361", lambda: sc.whole(ctx, "attach361", sc.ATTACH_361, ctx.runs("attach361"))),
        ("count_tid", lambda: sc.per_event(ctx, "count_tid", sc.COUNT_TID, ctx.runs("count_tid"),
                                           LOOP_CALLS[q])),
        ("hist_sum", lambda: sc.per_event(ctx, "hist_sum", sc.HIST_SUM, ctx.runs("hist_sum"),
                                          LOOP_CALLS[q])),
        ("printf", lambda: sc.printf_rate(ctx, ctx.runs("printf"), PRINTF_CALLS[q])),
        ("sigint", lambda: sc.sigint_map(ctx, ctx.runs("sigint"))),
        ("first_event", lambda: sc.first_event(ctx, ctx.runs("first_event"))),
        ("compile", lambda: sc.compile_growth(ctx, ctx.runs("compile"))),
    ]


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def header(ctx, args, started, load_before):
    commit = version(["git", "-C", HERE, "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", HERE, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    tools = ", ".join(f"{t.name} `{t.path}` ({version([t.path, '--version'])})" for t in ctx.tools)
    return "\n".join([
        f"# scry benchmarks, {started:%Y-%m-%d %H:%M}",
        "",
        f"- `bench/run.sh{' --quick' if ctx.quick else ''}`; tools: {tools}",
        f"- source: commit {commit}{' with uncommitted changes' if dirty else ''}",
        f"- machine: Linux {platform.release()}, {os.cpu_count()} CPUs, load average "
        f"{load_before} at the start and {os.getloadavg()[0]:.1f} at the end",
        "- medians of interleaved runs; (n/m) after a row: scry/bpftrace samples. Ratio is "
        "scry / bpftrace: below 1 means scry is faster or smaller, except for lines/s.",
        "- added ns/event: the syscall loop's ns per getppid with the tracer attached minus "
        "without, paired within each round.",
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and calls (~3 min)")
    parser.add_argument("--scry", default=os.path.join(HERE, "..", "build", "scry"))
    parser.add_argument("--no-bpftrace", action="store_true", help="measure scry only")
    parser.add_argument("--before", metavar="PATH",
                        help="also run this older scry binary, as the column 'scry before'")
    parser.add_argument("--only", default="", help="regex of scenario names to run")
    parser.add_argument("--out", help="markdown file (default bench/results/<date>.md)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: needs root, like the tools it measures")
    if not os.access(args.scry, os.X_OK):
        sys.exit(f"bench: no scry binary at {args.scry}; build it or pass --scry")
    tools = [Tool("scry", os.path.abspath(args.scry))]
    if args.before:
        tools.append(Tool("before", os.path.abspath(args.before)))
    bpftrace = None if args.no_bpftrace else shutil.which("bpftrace")
    if bpftrace:
        tools.append(Tool("bpftrace", bpftrace))

    started, load_before = datetime.datetime.now(), f"{os.getloadavg()[0]:.1f}"
    workdir = tempfile.mkdtemp(prefix="scry-bench-")
    try:
        loop = os.path.join(workdir, "syscall_loop")
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", loop,
                        os.path.join(HERE, "syscall_loop.c")], check=True)
        ctx = Context(tools, loop, workdir, args.quick)
        for name, run in scenario_list(ctx):
            if re.search(args.only, name):
                run()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    stem = args.out or os.path.join(HERE, "results", f"{started:%Y-%m-%d}{'-quick' if args.quick else ''}.md")
    os.makedirs(os.path.dirname(os.path.abspath(stem)), exist_ok=True)
    bpftrace_name = f"bpftrace {version([bpftrace, '--version']).split()[-1]}" if bpftrace else "bpftrace"
    text = "\n\n".join(part for part in [
        header(ctx, args, started, load_before),
        report.table(ctx.results, bpftrace_name, before=bool(args.before)),
        "## Compile time by script size (`--emit-elf`)\n\n" + report.growth(ctx.results)
        if any(k[0].startswith("compile") for k in ctx.results.samples) else "",
        report.failures(ctx.results),
    ] if part) + "\n"
    with open(stem, "w") as f:
        f.write(text)
    with open(re.sub(r"\.md$", "", stem) + ".tsv", "w") as f:
        f.write(ctx.results.tsv())
    print(text)
    print(f"bench: table in {stem}", file=sys.stderr)


if __name__ == "__main__":
    main()
