"""The command: ``python -m optlib.tune --workers N --storage URL --trials T``.

    python -m optlib.tune --trials 50 --workers 2            # SQLite file ./optlib-tune.db
    python -m optlib.tune --trials 50 --export trials.csv    # the same study, resumed
    python -m optlib.tune --storage postgresql://user:pw@host/optuna --trials 500

N worker processes share one Optuna study through its storage; workers started on other
machines with the same --storage and --study join it too. Ctrl-C stops cleanly; running
the same command again resumes the study until T trials are finished.
"""

from __future__ import annotations

import argparse
import sys

from . import DEFAULT_STORAGE, DEFAULT_STUDY, Study, Task, make_space, run


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m optlib.tune",
        description="Tune lr, weight decay and momentum of chapter 10's MLP on the digits "
        "with Optuna; N workers share one study through its storage.",
    )
    p.add_argument("--workers", type=int, default=1, help="worker processes here (default 1)")
    p.add_argument(
        "--storage",
        default=DEFAULT_STORAGE,
        help=f"SQLAlchemy URL of the study's database (default {DEFAULT_STORAGE}, a file in "
        "the current folder; postgresql://… or mysql+pymysql://… for many machines)",
    )
    p.add_argument("--trials", type=int, default=50, help="trials to finish in total (default 50)")
    p.add_argument("--study", default=DEFAULT_STUDY, help=f"study name (default {DEFAULT_STUDY})")
    p.add_argument("--export", metavar="CSV", help="write the trials table to this CSV file")
    p.add_argument("--epochs", type=int, default=10, help="epochs per trial (default 10)")
    p.add_argument("--seeds", type=int, default=3, help="training seeds per trial (default 3)")
    p.add_argument("--train-size", type=int, default=None, help="training images (default all)")
    p.add_argument("--pruner", default="halving", choices=("halving", "hyperband", "none"))
    p.add_argument("--sampler", default="tpe", choices=("tpe", "random"))
    p.add_argument("--seed", type=int, default=0, help="sampler seed of worker 0 (worker w: +w)")
    p.add_argument("--heartbeat", type=int, default=10, help="seconds between heartbeats")
    for name, default in (
        ("lr", (1e-3, 1.0)),
        ("weight-decay", (1e-6, 1e-1)),
        ("momentum", (0.0, 0.99)),
    ):
        p.add_argument(
            f"--{name}",
            nargs=2,
            type=float,
            default=default,
            metavar=("LOW", "HIGH"),
            help=f"range of {name} (default {default[0]:g} {default[1]:g})",
        )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        spec = Study(
            storage=args.storage,
            name=args.study,
            n_trials=args.trials,
            task=Task(epochs=args.epochs, seeds=tuple(range(args.seeds)), n_train=args.train_size),
            space=make_space(args.lr, args.weight_decay, args.momentum),
            sampler=args.sampler,
            pruner=args.pruner,
            seed=args.seed,
            heartbeat=args.heartbeat,
        )
        run(spec, workers=args.workers, export=args.export)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
