#!/usr/bin/env python3
"""End-to-end test runner: runs the real scry binary against the real kernel.

Reads directive files tests/e2e/*.test (the format of bpftrace's runtime tests; see
docs/testing.md), runs each case with a timeout in its own process group, checks its
output and prints `[ OK ]`/`[FAIL]`/`[SKIP]` per case and a final
`N passed, N failed, N skipped` line. Python 3 standard library only.
"""

import argparse
import difflib
import os
import re
import selectors
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

NOTIFY_VAR = "__BPFTRACE_NOTIFY_PROBES_ATTACHED"
DEFAULT_TIMEOUT = 5.0
EXIT_GRACE = 1.0  # seconds to drain pipes after scry exits (a child may hold them)
OUTPUT_LIMIT = 4 << 20  # bytes kept per stream
SHOW_LINES = 40  # output lines shown per stream on failure

# Directives whose value is a list (may repeat) vs. set once.
LIST_DIRECTIVES = {
    "EXPECT", "EXPECT_REGEX", "EXPECT_NONE", "EXPECT_REGEX_NONE",
    "EXPECT_STDERR", "EXPECT_STDERR_REGEX", "EXPECT_STDERR_NONE",
    "EXPECT_STDERR_REGEX_NONE", "AFTER", "ENV", "REQUIRES",
}
SINGLE_DIRECTIVES = {"NAME", "PROG", "RUN", "TIMEOUT", "RETURN_CODE", "SKIP"}
FLAG_DIRECTIVES = {"WILL_FAIL"}


@dataclass
class Case:
    suite: str
    name: str = ""
    location: str = ""  # file:line of the block, for messages
    prog: str | None = None
    run: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    will_fail: bool = False
    return_code: int | None = None
    skip: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None  # a malformed block: reported as a failure

    @property
    def full_name(self) -> str:
        return f"{self.suite}.{self.name or '?'}"

    def get(self, directive: str) -> list[str]:
        return self.lists.get(directive, [])


# ---- Parsing -------------------------------------------------------------------------

def parseFile(path: Path) -> list[Case]:
    """Splits a .test file into blocks at blank lines and parses each into a Case.

    A line starting with whitespace continues the previous directive: for PROG and RUN
    it adds a line to the program, for EXPECT a line that must follow the previous one.
    Indentation up to the directive's value column is removed. '#' starts a comment line.
    """
    cases: list[Case] = []
    block: list[tuple[int, str]] = []
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines + [""], start=1):
        if line.strip() == "":
            if block:
                cases.append(parseBlock(path, block))
                block = []
            continue
        if line.lstrip().startswith("#") and not line[:1].isspace():
            continue
        block.append((number, line))
    return cases


def parseBlock(path: Path, block: list[tuple[int, str]]) -> Case:
    case = Case(suite=path.stem, location=f"{path.name}:{block[0][0]}")
    entries: list[list] = []  # [directive, [value lines], line number]
    for number, line in block:
        if line[:1].isspace():
            if not entries:
                case.error = f"{path.name}:{number}: continuation line before any directive"
                return case
            directive = entries[-1][0]
            indent = len(line) - len(line.lstrip(" "))
            entries[-1][1].append(line[min(indent, len(directive) + 1):])
            continue
        match = re.match(r"^([A-Z_]+)(?: (.*))?$", line)
        if not match:
            case.error = f"{path.name}:{number}: not a directive: {line!r}"
            return case
        entries.append([match.group(1), [match.group(2) or ""], number])

    for directive, values, number in entries:
        value = "\n".join(values)
        where = f"{path.name}:{number}"
        if directive in LIST_DIRECTIVES:
            if directive == "ENV":
                for item in shlex.split(value):
                    key, sep, val = item.partition("=")
                    if not sep or not key:
                        case.error = f"{where}: ENV wants K=V, got {item!r}"
                        return case
                    case.env[key] = val
            else:
                case.lists.setdefault(directive, []).append(value)
        elif directive in FLAG_DIRECTIVES:
            case.will_fail = True
        elif directive in SINGLE_DIRECTIVES:
            if directive == "NAME":
                case.name = value.strip()
            elif directive == "PROG":
                case.prog = value
            elif directive == "RUN":
                case.run = value
            elif directive == "SKIP":
                case.skip = value.strip() or "no reason given"
            else:
                try:
                    if directive == "TIMEOUT":
                        case.timeout = float(value)
                    else:
                        case.return_code = int(value)
                except ValueError:
                    case.error = f"{where}: {directive} wants a number, got {value!r}"
                    return case
        else:
            case.error = f"{where}: unknown directive {directive}"
            return case

    for pattern_directive in ("EXPECT_REGEX", "EXPECT_REGEX_NONE", "EXPECT_STDERR_REGEX",
                              "EXPECT_STDERR_REGEX_NONE"):
        for pattern in case.get(pattern_directive):
            try:
                re.compile(pattern)
            except re.error as err:
                case.error = f"{case.location}: bad {pattern_directive} {pattern!r}: {err}"
                return case
    if not case.name:
        case.error = f"{case.location}: block has no NAME"
    elif (case.prog is None) == (case.run is None):
        case.error = f"{case.location}: needs exactly one of PROG and RUN"
    return case


