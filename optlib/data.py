"""scikit-learn's bundled digits, split and standardised, and seeded mini-batches.

The data ship inside scikit-learn (1797 images of 8×8 pixels, 10 classes), so nothing is
downloaded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Split:
    """Inputs ``X`` of shape ``(n, 64)`` and integer labels ``y`` of shape ``(n,)``."""

    X: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return len(self.y)


@dataclass(frozen=True)
class Digits:
    """Train, validation and test splits, standardised with the training statistics."""

    train: Split
    val: Split
    test: Split
    mean: np.ndarray
    scale: np.ndarray
    n_classes: int = 10

    @property
    def n_features(self) -> int:
        return self.train.X.shape[1]


def load_digits(
    val_fraction: float = 0.2, test_fraction: float = 0.2, seed: int = 0, standardize: bool = True
) -> Digits:
    """Load the digits and split them, stratified by class, with a fixed ``seed``.

    Each pixel is standardised with the training split's mean and standard deviation
    (pixels that are constant on the training split are only centred), so no statistic of
    the validation or test split leaks into training.
    """
    for name, frac in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if not 0 < frac < 1:
            raise ValueError(f"{name} must be in (0, 1); got {frac!r}")
    if val_fraction + test_fraction >= 1:
        raise ValueError("val_fraction + test_fraction must be < 1 to leave a training split")
    # scikit-learn is imported here, not at the top, so `import optlib` stays fast for the
    # chapters that never load the digits.
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    X, y = sklearn_digits(return_X_y=True)
    # A stratified split needs at least one image of each class on each side; scikit-learn
    # rounds the held-out sizes up, as here.
    n_classes = len(np.unique(y))
    n_test = math.ceil(test_fraction * len(y))
    n_val = math.ceil(val_fraction / (1 - test_fraction) * (len(y) - n_test))
    sizes = {"test_fraction": n_test, "val_fraction": n_val, "train": len(y) - n_test - n_val}
    for name, size in sizes.items():
        if size < n_classes:
            raise ValueError(
                f"the {name.removesuffix('_fraction')} split would hold {size} images, fewer "
                f"than the {n_classes} classes; choose val_fraction and test_fraction so "
                f"that every split keeps at least {n_classes} images"
            )
    X = X.astype(float)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_fraction, random_state=seed, stratify=y
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest,
        y_rest,
        test_size=val_fraction / (1 - test_fraction),
        random_state=seed,
        stratify=y_rest,
    )
    mean = X_train.mean(axis=0) if standardize else np.zeros(X.shape[1])
    std = X_train.std(axis=0)
    scale = np.where(std > 0, std, 1.0) if standardize else np.ones(X.shape[1])
    split = lambda A, b: Split((A - mean) / scale, b.astype(np.int64))  # noqa: E731
    return Digits(split(X_train, y_train), split(X_val, y_val), split(X_test, y_test), mean, scale)


def minibatches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Return an iterator over one epoch of ``(X_batch, y_batch)``.

    The order is a fresh permutation drawn from ``rng`` on every call, so calling it once
    per epoch with the same generator reshuffles each epoch reproducibly. The last batch is
    smaller when ``batch_size`` does not divide ``len(X)``, unless ``drop_last=True``.
    The arguments are checked (and the permutation drawn) when it is called, not when the
    first batch is taken.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"X must be (n, d) and y (n,) with the same n; got {X.shape}, {y.shape}")
    batches = batch_indices(len(y), batch_size, rng, shuffle, drop_last)
    return ((X[idx], y[idx]) for idx in batches)


def batch_indices(
    n: int,
    batch_size: int,
    rng: np.random.Generator,
    shuffle: bool = True,
    drop_last: bool = False,
) -> list[np.ndarray]:
    """The example indices of each mini-batch of one epoch over ``n`` examples.

    These are the batches of :func:`minibatches` (which takes ``X[idx], y[idx]`` for each),
    drawn with the same single ``rng.permutation(n)``. Models trained side by side, each with
    its own generator, stack their indices and gather all their batches in one indexing.
    """
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int | np.integer)
        or not 1 <= batch_size <= n
    ):
        raise ValueError(f"batch_size must be an integer in [1, {n}]; got {batch_size!r}")
    if shuffle and not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy Generator (np.random.default_rng(seed)), created once and "
            f"reused every epoch; got {type(rng).__name__}"
        )
    batch_size = int(batch_size)
    order = rng.permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return [order[i : i + batch_size] for i in range(0, stop, batch_size)]
