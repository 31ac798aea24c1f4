"""Samples to a markdown table: medians per tool, the ratio scry/bpftrace, the issue-6
target and whether the median meets it; then compile time by script size."""

import statistics

from measure import median
from scenarios import COMPILE_SIZES


class Results:
    """Samples by (scenario, metric) and tool, and the runs that failed."""

    def __init__(self):
        self.samples = {}
        self.failures = []

    def add(self, scenario, metric, tool, value):
        self.samples.setdefault((scenario, metric), {}).setdefault(tool, []).append(value)

    def fail(self, scenario, tool, why):
        self.failures.append((scenario, tool, why))

    def median(self, scenario, metric, tool):
        return median(self.samples.get((scenario, metric), {}).get(tool, []))

    def count(self, scenario, metric, tool):
        return len(self.samples.get((scenario, metric), {}).get(tool, []))

    def tsv(self):
        lines = ["scenario\tmetric\ttool\tsample\tvalue"]
        for (scenario, metric), tools in self.samples.items():
            for tool, values in tools.items():
                lines += [f"{scenario}\t{metric}\t{tool}\t{i}\t{v:.3f}" for i, v in enumerate(values)]
        return "\n".join(lines) + "\n"


# (scenario, metric, what is measured, target): a target is (kind, op, value), kind
# "ratio" (scry / bpftrace) or "abs" (scry's own median); None: reported only.
ROWS = [
    ("begin", "wall_ms", '`BEGIN { printf("hi\\n"); exit(); }`: wall ms', ("ratio", "<=", 0.05)),
    ("begin", "cpu_ms", "… CPU ms (user + system)", None),
    ("begin", "rss_mib", "… peak RSS MiB", ("ratio", "<=", 0.35)),
    ("sched", "wall_ms", "`sched_switch { @[args.prev_comm] = count(); } BEGIN { exit(); }`: wall ms",
     ("ratio", "<=", 0.10)),
    ("sched", "cpu_ms", "… CPU ms (user + system)", None),
    ("sched", "rss_mib", "… peak RSS MiB", None),
    ("probes41", "wall_ms", "41 probes (40 tracepoints + `BEGIN { exit(); }`): wall ms",
     ("ratio", "<=", 0.10)),
    ("probes41", "cpu_ms", "… CPU ms (user + system)", None),
    ("probes41", "rss_mib", "… peak RSS MiB", None),
    ("attach361", "wall_ms", "`sys_enter_* { @[probe] = count(); }` 361 probes, run 1 s: wall ms",
     ("abs", "<", 1500)),
    ("attach361", "cpu_ms", "… CPU ms (user + system)", None),
    ("attach361", "rss_mib", "… peak RSS MiB", None),
    ("count_tid", "added_ns", "`raw_syscalls:sys_enter { @[tid] = count(); }`: added CPU ns/event",
     ("ratio", "<=", 0.8)),
    ("count_tid", "added_wall_ns", "… added wall ns/event", None),
    ("count_tid", "rss_mib", "… peak RSS MiB", None),
    ("hist_sum", "added_ns", "`@h = hist(pid); @s[comm] = sum(1)` on getppid: added CPU ns/event",
     ("ratio", "<=", 0.8)),
    ("hist_sum", "added_wall_ns", "… added wall ns/event", None),
    ("hist_sum", "rss_mib", "… peak RSS MiB", None),
    ("printf", "lines_per_s", '`printf("%d %s\\n", pid, comm)` on each getppid: lines/s',
     ("ratio", ">=", 2)),
    ("printf", "lost", "… events lost", ("abs", "==", 0)),
    ("printf", "slowdown", "… loop slowdown, CPU time per call (×)", ("abs", "<=", 5)),
    ("printf", "slowdown_wall", "… loop slowdown, wall time per call (×)", None),
    ("printf", "rss_mib", "… peak RSS MiB", None),
    ("sigint", "exit_ms", "SIGINT → exit, 10,000-key map printed: ms", ("ratio", "<=", 0.2)),
    ("sigint", "rss_mib", "… peak RSS MiB", None),
    ("first_event", "first_ms", "exec → first event's line (getppid every 2 ms): ms", None),
    ("first_event", "latency_us", "… event → line delay, median: µs", None),
    ("first_event", "latency_p99_us", "… event → line delay, 99th percentile: µs", None),
    ("first_event", "rss_mib", "… peak RSS MiB", None),
    ("compile500", "wall_ms", "`--emit-elf` of a 500-probe script: wall ms", ("abs", "<", 200)),
    ("compile500", "cpu_ms", "… CPU ms (user + system)", None),
    ("compile500", "rss_mib", "… peak RSS MiB", None),
    ("compile500maps", "wall_ms", "… the same with a map per probe (500 programs): wall ms",
     None),
]

