"""The benchmark scenarios of issue 6. Each one runs every tool (and, for per-event
costs, the bare syscall loop as the tool "none") round by round, alternating which tool
goes first, and adds its samples to ctx.results; report.py turns them into the table.

A failed run is counted in ctx.results.failures and left out of the medians."""

import os
import select
import subprocess
import time

from measure import Tracer, environment, run_loop, run_whole

BEGIN = 'BEGIN { printf("hi\\n"); exit(); }'
SCHED = 'tracepoint:sched:sched_switch { @[args->prev_comm] = count(); } BEGIN { exit(); }'
ATTACH_361 = 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); } interval:s:1 { exit(); }'
COUNT_TID = "tracepoint:raw_syscalls:sys_enter { @[tid] = count(); }"
HIST_SUM = "tracepoint:syscalls:sys_enter_getppid { @h = hist(pid); @s[comm] = sum(1); }"
PRINTF = 'tracepoint:syscalls:sys_enter_getppid { printf("%d %s\\n", pid, comm); }'
KEYS_10K = "tracepoint:syscalls:sys_enter_close /args->fd >= 1000000/ { @[args->fd] = count(); }"
FIRST = 'tracepoint:syscalls:sys_enter_getppid /pid == $1/ { printf("%llu\\n", nsecs); }'
# bpftrace 0.17 spells the map-size variable the old way; scry takes 0.26's name.
MAP_KEYS = {"scry": {"BPFTRACE_MAX_MAP_KEYS": "20000"},
            "bpftrace": {"BPFTRACE_MAP_KEYS_MAX": "20000"}}
MANY_PROBES = {"BPFTRACE_MAX_PROBES": "4000", "BPFTRACE_MAX_BPF_PROGS": "4000"}
COMPILE_SIZES = (100, 200, 500, 1000)


def rounds(ctx, runs, body, baseline=False):
    """Calls body(tool, round) `runs` times per tool (runs may be a dict by tool name),
    interleaved; with baseline, body(None, round) opens each round."""
    tools = list(ctx.tools)
    count = max(runs.values()) if isinstance(runs, dict) else runs
    for r in range(count):
        ordered = tools if r % 2 == 0 else tools[::-1]
        if baseline:
            body(None, r)
        for tool in ordered:
            wanted = runs.get(tool.name, 0) if isinstance(runs, dict) else runs
            if r < wanted:
                body(tool, r)


def whole(ctx, name, program, runs, args=(), env=None):
    """Wall time and peak RSS of whole runs of `program` (-e text or a script file)."""
    def body(tool, _):
        source = ["-e", program] if not program.endswith(".bt") else [program]
        wall, rss, code, cpu = run_whole([tool.path, "-q", *source, *args],
                                         environment(tool, env))
        if code != 0:
            return ctx.results.fail(name, tool.name, f"exit status {code}")
        ctx.results.add(name, "wall_ms", tool.name, wall)
        ctx.results.add(name, "cpu_ms", tool.name, cpu)
        ctx.results.add(name, "rss_mib", tool.name, rss)
    ctx.log(f"{name}: {program if not program.endswith('.bt') else os.path.basename(program)}")
    rounds(ctx, runs, body)


def tracepoint_names(count, skip_syscalls=True):
    """The first `count` tracepoints of this kernel, in tracefs order."""
    with open("/sys/kernel/tracing/available_events") as f:
        names = [line.strip() for line in f if line.strip()]
    if skip_syscalls:
        names = [n for n in names if not n.startswith("syscalls:")]
    return names[:count]


def write_script(ctx, name, probes, tail="", own_maps=False):
    """A script of `probes` tracepoint probes whose bodies differ in a literal (scry
    compiles them to one program, codegen/body_classes.h) or, with `own_maps`, in the
    map each counts in (one program each)."""
    path = os.path.join(ctx.workdir, f"{name}.bt")
    with open(path, "w") as f:
        for i, tp in enumerate(tracepoint_names(probes)):
            body = f"@c{i} = count();" if own_maps else f"@c[{i}] = count();"
            f.write(f"tracepoint:{tp} {{ {body} }}\n")
        f.write(tail)
    return path


def per_event(ctx, name, program, runs, calls):
    """The loop's CPU ns per getppid with and without `program` attached (the BPF
    program runs in the loop's system time); added ns is the difference within one
    round, so slow drifts of the machine's load cancel. Wall ns are kept too."""
    base = {}

    def body(tool, r):
        if tool is None:
            base[r] = run_loop(ctx.loop, "getppid", calls)[:2]
            ctx.results.add(name, "loop_cpu_ns", "none", base[r][1])
            return
        tracer = Tracer(tool, program, workdir=ctx.workdir)
        try:
            if not tracer.wait_attached():
                return ctx.results.fail(name, tool.name, "did not attach")
            wall, cpu, _ = run_loop(ctx.loop, "getppid", calls)
            _, rss, code = tracer.stop()
        finally:
            tracer.cleanup()
        if code != 0:
            return ctx.results.fail(name, tool.name, f"exit status {code}")
        ctx.results.add(name, "added_ns", tool.name, cpu - base[r][1])
        ctx.results.add(name, "added_wall_ns", tool.name, wall - base[r][0])
        ctx.results.add(name, "rss_mib", tool.name, rss)
    ctx.log(f"{name}: {program}")
    rounds(ctx, runs, body, baseline=True)


def _settle(tracer, quiet_s=0.3, limit_s=60):
    """Waits until the tracer's output stops growing; returns when it last grew."""
    size, grew = -1, time.monotonic()
    deadline = grew + limit_s
    while time.monotonic() < deadline:
        now_size = os.path.getsize(tracer.out_path)
        if now_size != size:
            size, grew = now_size, time.monotonic()
        elif time.monotonic() - grew > quiet_s:
            break
        time.sleep(0.01)
    return grew


