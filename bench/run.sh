#!/usr/bin/env bash
# The benchmark suite in one command: scry against bpftrace (when installed) on every
# scenario of issue 6, interleaved, medians and ratios in bench/results/<date>.md.
#
#   sudo bench/run.sh [--quick] [--scry PATH] [--no-bpftrace] [--only REGEX] [--out FILE]
#
# Reports only: a missed target never makes it fail. See bench/README.md.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/bench.py" "$@"