# ---- Running -------------------------------------------------------------------------

@dataclass
class Outcome:
    stdout: str = ""
    stderr: str = ""
    status: int | None = None
    timed_out: bool = False
    attached: bool = False
    after_started: int = 0
    elapsed: float = 0.0


def stopGroup(proc: subprocess.Popen) -> None:
    """Ends a process started with start_new_session and everything left in its group:
    SIGTERM and up to a second to exit, then SIGKILL. Never touches other processes."""
    if proc.poll() is None:
        signalGroup(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
    signalGroup(proc.pid, signal.SIGKILL)  # the leader's leftover children, if any
    proc.wait()


def signalGroup(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def runCase(case: Case, scry: str, timeout_scale: float) -> Outcome:
    env = dict(os.environ)
    env.update(case.env)
    env[NOTIFY_VAR] = "1"
    env["SCRY"] = scry
    env["E2E_DIR"] = str(Path(__file__).resolve().parent)  # helpers such as bpf_leaks.py
    if case.prog is not None:
        argv = [scry, "-e", case.prog]
    else:
        argv = ["bash", "-c", substitute(case.run or "", scry)]
    outcome = Outcome()
    after_procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="scry-e2e-") as cwd:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=cwd,
                                start_new_session=True)
        out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
        buffers = {out_fd: bytearray(), err_fd: bytearray()}
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        sel.register(proc.stderr, selectors.EVENT_READ)
        deadline = start + case.timeout * timeout_scale
        exited_at = None
        try:
            while sel.get_map():
                now = time.monotonic()
                if now >= deadline:
                    outcome.timed_out = proc.poll() is None
                    break
                if proc.poll() is not None:
                    exited_at = exited_at or now
                    if now - exited_at > EXIT_GRACE:
                        break
                new_output = False
                for key, _ in sel.select(min(deadline - now, 0.1)):
                    data = os.read(key.fd, 65536)
                    if not data:
                        sel.unregister(key.fileobj)
                        continue
                    buf = buffers[key.fd]
                    if len(buf) < OUTPUT_LIMIT:
                        buf.extend(data[:OUTPUT_LIMIT - len(buf)])
                    new_output = True
                # scry prints the notice on stdout; bpftrace 0.17 on stderr.
                if new_output and not outcome.attached and any(
                        NOTIFY_VAR.encode() in buf.splitlines() for buf in buffers.values()):
                    outcome.attached = True
                    for command in case.get("AFTER"):
                        after_procs.append(subprocess.Popen(
                            ["bash", "-c", substitute(command, scry)], env=env, cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True))
                        outcome.after_started += 1
        finally:
            sel.close()
            if not outcome.timed_out:
                try:
                    proc.wait(timeout=EXIT_GRACE)  # pipes closed: it is on its way out
                except subprocess.TimeoutExpired:
                    pass
            stopGroup(proc)
            for after in after_procs:
                stopGroup(after)
            proc.stdout.close()
            proc.stderr.close()
        outcome.elapsed = time.monotonic() - start
        outcome.status = proc.returncode
        outcome.stdout = buffers[out_fd].decode(errors="replace")
        outcome.stderr = buffers[err_fd].decode(errors="replace")
    return outcome


