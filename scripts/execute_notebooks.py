"""Execute notebooks in a fresh kernel each, in place (default) or only to time them.

    python scripts/execute_notebooks.py                 # every chapter, outputs written back
    python scripts/execute_notebooks.py chapters/03_momentum.ipynb
    python scripts/execute_notebooks.py --time-only     # print seconds, change nothing

Run it after changing optlib, so the outputs stored in the notebooks (which nbval
compares against) are up to date. It then rewrites the Jupyter renditions (jupyter/), which
carry the same outputs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jupyter_rendition
import nbformat
from nbclient import NotebookClient
from repo_url import notebooks


def execute(path: Path, write: bool = True, timeout: int = 300) -> float:
    """Run ``path`` top to bottom in a new python3 kernel; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,  # per-cell timestamps would change the files on every run
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if write:
        nbformat.write(nb, path)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--time-only", action="store_true", help="do not write outputs back")
    args = parser.parse_args()
    total = 0.0
    for path in args.paths or notebooks():
        seconds = execute(path, write=not args.time_only)
        total += seconds
        print(f"{seconds:6.1f} s  {path}", flush=True)
    print(f"{total:6.1f} s  total")
    if not args.time_only:
        jupyter_rendition.main()  # the Jupyter renditions follow their sources


if __name__ == "__main__":
    main()
