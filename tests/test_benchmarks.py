"""The benchmark scripts still run (on tiny inputs); their timings are not tested."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def run_script(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sweep_runs_and_batching_changes_no_iterate():
    out = run_script(
        "benchmarks/sweep.py", "--configs", "6", "--steps", "20", "--subset", "3", "--repeat", "1"
    )
    assert "optlib one at a time == batched rows, bit for bit: True" in out
    assert "timed on 3 of 6, extrapolated" in out
    assert "target: batched >= 500x the one-at-a-time loop:" in out


def test_notebook_times_executes_a_notebook_and_reports_its_seconds(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1 + 1")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    out = run_script("benchmarks/notebook_times.py", str(path))
    assert "tiny.ipynb" in out
    assert "total (1 notebook)" in out
    assert nbformat.read(path, as_version=4).cells[0].outputs == []  # nothing written back