def printf_rate(ctx, runs, calls):
    """printf on every getppid of the loop: lines/s delivered, lines lost, and how much
    slower the loop ran (in CPU time per call, and in wall time per call)."""
    name, base = "printf", {}

    def body(tool, r):
        if tool is None:
            base[r] = run_loop(ctx.loop, "getppid", calls)[:2]
            return
        tracer = Tracer(tool, PRINTF, workdir=ctx.workdir)
        try:
            if not tracer.wait_attached():
                return ctx.results.fail(name, tool.name, "did not attach")
            start = time.monotonic()
            wall, cpu, pid = run_loop(ctx.loop, "getppid", calls)
            last = _settle(tracer)
            _, rss, code = tracer.stop()
            prefix = f"{pid} ".encode()
            lines = sum(1 for line in tracer.output().splitlines() if line.startswith(prefix))
        finally:
            tracer.cleanup()
        if code != 0:
            return ctx.results.fail(name, tool.name, f"exit status {code}")
        ctx.results.add(name, "lines_per_s", tool.name, lines / max(last - start, 1e-6))
        ctx.results.add(name, "lost", tool.name, calls - lines)
        ctx.results.add(name, "slowdown", tool.name, cpu / base[r][1])
        ctx.results.add(name, "slowdown_wall", tool.name, wall / base[r][0])
        ctx.results.add(name, "rss_mib", tool.name, rss)
    ctx.log(f"{name}: {PRINTF} over {calls} getppid calls")
    rounds(ctx, runs, body, baseline=True)


def sigint_map(ctx, runs, keys=10000):
    """SIGINT to exit while a map holds `keys` keys, all printed at exit."""
    name = "sigint"

    def body(tool, _):
        env = MAP_KEYS["bpftrace" if tool.name == "bpftrace" else "scry"]
        tracer = Tracer(tool, KEYS_10K, env=env, workdir=ctx.workdir)
        try:
            if not tracer.wait_attached():
                return ctx.results.fail(name, tool.name, "did not attach")
            run_loop(ctx.loop, "close", keys)
            ms, rss, code = tracer.stop()
            printed = tracer.output().count(b"@[")
        finally:
            tracer.cleanup()
        if code != 0 or printed < keys:
            return ctx.results.fail(name, tool.name, f"exit status {code}, {printed} keys printed")
        ctx.results.add(name, "exit_ms", tool.name, ms)
        ctx.results.add(name, "rss_mib", tool.name, rss)
    ctx.log(f"{name}: {KEYS_10K}, {keys} keys")
    rounds(ctx, runs, body)


class _Lines:
    """Lines from a pipe, each stamped with CLOCK_MONOTONIC when it was read."""

    def __init__(self, stream):
        self.fd, self.pending = stream.fileno(), b""

    def next(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None, 0
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None, 0
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line, time.monotonic_ns()


def first_event(ctx, runs, events=100):
    """Time from exec to the first event's line, then the delay from each event (its
    nsecs) to its line reaching the reader, with a getppid every 2 ms."""
    name = "first_event"

    def body(tool, _):
        loop = subprocess.Popen([ctx.loop, "paced", "1000000", "2"])
        tracer = Tracer(tool, FIRST, args=[str(loop.pid)], pipe=True)
        try:
            lines, first, delays = _Lines(tracer.proc.stdout), None, []
            while len(delays) < events:
                line, stamp = lines.next(60)
                if line is None:
                    break
                if not line.isdigit():
                    continue
                if first is None:
                    first = (stamp - tracer.start) / 1e6
                else:
                    delays.append((stamp - int(line)) / 1e3)
            _, rss, code = tracer.stop()
        finally:
            tracer.cleanup()
            loop.kill()
            loop.wait()
        if first is None or len(delays) < events:
            return ctx.results.fail(name, tool.name, f"{len(delays)} events seen")
        delays.sort()
        ctx.results.add(name, "first_ms", tool.name, first)
        ctx.results.add(name, "latency_us", tool.name, delays[len(delays) // 2])
        ctx.results.add(name, "latency_p99_us", tool.name, delays[len(delays) * 99 // 100])
        ctx.results.add(name, "rss_mib", tool.name, rss)
    ctx.log(f"{name}: {FIRST}")
    rounds(ctx, runs, body)


def compile_growth(ctx, runs, sizes=COMPILE_SIZES):
    """--emit-elf of scripts of 100..1000 tracepoint probes: compile time by size; then
    500 probes with a map each, whose bodies cannot share a program."""
    for size, own_maps in [(n, False) for n in sizes] + [(500, True)]:
        name = f"compile{size}" + ("maps" if own_maps else "")
        script = write_script(ctx, name, size, own_maps=own_maps)
        elf = os.path.join(ctx.workdir, f"{name}.o")

        def body(tool, _, script=script, name=name, elf=elf):
            wall, rss, code, cpu = run_whole([tool.path, "--emit-elf", elf, script],
                                             environment(tool, MANY_PROBES))
            with open(elf, "rb") if os.path.exists(elf) else open(os.devnull, "rb") as f:
                is_elf = f.read(4) == b"\x7fELF"
            if os.path.exists(elf):
                os.unlink(elf)
            if code != 0 or not is_elf:
                return ctx.results.fail(name, tool.name, f"exit status {code}, ELF {is_elf}")
            ctx.results.add(name, "wall_ms", tool.name, wall)
            ctx.results.add(name, "cpu_ms", tool.name, cpu)
            ctx.results.add(name, "rss_mib", tool.name, rss)
        ctx.log(f"{name}: --emit-elf of {size} tracepoint probes"
                + (", a map each" if own_maps else ""))
        rounds(ctx, runs, body)