def substitute(command: str, scry: str) -> str:
    quoted = shlex.quote(scry)
    return command.replace("{{SCRY}}", quoted).replace("{{BPFTRACE}}", quoted)


def requirementsMet(case: Case) -> str | None:
    """Returns why the case must be skipped, or None."""
    if case.skip:
        return case.skip
    for command in case.get("REQUIRES"):
        try:
            result = subprocess.run(["bash", "-c", command], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    timeout=10, start_new_session=True)
            if result.returncode != 0:
                return f"requirement not met: {command}"
        except subprocess.TimeoutExpired:
            return f"requirement timed out: {command}"
    return None


# ---- Checking ------------------------------------------------------------------------

def containsLines(lines: list[str], expected: list[str]) -> bool:
    """True when `expected` appears as consecutive whole lines (trailing blanks ignored)."""
    want = [line.rstrip() for line in expected]
    got = [line.rstrip() for line in lines]
    return any(got[i:i + len(want)] == want for i in range(len(got) - len(want) + 1))


def regexFound(text: str, lines: list[str], pattern: str) -> bool:
    """A pattern with a newline is searched in the whole text (re.M), else line by line."""
    if "\n" in pattern or "\\n" in pattern:
        return re.search(pattern, text, re.M) is not None
    compiled = re.compile(pattern)
    return any(compiled.search(line) for line in lines)


def checkCase(case: Case, outcome: Outcome) -> list[str]:
    """Returns one message per unmet expectation (empty when the case passed)."""
    problems: list[str] = []
    if outcome.timed_out:
        problems.append(f"timed out after {case.timeout:g}s (killed)")
        if case.get("AFTER") and not outcome.attached:
            problems.append(f"scry never printed {NOTIFY_VAR}, so AFTER never ran")
    elif outcome.status is not None and outcome.status < 0:
        problems.append(f"killed by signal {signal.Signals(-outcome.status).name}")
    elif case.return_code is not None:
        if outcome.status != case.return_code:
            problems.append(f"exit status: expected {case.return_code}, got {outcome.status}")
    elif case.will_fail:
        if outcome.status == 0:
            problems.append("exit status: expected non-zero (WILL_FAIL), got 0")
    elif outcome.status != 0:
        problems.append(f"exit status: expected 0, got {outcome.status}")

    for stream, raw, suffix in (("stdout", outcome.stdout, ""),
                                ("stderr", outcome.stderr, "_STDERR")):
        # The attach notice is harness plumbing, printed wherever output happens to be:
        # leave it out so that it cannot split lines a multi-line EXPECT wants together.
        lines = [line for line in raw.splitlines() if line != NOTIFY_VAR]
        text = "\n".join(lines) + "\n"
        for expected in case.get(f"EXPECT{suffix}"):
            want = expected.split("\n")
            if not containsLines(lines, want):
                problems.append(describeMissing(stream, want, lines))
        for pattern in case.get(f"EXPECT{suffix}_REGEX"):
            if not regexFound(text, lines, pattern):
                problems.append(f"{stream}: no line matches regex\n    - /{pattern}/")
        for unwanted in case.get(f"EXPECT{suffix}_NONE"):
            if containsLines(lines, unwanted.split("\n")):
                problems.append(f"{stream}: unwanted line present\n    + {unwanted}")
        for pattern in case.get(f"EXPECT{suffix}_REGEX_NONE"):
            compiled = re.compile(pattern)
            hits = [line for line in lines if compiled.search(line)]
            if hits:
                problems.append(f"{stream}: line matches unwanted regex /{pattern}/\n"
                                f"    + {hits[0]}")
    return problems


