"""Benchmark: what checking one worksheet costs, against the cost of parsing it.

Measures, on every example that scores (the realistic case), microseconds per
file for:

1. the floor: ``yaml.load(data, Loader=yaml.CSafeLoader)`` and nothing else;
2. ``workbook``'s strict loader alone (bytes -> Document with positions);
3. the whole of ``check``: load, schema validation, scoring.

and then what a learner waits for: ``workbook check FILE`` as a new process, start
to finish, against a bare ``python -c "import yaml"``, as a ratio (issue 16: at most
2.5). Both run with compiled modules cached, as an installed copy has them
(``PYTHONDONTWRITEBYTECODE`` is cleared and the package compiled first), and with
the catalog's verification recorded (workbook/verified.py), as after a first run.

Run it with ``make bench-check`` or ``python scripts/bench_check.py [--rounds N]``.
The numbers are for comparison on one machine, not promises: see the README.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from workbook.catalog import load_catalog
from workbook.loader import load_bytes
from workbook.worksheet import check_bytes

ROOT = Path(__file__).resolve().parent.parent


def per_file(action: Callable[[bytes], object], files: list[bytes], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for raw in files:
            action(raw)
        best = min(best, time.perf_counter() - started)
    return best / len(files) * 1e6


def startup(commands: list[list[str]], runs: int) -> list[float]:
    """Median wall-clock milliseconds of each command as a new process, the commands
    taken in turn, so that a shared machine's load, which drifts over seconds, weighs
    on each alike and their ratio holds (run one after the other, the ratio moved
    between 1.9 and 3.0 here)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in commands:  # warm: compiled modules and the caches written
        subprocess.run(command, env=env, capture_output=True, check=False)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, kept in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=False)
            kept.append((time.perf_counter() - started) * 1000)
    return [statistics.median(kept) for kept in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="repeat and keep the best")
    parser.add_argument("--runs", type=int, default=31,
                        help="new processes to time for the start-up ratio (median)")
    args = parser.parse_args()
    catalog = load_catalog(ROOT)
    files = [p.read_bytes() for p in sorted(ROOT.glob("exercises/*/examples/*.yaml"))
             if check_bytes(p.read_bytes(), p.name, catalog).status == "scored"]
    size = sum(map(len, files)) / len(files)
    floor = per_file(lambda raw: yaml.load(raw, Loader=yaml.CSafeLoader), files, args.rounds)
    load = per_file(lambda raw: load_bytes(raw, "bench"), files, args.rounds)
    check = per_file(lambda raw: check_bytes(raw, "bench", catalog), files, args.rounds)
    print(f"{len(files)} scored example worksheets, {size:,.0f} bytes on average, "
          f"best of {args.rounds} rounds")
    print(f"  floor  yaml.load(CSafeLoader)     {floor:8.0f} us/file")
    print(f"  load   workbook strict loader     {load:8.0f} us/file  ({load / floor:.2f}x floor)")
    print(f"  check  load + validate + score    {check:8.0f} us/file  ({check / floor:.2f}x floor)")

    compileall.compile_dir(str(ROOT / "workbook"), quiet=1)
    example = str(ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml")
    # What a learner types: the `workbook` script pip installs next to the interpreter
    # (no runpy, unlike `python -m workbook`); `-m` where there is no such script.
    script = Path(sys.executable).parent / ("workbook.exe" if os.name == "nt" else "workbook")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "workbook"]
    bare, whole = startup([[sys.executable, "-c", "import yaml"], [*command, "check", example]],
                          args.runs)
    print(f"\nstart to finish, a new process each time, median of {args.runs} runs")
    print(f"  python -c 'import yaml'           {bare:8.0f} ms")
    print(f"  workbook check full.yaml          {whole:8.0f} ms  ({whole / bare:.2f}x, "
          f"target 2.5x or less; {'the workbook script' if script.is_file() else 'python -m'})")


if __name__ == "__main__":
    main()
