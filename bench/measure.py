"""Running and timing processes for bench.py: whole runs with their peak RSS, tracers
started in the background and stopped with SIGINT, the syscall loop, and medians.

Times are wall clock (CLOCK_MONOTONIC) around the process; peak RSS comes from the
kernel's rusage of that one child (wait4), so nothing else is counted."""

import os
import signal
import statistics
import subprocess
import tempfile
import time

NOTIFY = b"__BPFTRACE_NOTIFY_PROBES_ATTACHED"


class Tool:
    """A tracer under test: its name in the table, its binary, extra environment."""

    def __init__(self, name, path, env=None):
        self.name = name
        self.path = path
        self.env = env or {}


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def _reap(proc, timeout):
    """Waits for `proc` (killing it after `timeout` s); returns (exit status, peak RSS
    MiB, CPU ms: user plus system)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except Timeout:
        proc.kill()
        _, status, usage = os.wait4(proc.pid, 0)
        status = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    code = -1 if status is None else os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped here: keep subprocess from waiting again
    return code, usage.ru_maxrss / 1024.0, (usage.ru_utime + usage.ru_stime) * 1e3


def environment(tool, extra=None):
    env = dict(os.environ)
    env.update(tool.env)
    env.update(extra or {})
    return env


def run_whole(argv, env, timeout=120):
    """Runs argv to its end, output discarded. Returns (wall ms, peak RSS MiB, status,
    CPU ms)."""
    start = time.monotonic_ns()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    code, rss, cpu = _reap(proc, timeout)
    return (time.monotonic_ns() - start) / 1e6, rss, code, cpu


class Tracer:
    """A tool running `program` in the background, its stdout going to a file (or a pipe
    with pipe=True). Stopped with SIGINT, as a user would."""

    def __init__(self, tool, program, args=(), env=None, pipe=False, workdir=None):
        self.out_path = tempfile.mktemp(prefix=f"{tool.name}-", suffix=".out", dir=workdir)
        self.err_path = self.out_path[:-4] + ".err"
        env = environment(tool, env)
        env["__BPFTRACE_NOTIFY_PROBES_ATTACHED"] = "1"
        stdout = subprocess.PIPE if pipe else open(self.out_path, "wb")
        stderr = open(self.err_path, "wb")
        self.start = time.monotonic_ns()
        self.proc = subprocess.Popen([tool.path, "-q", "-e", program, *args],
                                     stdin=subprocess.DEVNULL, stdout=stdout,
                                     stderr=stderr, env=env)
        stderr.close()
        if not pipe:
            stdout.close()

    def wait_attached(self, timeout=60):
        """Waits for the harness notification (scry prints it on stdout, bpftrace 0.17 on
        stderr); returns False when the tool exited or `timeout` s passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in (self.out_path, self.err_path):
                if os.path.exists(path) and NOTIFY in open(path, "rb").read():
                    return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.002)
        return False

    def stop(self, timeout=120):
        """SIGINT, then waits. Returns (ms from SIGINT to exit, peak RSS MiB, status)."""
        start = time.monotonic_ns()
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
        code, rss, _ = _reap(self.proc, timeout)
        return (time.monotonic_ns() - start) / 1e6, rss, code

    def output(self):
        with open(self.out_path, "rb") as f:
            return f.read()

    def cleanup(self):
        if self.proc.returncode is None:
            self.proc.kill()
            _reap(self.proc, 10)
        for path in (self.out_path, self.err_path):
            if os.path.exists(path):
                os.unlink(path)


def run_loop(loop, mode, count):
    """Runs the syscall loop. For getppid returns (wall ns per call, CPU ns per call,
    pid); for the other modes (wall ms, None, 0)."""
    start = time.monotonic_ns()
    out = subprocess.run([loop, mode, str(count)], check=True, capture_output=True).stdout
    if mode == "getppid":
        wall, cpu, pid = out.split()
        return float(wall), float(cpu), int(pid)
    return (time.monotonic_ns() - start) / 1e6, None, 0


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
