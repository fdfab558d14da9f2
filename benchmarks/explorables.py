"""Time and size of every explorable: what precomputing them adds to the book's execution.

    .venv/bin/python benchmarks/explorables.py

For each explorable: seconds to compute its runs and build its chart, seconds to write its
spec (what the notebook cell does when it shows it), and the spec's size. The import of
Altair and optlib.explore is timed once, as a chapter's kernel pays it once.
"""

from __future__ import annotations

import time

import matplotlib.pyplot  # noqa: F401
import numpy  # noqa: F401
import pandas  # noqa: F401

import optlib  # noqa: F401

start = time.perf_counter()
from optlib.explore import ALL  # noqa: E402

imported = time.perf_counter() - start


def main() -> None:
    print(f"import optlib.explore (altair included): {imported:.2f} s")
    total = 0.0
    for name, make in ALL.items():
        t0 = time.perf_counter()
        explorable = make()
        t1 = time.perf_counter()
        html = explorable.html()
        t2 = time.perf_counter()
        total += t2 - t0
        size = len(html) / 1e3
        print(f"{name:14s} build {t1 - t0:5.2f} s  spec {t2 - t1:5.2f} s  {size:6.0f} kB")
    print(f"all explorables: {total:.2f} s (imports excluded)")


if __name__ == "__main__":
    main()
