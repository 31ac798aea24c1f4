#!/usr/bin/env python3
"""Tests bash completion the way a user meets it: types a command line into an
interactive bash on a pseudo-terminal (with packaging/bash-completion/scry sourced and
$SCRY's directory first on PATH), presses TAB once or twice, and prints what the
terminal showed. With --close TEXT it then appends TEXT (a closing quote, say) and
prints the completed line as "LINE: ...".

Usage: complete.py [--tabs N] [--close TEXT] COMMAND_LINE
"""
import argparse
import os
import pty
import re
import select
import sys
import time
from pathlib import Path

COMPLETION = Path(__file__).resolve().parents[3] / "packaging" / "bash-completion" / "scry"


def drain(fd, seconds, quiet=0.4):
    """What the terminal shows within `seconds`, returning early once output has
    started and then stopped for `quiet` seconds."""
    out = b""
    start = time.monotonic()
    last = None
    while time.monotonic() - start < seconds:
        if last is not None and time.monotonic() - last > quiet:
            break
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: bash has gone
                break
            out += data
            last = time.monotonic()
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tabs", type=int, default=2)
    parser.add_argument("--close")
    parser.add_argument("line")
    args = parser.parse_args()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["PS1"] = "$ "
        os.environ["PATH"] = str(Path(os.environ["SCRY"]).parent) + ":" + os.environ["PATH"]
        os.execv("/bin/bash", ["bash", "--norc", "--noprofile", "-i"])
    os.write(fd, b"source '%s'\n" % str(COMPLETION).encode())
    os.write(fd, b"bind 'set completion-query-items 10000'; bind 'set page-completions off'; "
             b"bind 'set enable-bracketed-paste off'\n")
    drain(fd, 3)
    os.write(fd, args.line.encode() + b"\t" * args.tabs)
    out = drain(fd, 3)
    if args.close is not None:
        # Ctrl-A, "echo LINE: ", Ctrl-E, the closing text: bash prints the line.
        os.write(fd, b"\x01echo LINE: \x05" + args.close.encode() + b"\n")
        out += drain(fd, 2)
    os.kill(pid, 9)  # the interactive bash, which would wait for more input
    os.waitpid(pid, 0)
    # Terminal control sequences (cursor moves, bell) would get in the way of matching.
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z@]|\x07", "", out.decode(errors="replace"))
    sys.stdout.write(text.replace("\r", ""))


if __name__ == "__main__":
    main()