def describeMissing(stream: str, want: list[str], lines: list[str]) -> str:
    message = f"{stream}: expected line{'s' if len(want) > 1 else ''} not found"
    message += "".join(f"\n    - {line}" for line in want)
    close = difflib.get_close_matches(want[0], lines, n=1, cutoff=0.5)
    if close:
        message += f"\n    closest line in {stream}:\n    + {close[0]}"
    return message


def showStream(name: str, text: str) -> str:
    lines = text.splitlines()
    if not lines:
        return f"  {name}: (empty)"
    shown = lines[:SHOW_LINES]
    more = f"\n    ... {len(lines) - SHOW_LINES} more lines" if len(lines) > SHOW_LINES else ""
    return f"  {name}:\n" + "\n".join(f"    | {line}" for line in shown) + more


def describeCommand(case: Case, scry: str) -> str:
    if case.prog is not None:
        command = shlex.join([scry, "-e", case.prog])
    else:
        command = substitute(case.run or "", scry)
    return command.replace("\n", "\n           ")


# ---- Main ----------------------------------------------------------------------------

def defaultScry() -> str:
    if os.environ.get("SCRY"):
        return os.environ["SCRY"]
    built = Path(__file__).resolve().parents[2] / "build" / "scry"
    return str(built)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scry", default=defaultScry(),
                        help="the binary under test (default: $SCRY, else build/scry)")
    parser.add_argument("--filter", default=None,
                        help="run only cases whose suite.name matches this regex")
    parser.add_argument("--timeout-scale", type=float, default=1.0,
                        help="multiply every TIMEOUT (slow or loaded machines)")
    parser.add_argument("--skip-status", type=int, default=0,
                        help="exit status when everything was skipped for lack of root "
                             "(ctest: 77 with SKIP_RETURN_CODE)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show command and output of every case, not only failures")
    parser.add_argument("files", nargs="*", type=Path,
                        help="test files (default: tests/e2e/*.test)")
    args = parser.parse_args()

    files = args.files or sorted(Path(__file__).resolve().parent.glob("*.test"))
    cases = [case for path in files for case in parseFile(path)]
    if args.filter:
        pattern = re.compile(args.filter)
        cases = [case for case in cases if pattern.search(case.full_name)]

    scry = os.path.abspath(args.scry) if os.sep in args.scry else args.scry
    passed = failed = skipped = 0

    if os.geteuid() != 0:
        print(f"SKIP: all {len(cases)} e2e cases: they load BPF programs and need root "
              f"(running as euid {os.geteuid()}); run them with sudo")
        print(f"0 passed, 0 failed, {len(cases)} skipped")
        return args.skip_status
    if os.sep in scry and not os.access(scry, os.X_OK):
        print(f"error: scry binary not found or not executable: {scry} (use --scry PATH)",
              file=sys.stderr)
        return 2

    for case in cases:
        if case.error:
            failed += 1
            print(f"[FAIL] {case.full_name}\n  malformed test: {case.error}", flush=True)
            continue
        reason = requirementsMet(case)
        if reason:
            skipped += 1
            print(f"[SKIP] {case.full_name}: {reason}", flush=True)
            continue
        outcome = runCase(case, scry, args.timeout_scale)
        problems = checkCase(case, outcome)
        detail = (f"  command: {describeCommand(case, scry)}\n"
                  f"  exit status: {outcome.status}"
                  f"{' (timed out)' if outcome.timed_out else ''}, "
                  f"{outcome.elapsed:.2f}s, defined at {case.location}\n"
                  + showStream("stdout", outcome.stdout) + "\n"
                  + showStream("stderr", outcome.stderr))
        if problems:
            failed += 1
            print(f"[FAIL] {case.full_name}")
            for problem in problems:
                print("  " + problem.replace("\n", "\n  "))
            print(detail, flush=True)
        else:
            passed += 1
            print(f"[ OK ] {case.full_name}", flush=True)
            if args.verbose:
                print(detail, flush=True)

    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