OPS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b,
       "==": lambda a, b: a == b}


def fmt(value):
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def verdict(target, scry, ratio):
    if target is None:
        return "", ""
    kind, op, bound = target
    text = f"{'ratio ' if kind == 'ratio' else ''}{op} {bound:g}"
    value = ratio if kind == "ratio" else scry
    if value is None:
        return text, "?"
    return text, "yes" if OPS[op](value, bound) else "**no**"


def table(results, bpftrace_name, before=False):
    """With `before`, a column for the tool "before" (--before: an older scry binary)."""
    extra = " scry before |" if before else ""
    lines = [f"| scenario | scry |{extra} {bpftrace_name} | scry/bpftrace | target | met |",
             "|---|---:|---:|---:|---|---|" + ("---:|" if before else "")]
    for scenario, metric, label, target in ROWS:
        if (scenario, metric) not in results.samples:
            continue
        s = results.median(scenario, metric, "scry")
        b = results.median(scenario, metric, "bpftrace")
        ratio = s / b if s is not None and b not in (None, 0) else None
        text, met = verdict(target, s, ratio)
        runs = f" ({results.count(scenario, metric, 'scry')}/{results.count(scenario, metric, 'bpftrace')})"
        old = f" {fmt(results.median(scenario, metric, 'before'))} |" if before else ""
        lines.append(f"| {label}{runs} | {fmt(s)} |{old} {fmt(b)} | {fmt(ratio)} | {text} | {met} |")
    return "\n".join(lines)


def growth(results):
    """Compile time by size, the slope between sizes, and a least-squares line."""
    points = [(n, results.median(f"compile{n}", "wall_ms", "scry")) for n in COMPILE_SIZES]
    points = [(n, t) for n, t in points if t is not None]
    if len(points) < 2:
        return ""
    lines = ["| probes | scry ms | scry ms/probe since previous | bpftrace ms | scry peak RSS MiB |",
             "|---:|---:|---:|---:|---:|"]
    previous = None
    for n, t in points:
        slope = fmt((t - previous[1]) / (n - previous[0])) if previous else "–"
        b = results.median(f"compile{n}", "wall_ms", "bpftrace")
        rss = results.median(f"compile{n}", "rss_mib", "scry")
        lines.append(f"| {n} | {fmt(t)} | {slope} | {fmt(b)} | {fmt(rss)} |")
        previous = (n, t)
    xs, ys = [n for n, _ in points], [t for _, t in points]
    fit = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    total = sum((y - mean) ** 2 for y in ys) or 1.0
    residual = sum((y - (fit.intercept + fit.slope * x)) ** 2 for x, y in zip(xs, ys))
    lines.append("")
    lines.append(f"Least-squares line: {fit.intercept:.1f} ms + {fit.slope:.3f} ms × probes, "
                 f"R² = {1 - residual / total:.4f} (1 is a straight line).")
    return "\n".join(lines)


def failures(results):
    if not results.failures:
        return "No run failed."
    return "Failed runs (left out of the medians):\n\n" + "\n".join(
        f"- {scenario}, {tool}: {why}" for scenario, tool, why in results.failures)
