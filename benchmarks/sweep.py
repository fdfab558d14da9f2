"""Benchmark: a learning-rate sweep of Adam on Rosenbrock, batched against one run at a time.

    .venv/bin/python benchmarks/sweep.py                  # 2000 learning rates x 300 steps
    .venv/bin/python benchmarks/sweep.py --configs 20000 --subset 20

It times, on this machine:

* optlib batched: one Adam whose ``lr`` has shape ``(n, 1)`` steps params of shape ``(n, 2)``,
  so all ``n`` configurations move together (``opt.step(x, problem.grad(x))``, 300 times);
* the same through ``optlib.run``, which the chapters call (it also records the whole
  history and stops converged or diverged runs);
* optlib one configuration at a time, a float ``lr`` and params of shape ``(2,)``;
* ``torch.optim.Adam`` one configuration at a time, if torch is installed (it is not a
  dependency of the course; the part is skipped with a message otherwise).

All three use optlib's analytic Rosenbrock gradient, so only the optimizers differ. The
one-at-a-time loops are timed on ``--subset`` configurations spread over the sweep and
extrapolated to all of them (the output says so). The final points of those runs are
compared with the batched run's rows: batching must not change a single iterate.

This is a benchmark, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import optlib
from optlib.problems import rosenbrock

TARGET_RATE = 20e6  # configuration-steps per second, batched
TARGET_SPEEDUP = 500  # batched over the one-at-a-time loop


def optlib_steps(opt: optlib.Optimizer, params: np.ndarray, steps: int) -> np.ndarray:
    """The bare training loop: ``steps`` updates of ``params`` in place."""
    with np.errstate(all="ignore"):  # the largest rates may overflow; that is their result
        for _ in range(steps):
            opt.step(params, rosenbrock.grad(params))
    return params


def optlib_batched(lrs: np.ndarray, steps: int) -> np.ndarray:
    params = np.broadcast_to(rosenbrock.start, (len(lrs), 2)).copy()
    return optlib_steps(optlib.Adam(lr=lrs[:, None]), params, steps)


def optlib_run_batched(lrs: np.ndarray, steps: int) -> np.ndarray:
    start = np.broadcast_to(rosenbrock.start, (len(lrs), 2))
    return optlib.run(optlib.Adam(lr=lrs[:, None]), rosenbrock, start, steps, tol=None).final


def optlib_one_at_a_time(lrs: np.ndarray, steps: int) -> np.ndarray:
    return np.array(
        [optlib_steps(optlib.Adam(lr=float(lr)), rosenbrock.start.copy(), steps) for lr in lrs]
    )


def torch_one_at_a_time(lrs: np.ndarray, steps: int) -> np.ndarray:
    import torch

    finals = []
    for lr in lrs:
        p = torch.tensor(rosenbrock.start, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([p], lr=float(lr))
        for _ in range(steps):
            p.grad = torch.from_numpy(rosenbrock.grad(p.detach().numpy()))
            opt.step()
        finals.append(p.detach().numpy().copy())
    return np.array(finals)


def timed(fn, *args, repeat: int = 1) -> tuple[float, float, np.ndarray]:
    """The best wall time and the best CPU time of ``repeat`` calls, and the last result.

    The CPU time (this process only; numpy's element-wise work is single-threaded) is what
    the run would take on an idle core: on a shared machine the wall time is longer.
    """
    wall = cpu = np.inf
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        out = fn(*args)
        wall = min(wall, time.perf_counter() - start_wall)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, out


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=2000, help="learning rates (>= 2)")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--subset", type=int, default=40, help="runs timed one at a time")
    parser.add_argument("--repeat", type=int, default=5, help="batched timings, best kept")
    args = parser.parse_args()
    if args.configs < 2 or not 1 <= args.subset <= args.configs or args.steps < 1:
        parser.error("need --configs >= 2, 1 <= --subset <= --configs and --steps >= 1")

    n, steps = args.configs, args.steps
    lrs = np.logspace(-4, 0, n)
    subset = np.unique(np.linspace(0, n - 1, args.subset).round().astype(int))
    work = n * steps
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}, load average {load:.1f}"
    )
    print(
        f"sweep: Adam on Rosenbrock from {rosenbrock.start.tolist()}, {n} learning rates "
        f"log-spaced in [1e-4, 1], {steps} steps each = {work:,} configuration-steps\n"
    )

    rows = []  # (method, wall seconds, CPU seconds, how)
    wall, cpu, batched = timed(optlib_batched, lrs, steps, repeat=args.repeat)
    rows.append(("optlib, batched", wall, cpu, "measured"))
    wall, cpu, _ = timed(optlib_run_batched, lrs, steps, repeat=args.repeat)
    rows.append(("optlib.run, batched (with history)", wall, cpu, "measured"))

    scale = n / len(subset)
    how = f"timed on {len(subset)} of {n}, extrapolated"
    wall, cpu, alone = timed(optlib_one_at_a_time, lrs[subset], steps)
    rows.append(("optlib, one configuration at a time", wall * scale, cpu * scale, how))
    same = np.array_equal(alone, batched[subset], equal_nan=True)
    checks = [f"optlib one at a time == batched rows, bit for bit: {same}"]

    if torch_available():
        wall, cpu, by_torch = timed(torch_one_at_a_time, lrs[subset], steps)
        rows.append(("torch.optim, one configuration at a time", wall * scale, cpu * scale, how))
        finite = np.isfinite(by_torch).all(axis=1)
        gap = np.max(np.abs(by_torch[finite] - batched[subset][finite]), initial=0.0)
        checks.append(f"torch vs optlib final points: max |difference| = {gap:.1e}")
    else:
        print("torch is not installed: skipping torch.optim (pip install torch to include it)\n")

    loop_wall, loop_cpu = rows[2][1], rows[2][2]
    print(
        f"{'method':<42} {'wall s':>8} {'CPU s':>8} {'config-steps/s':>15} {'per CPU s':>13} "
        f"{'vs loop':>8}"
    )
    for name, wall, cpu, how in rows:
        print(
            f"{name:<42} {wall:8.3f} {cpu:8.3f} {work / wall:15,.0f} {work / cpu:13,.0f} "
            f"{loop_wall / wall:7.0f}x  ({how})"
        )
    print()
    for line in checks:
        print(line)
    rate, rate_cpu = work / rows[0][1], work / rows[0][2]
    speedup, speedup_cpu = loop_wall / rows[0][1], loop_cpu / rows[0][2]
    print(
        f"target: batched >= {TARGET_RATE / 1e6:.0f}M config-steps/s: "
        f"{'met' if rate >= TARGET_RATE else 'missed'} ({rate / 1e6:.1f}M wall-clock; "
        f"{rate_cpu / 1e6:.1f}M per CPU second)"
    )
    print(
        f"target: batched >= {TARGET_SPEEDUP}x the one-at-a-time loop: "
        f"{'met' if speedup >= TARGET_SPEEDUP else 'missed'} ({speedup:.0f}x wall-clock; "
        f"{speedup_cpu:.0f}x in CPU time)"
    )


if __name__ == "__main__":
    main()
