#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus: every PROG of tests/e2e/*.test (parsed with
tests/e2e/run.py's own reader, so continuation lines are joined), every script in
tests/golden/**/*.bt and tools/*.bt, and tests/fuzz/seeds/*. One file per script, named
after where it came from.

    python3 tests/fuzz/seeds.py OUTDIR
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import run  # noqa: E402  (tests/e2e/run.py)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for test in sorted((ROOT / "tests" / "e2e").glob("*.test")):
        for case in run.parseFile(test):
            if case.prog:
                (out / f"e2e-{case.suite}-{case.name}.bt").write_text(case.prog)
                count += 1
    scripts = sorted((ROOT / "tests" / "golden").glob("**/*.bt"))
    scripts += sorted((ROOT / "tools").glob("*.bt"))
    scripts += sorted((ROOT / "tests" / "fuzz" / "seeds").glob("*"))
    for script in scripts:
        name = "-".join(script.relative_to(ROOT).parts[:-1] + (script.name,))
        (out / name).write_bytes(script.read_bytes())
        count += 1
    print(f"seeds: {count} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
