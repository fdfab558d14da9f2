"""Benchmark: execute every notebook of the book in a fresh kernel and print the seconds each took.

    .venv/bin/python benchmarks/notebook_times.py                 # every chapter and appendix
    .venv/bin/python benchmarks/notebook_times.py chapters/08_schedules.ipynb

Nothing is written back (``scripts/execute_notebooks.py`` does that). The budget is 20 s per
notebook and 60 s in all on a 2-core machine; a notebook over budget is marked, but this is
a benchmark, not a test, so the exit code is 0 either way. Next to the wall time it prints
the CPU time of the kernel and this process: on a busy, shared machine that is the better
guide to what the notebook needs on an idle one.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from execute_notebooks import execute  # noqa: E402  (scripts/ is not a package)
from repo_url import ROOT, notebooks  # noqa: E402

PER_NOTEBOOK, TOTAL = 20.0, 60.0  # seconds, on 2 cores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="default: every notebook")
    args = parser.parse_args()
    paths = [p.resolve() for p in args.paths] or notebooks()
    load = (
        ", load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        if hasattr(os, "getloadavg")
        else ""
    )
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}{load}"
    )
    total = total_cpu = 0.0
    print(f"{'wall':>8} {'CPU':>8}  notebook")
    for path in paths:
        before = os.times()
        seconds = execute(path, write=False)
        cpu = _cpu_seconds(os.times()) - _cpu_seconds(before)  # the kernel is reaped by now
        total, total_cpu = total + seconds, total_cpu + cpu
        flag = f"  over the {PER_NOTEBOOK:.0f} s budget" if seconds > PER_NOTEBOOK else ""
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{seconds:6.1f} s {cpu:6.1f} s  {shown}{flag}", flush=True)
    flag = f"  over the {TOTAL:.0f} s budget" if total > TOTAL else ""
    count = f"{len(paths)} notebook{'s' * (len(paths) != 1)}"
    print(f"{total:6.1f} s {total_cpu:6.1f} s  total ({count}){flag}")


def _cpu_seconds(t: os.times_result) -> float:
    """User + system time of this process and of its finished children (the kernels)."""
    return t.user + t.system + t.children_user + t.children_system


if __name__ == "__main__":
    main()
