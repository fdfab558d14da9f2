"""Benchmark: Optuna trials per second, batched ask-and-tell against one trial at a time.

    .venv/bin/python benchmarks/optuna_batching.py                   # 32 trials, batches of 16
    .venv/bin/python benchmarks/optuna_batching.py --trials 64 --batch 32 --epochs 10

Both sides run the same objective on the same study settings: chapter 10's MLP
(64 → 64 → 10) on the digits, trained with SGD and momentum for ``--epochs`` epochs on
``--train-size`` images, each trial scored as its mean validation loss over 3 training
seeds (:class:`optlib.tune.Task`), with Optuna's TPE sampler and no pruning.

* one at a time: ``study.optimize(tune.objective(task, space), n_trials=T)``, Optuna's plain
  loop: each trial trains its 3 seeds as one batched optlib run;
* batched: ``tune.optimize_batched(study, task, space, T, batch=K)``: ask ``K`` trials, train
  the ``K × 3`` networks as one batched optlib run, tell each trial its score.

BLAS gets one thread (the matrices are small). This is a benchmark, not a test: nothing fails
on a slow machine. Timings are wall clock; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import optuna
from threadpoolctl import threadpool_limits

from optlib import tune


def time_one_at_a_time(task: tune.Task, space: dict, trials: int, seed: int) -> float:
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    start = time.perf_counter()
    study.optimize(tune.objective(task, space), n_trials=trials)
    return time.perf_counter() - start


def time_batched(task: tune.Task, space: dict, trials: int, batch: int, seed: int) -> float:
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    start = time.perf_counter()
    tune.optimize_batched(study, task, space, trials, batch)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=32)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--train-size", type=int, default=None, help="default: all 1077")
    parser.add_argument("--repeats", type=int, default=2, help="alternating runs per side")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    task = tune.Task(epochs=args.epochs, n_train=args.train_size)
    space = tune.make_space()
    task.scores([0.1], [1e-4], [0.9])  # load the data and warm up before timing

    one, batched = [], []
    with threadpool_limits(1, user_api="blas"):
        for r in range(args.repeats):  # alternate, so a change of load hits both sides
            one.append(time_one_at_a_time(task, space, args.trials, seed=r))
            batched.append(time_batched(task, space, args.trials, args.batch, seed=r))
    rate_one, rate_batched = args.trials / min(one), args.trials / min(batched)

    print(f"command: {sys.executable} {' '.join(sys.argv)}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"python {platform.python_version()}, optuna {optuna.__version__}"
    )
    print(
        f"objective: {task.model}, {task.epochs} epochs on {task.n_train or 1077} images, "
        f"batches of {task.batch_size}, {len(task.seeds)} seeds per trial; TPE, no pruning"
    )
    print(f"{args.trials} trials, best of {args.repeats} runs per side:")
    print(f"  one trial at a time (study.optimize): {min(one):6.2f} s, {rate_one:6.2f} trials/s")
    print(
        f"  batched ask-and-tell, {args.batch} per batch:  {min(batched):6.2f} s, "
        f"{rate_batched:6.2f} trials/s"
    )
    print(f"  speed-up: {rate_batched / rate_one:.2f}x")


if __name__ == "__main__":
    main()
