"""Benchmark: one epoch of optlib's MLP on digits against MLPClassifier.partial_fit.

    .venv/bin/python benchmarks/mlp_epoch.py                # 64 -> 64 -> 10, batch 32
    .venv/bin/python benchmarks/mlp_epoch.py --repeats 50 --blas-threads 1 --batch-size 64

The same work on both sides: the digits training split (1077 images), a 64 -> 64 -> 10
ReLU network, softmax cross-entropy, mini-batches (32 by default; chapter 10 uses 64)
reshuffled every epoch, the same
L2 penalty (scikit-learn's ``alpha`` is optlib's ``l2 * batch_size``), and the same update
rule (Adam; SGD with momentum 0.9). One epoch is

* optlib: ``optlib.models.train(..., epochs=1)`` (which also draws the batch order);
* scikit-learn: one ``MLPClassifier.partial_fit(X, y)`` call, after a first call that
  creates the network.

The epochs of the two are interleaved, so a machine whose load changes during the run
slows both alike, and the median of ``--repeats`` epochs is reported. The target of the
course is a ratio optlib / scikit-learn of at most 1.

This is a benchmark, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_info, threadpool_limits

import optlib
from optlib.data import load_digits
from optlib.models import MLP, train

HIDDEN, L2 = 64, 1e-4

SOLVERS = {
    # name: (optlib optimizer, MLPClassifier keyword arguments)
    "Adam": (lambda: optlib.Adam(lr=1e-3, folded=True), dict(solver="adam")),
    "Momentum": (
        lambda: optlib.Momentum(lr=1e-2, momentum=0.9),
        dict(solver="sgd", momentum=0.9, nesterovs_momentum=False),
    ),
}


def time_epochs(name: str, repeats: int, batch: int) -> tuple[float, float]:
    """Median seconds of one epoch for optlib and for scikit-learn, interleaved."""
    data = load_digits()
    X, y = data.train.X, data.train.y
    make_opt, sk_kwargs = SOLVERS[name]
    lr = make_opt().lr
    model = MLP([X.shape[1], HIDDEN, 10], l2=L2)
    params, opt = model.init(0), make_opt()
    clf = MLPClassifier(
        (HIDDEN,),
        batch_size=batch,
        alpha=L2 * batch,
        learning_rate_init=lr,
        random_state=0,
        **sk_kwargs,
    )
    classes = np.arange(10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.partial_fit(X, y, classes=classes)  # creates the network (and trains one epoch)
        train(model, params, opt, X, y, epochs=1, batch_size=batch, seed=0)  # same warm-up
        ours, theirs = [], []
        for r in range(repeats):
            start = time.perf_counter()
            train(model, params, opt, X, y, epochs=1, batch_size=batch, seed=r)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            clf.partial_fit(X, y)
            theirs.append(time.perf_counter() - start)
    return float(np.median(ours)), float(np.median(theirs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="epochs timed per library")
    parser.add_argument("--batch-size", type=int, default=32, help="mini-batch size")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit BLAS threads for both libraries (default: BLAS's own choice)",
    )
    args = parser.parse_args()
    if args.repeats < 1 or args.batch_size < 1:
        raise SystemExit("--repeats and --batch-size must be >= 1")

    with threadpool_limits(args.blas_threads, user_api="blas"):
        blas = [
            f"{i['internal_api']} ({i['num_threads']} threads)"
            for i in threadpool_info()
            if i["user_api"] == "blas"
        ]
        print(
            f"python {platform.python_version()}, numpy {np.__version__}, "
            f"{os.cpu_count()} CPUs, BLAS: {', '.join(blas) or 'unknown'}"
        )
        print(
            f"digits train split, 64 -> {HIDDEN} -> 10 ReLU, batch {args.batch_size}, "
            f"median of {args.repeats} epochs"
        )
        print(f"{'update rule':<10} {'optlib':>10} {'scikit-learn':>13} {'ratio':>7}")
        for name in SOLVERS:
            ours, theirs = time_epochs(name, args.repeats, args.batch_size)
            print(f"{name:<10} {ours * 1e3:7.1f} ms {theirs * 1e3:10.1f} ms {ours / theirs:7.2f}")
    print("ratio = optlib / scikit-learn seconds per epoch (target: <= 1)")


if __name__ == "__main__":
    main()
