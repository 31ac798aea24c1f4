#!/usr/bin/env python3
"""Checks that this machine can run scry's end-to-end tests; run by .ci/run before them.

Fails (exit 1, "FAIL: ..." on stderr) when the bpf() syscall itself is refused: creating a
one-element ARRAY map or loading a two-instruction program. Missing optional kernel
features (kprobes, hardware PMU, uprobes, BTF, tracefs) only print a reasoned SKIP note:
the tests that need them skip themselves. Python 3 standard library only.
"""

import ctypes
import errno
import gzip
import os
import platform
import struct
import sys

# __NR_bpf per architecture (include/uapi/asm-generic/unistd.h and arch tables).
BPF_SYSCALL = {"x86_64": 321, "aarch64": 280, "riscv64": 280, "ppc64le": 361,
               "s390x": 351, "i686": 357, "armv7l": 386, "loongarch64": 280}
BPF_MAP_CREATE = 0
BPF_PROG_LOAD = 5
BPF_MAP_TYPE_ARRAY = 2
BPF_PROG_TYPE_SOCKET_FILTER = 1
ATTR_SIZE = 128  # zero-padded union bpf_attr; the kernel checks the tail is zero

EVENT_SOURCES = "/sys/bus/event_source/devices"
TRACEFS = "/sys/kernel/tracing"

failures: list[str] = []
notes: list[str] = []


def bpf(libc, number: int, cmd: int, attr: bytes) -> tuple[int, int]:
    """Calls bpf(cmd, attr); returns (result, errno)."""
    buf = ctypes.create_string_buffer(attr.ljust(ATTR_SIZE, b"\0"), ATTR_SIZE)
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(number), ctypes.c_int(cmd), buf,
                          ctypes.c_uint(ATTR_SIZE))
    return result, ctypes.get_errno()


def refusal(what: str, err: int) -> str:
    name = errno.errorcode.get(err, str(err))
    message = f"BPF syscall refused: {what}: {name} ({os.strerror(err)})"
    if err in (errno.EPERM, errno.EACCES):
        message += (f"; euid={os.geteuid()}: scry needs root (or CAP_BPF+CAP_PERFMON+"
                    f"CAP_DAC_READ_SEARCH); in a container, allow bpf() in its seccomp "
                    f"profile and grant those capabilities")
    elif err == errno.ENOSYS:
        message += "; the kernel was built without CONFIG_BPF_SYSCALL or seccomp blocks it"
    return message


def checkSyscall() -> None:
    machine = platform.machine()
    number = BPF_SYSCALL.get(machine)
    if number is None:
        failures.append(f"unknown architecture {machine!r}: no bpf() syscall number known")
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long

    # union bpf_attr, BPF_MAP_CREATE: map_type, key_size, value_size, max_entries (u32).
    fd, err = bpf(libc, number, BPF_MAP_CREATE, struct.pack("=IIII", BPF_MAP_TYPE_ARRAY, 4, 8, 1))
    if fd < 0:
        failures.append(refusal("BPF_MAP_CREATE of a 1-element ARRAY map", err))
        return
    os.close(fd)

    # BPF_PROG_LOAD: `r0 = 0; exit` as a socket filter. Instructions are 8 bytes:
    # opcode, dst/src registers, s16 offset, s32 immediate.
    insns = struct.pack("=BBhi", 0xB7, 0, 0, 0) + struct.pack("=BBhi", 0x95, 0, 0, 0)
    insns_buf = ctypes.create_string_buffer(insns, len(insns))
    license_buf = ctypes.create_string_buffer(b"GPL")
    # prog_type, insn_cnt (u32); insns, license (u64 pointers); log_level, log_size (u32),
    # log_buf (u64).
    attr = struct.pack("=IIQQIIQ", BPF_PROG_TYPE_SOCKET_FILTER, 2,
                       ctypes.addressof(insns_buf), ctypes.addressof(license_buf), 0, 0, 0)
    fd, err = bpf(libc, number, BPF_PROG_LOAD, attr)
    if fd < 0:
        failures.append(refusal("BPF_PROG_LOAD of a 2-instruction socket filter", err))
        return
    os.close(fd)
    notes.append("ok: bpf() creates maps and loads programs")


def kernelConfig() -> dict[str, str]:
    """CONFIG_* values from /proc/config.gz, or {} when the kernel does not expose it."""
    try:
        with gzip.open("/proc/config.gz", "rt") as config:
            text = config.read()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        if line.startswith("CONFIG_"):
            key, _, value = line.partition("=")
            values[key] = value
        elif line.startswith("# CONFIG_") and line.endswith(" is not set"):
            values[line[2:-len(" is not set")]] = "n"
    return values


def checkFeatures() -> None:
    config = kernelConfig()
    sources = set(os.listdir(EVENT_SOURCES)) if os.path.isdir(EVENT_SOURCES) else set()

    if config.get("CONFIG_KPROBES") == "n":
        notes.append("SKIP kprobe/kretprobe: CONFIG_KPROBES is not set (/proc/config.gz)")
    elif "kprobe" not in sources and not os.path.exists(f"{TRACEFS}/kprobe_events"):
        notes.append(f"SKIP kprobe/kretprobe: no kprobe PMU in {EVENT_SOURCES} and no "
                     f"{TRACEFS}/kprobe_events")
    else:
        notes.append("ok: kprobes available")

    if "cpu" not in sources and not any(s.startswith("armv8_pmu") for s in sources):
        notes.append(f"SKIP hardware:*: no CPU PMU in {EVENT_SOURCES} "
                     f"(has: {' '.join(sorted(sources)) or 'nothing'}); usual in VMs")
    else:
        notes.append("ok: hardware PMU present")

    if "uprobe" not in sources and config.get("CONFIG_UPROBE_EVENTS") == "n":
        notes.append("SKIP uprobe/usdt: CONFIG_UPROBE_EVENTS is not set")

    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        notes.append("SKIP BTF-typed cases: no /sys/kernel/btf/vmlinux "
                     "(kernel built without CONFIG_DEBUG_INFO_BTF)")

    if not os.path.isdir(f"{TRACEFS}/events"):
        notes.append(f"SKIP tracepoint:*: tracefs is not mounted at {TRACEFS} "
                     f"(mount -t tracefs nodev {TRACEFS})")
    elif not os.access(f"{TRACEFS}/events", os.R_OK | os.X_OK):
        notes.append(f"SKIP tracepoint:*: {TRACEFS}/events is not readable by euid "
                     f"{os.geteuid()}")
    else:
        notes.append("ok: tracefs readable")


def main() -> int:
    if sys.platform != "linux":
        print(f"FAIL: BPF needs Linux, this is {sys.platform}", file=sys.stderr)
        return 1
    print(f"check-bpf: kernel {platform.release()} {platform.machine()}, euid {os.geteuid()}")
    checkSyscall()
    checkFeatures()
    for note in notes:
        print(f"check-bpf: {note}")
    for failure in failures:
        print(f"check-bpf: FAIL: {failure}", file=sys.stderr)
    if failures:
        print("check-bpf: the end-to-end tests cannot run on this machine", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
