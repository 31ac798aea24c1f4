#!/usr/bin/env bash
# Triggers one OOM kill without endangering the machine: a memory cgroup limited
# to 64 MiB, and a python3 in it that writes 512 MiB. The kernel kills python3
# (oomkill.bt sees tracepoint:oom:mark_victim); the cgroup is removed afterwards.
# Works with cgroup v1 (memory controller) and v2; exit status 1 if neither can
# be used.
set -u
if [[ -d /sys/fs/cgroup/memory ]]; then
  root=/sys/fs/cgroup/memory limit=memory.limit_in_bytes
elif [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
  root=/sys/fs/cgroup limit=memory.max
else
  exit 1
fi
cg="$root/scry-e2e-oom-$$"
mkdir "$cg" || exit 1
trap 'rmdir "$cg" 2>/dev/null' EXIT
echo $((64 << 20)) >"$cg/$limit"
(echo "$BASHPID" >"$cg/cgroup.procs" && exec python3 -c 'b = b"x" * (512 << 20)') 2>/dev/null
sleep 0.1 # let the killed process leave the cgroup before rmdir
exit 0
