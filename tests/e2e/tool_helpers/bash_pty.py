#!/usr/bin/env python3
"""Types a command into an interactive bash on a pseudo-terminal, so that bash
reads it with readline() (bashreadline.bt), then exits."""
import os
import pty
import select
import time

pid, fd = pty.fork()
if pid == 0:
    os.execv("/bin/bash", ["bash", "--norc", "--noprofile", "-i"])
os.write(fd, b"echo scry-readline-test\nexit\n")
deadline = time.monotonic() + 5
while time.monotonic() < deadline:  # drain the terminal so bash never blocks on it
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            if not os.read(fd, 4096):
                break
        except OSError:  # EIO: bash has exited and closed the terminal
            break
os.waitpid(pid, 0)
