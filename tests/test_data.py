"""The digits splits (sizes, stratification, seeding, no leakage) and the mini-batch iterator."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits as sklearn_digits

from optlib.data import batch_indices, load_digits, minibatches

RAW_X, RAW_Y = sklearn_digits(return_X_y=True)


@pytest.fixture(scope="module")
def digits():
    return load_digits(seed=0)


def raw(split, digits):
    """Undo the standardisation: the pixels of the digits set are integers 0…16."""
    return split.X * digits.scale + digits.mean


def test_split_sizes_sum_to_the_whole_set(digits):
    sizes = [len(digits.train), len(digits.val), len(digits.test)]
    assert sizes == [1077, 360, 360]
    assert sum(sizes) == 1797 == len(RAW_Y)
    assert digits.n_features == 64 and digits.n_classes == 10
    custom = load_digits(val_fraction=0.1, test_fraction=0.3)
    assert len(custom.train) + len(custom.val) + len(custom.test) == 1797
    assert len(custom.test) == 540 and len(custom.val) == 180


def test_the_splits_partition_the_data_set(digits):
    # Every image lands in exactly one split, with its own label: nothing is lost,
    # duplicated or moved between splits.
    rows = np.concatenate([raw(s, digits) for s in (digits.train, digits.val, digits.test)])
    labels = np.concatenate([s.y for s in (digits.train, digits.val, digits.test)])
    np.testing.assert_allclose(rows, np.round(rows), atol=1e-9)
    ours = np.column_stack([np.round(rows), labels]).astype(int)
    theirs = np.column_stack([RAW_X, RAW_Y]).astype(int)
    assert len(ours) == len(theirs)
    assert np.array_equal(ours[np.lexsort(ours.T)], theirs[np.lexsort(theirs.T)])


def test_splits_are_stratified(digits):
    overall = np.bincount(RAW_Y, minlength=10) / len(RAW_Y)
    for split in (digits.train, digits.val, digits.test):
        counts = np.bincount(split.y, minlength=10)
        # Each class count is within one image of its share of the split.
        assert np.all(np.abs(counts - overall * len(split)) <= 1.0 + 1e-9)


def test_standardisation_uses_training_statistics_only(digits):
    train_raw = raw(digits.train, digits)
    np.testing.assert_allclose(digits.mean, train_raw.mean(axis=0), atol=1e-9)
    std = train_raw.std(axis=0)
    np.testing.assert_allclose(digits.scale, np.where(std > 0, std, 1.0), rtol=1e-9)
    np.testing.assert_allclose(digits.train.X.mean(axis=0), 0, atol=1e-12)
    varying = std > 0
    np.testing.assert_allclose(digits.train.X[:, varying].std(axis=0), 1, rtol=1e-12)
    # The statistics differ from those of the whole set, so the held-out splits are not
    # standard on their own: the test set's mean is not exactly zero.
    assert not np.allclose(digits.mean, RAW_X.mean(axis=0))
    assert np.abs(digits.test.X.mean(axis=0)).max() > 0.01
    assert np.all(digits.train.y.dtype == np.int64)


def test_without_standardisation_the_pixels_are_raw():
    d = load_digits(standardize=False)
    assert d.train.X.min() == 0 and d.train.X.max() == 16
    np.testing.assert_array_equal(d.mean, 0)
    np.testing.assert_array_equal(d.scale, 1)


def test_same_seed_same_split_other_seed_other_split(digits):
    again = load_digits(seed=0)
    for a, b in ((digits.train, again.train), (digits.val, again.val), (digits.test, again.test)):
        np.testing.assert_array_equal(a.X, b.X)
        np.testing.assert_array_equal(a.y, b.y)
    other = load_digits(seed=1)
    assert not np.array_equal(digits.test.y, other.test.y)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(val_fraction=0.0), "val_fraction"),
        (dict(val_fraction=1.0), "val_fraction"),
        (dict(test_fraction=-0.1), "test_fraction"),
        (dict(test_fraction=float("nan")), "test_fraction"),
        (dict(val_fraction=0.5, test_fraction=0.5), "val_fraction \\+ test_fraction"),
        (dict(test_fraction=0.001), "test split would hold 2 images"),
        (dict(val_fraction=0.002), "val split would hold"),
        (dict(val_fraction=0.5, test_fraction=0.496), "train split would hold"),
    ],
)
def test_bad_fractions_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_digits(**kwargs)


# -- minibatches ------------------------------------------------------------------------
def ids(batches):
    """The example indices of each batch (X holds each example's own index)."""
    return [xb[:, 0].astype(int) for xb, _ in batches]


X10 = np.arange(10.0)[:, None] * np.ones((1, 3))
Y10 = np.arange(10) % 3


def test_each_example_appears_exactly_once_per_epoch_and_last_batch_is_partial():
    batches = list(minibatches(X10, Y10, 4, np.random.default_rng(0)))
    assert [len(xb) for xb, _ in batches] == [4, 4, 2]
    seen = np.concatenate(ids(batches))
    np.testing.assert_array_equal(np.sort(seen), np.arange(10))
    for xb, yb in batches:  # X and y stay paired
        np.testing.assert_array_equal(yb, xb[:, 0].astype(int) % 3)
    assert not np.array_equal(seen, np.arange(10))  # shuffled


def test_drop_last_and_no_shuffle():
    batches = list(minibatches(X10, Y10, 4, np.random.default_rng(0), drop_last=True))
    assert [len(xb) for xb, _ in batches] == [4, 4]
    assert len(set(np.concatenate(ids(batches)))) == 8
    in_order = ids(minibatches(X10, Y10, 3, None, shuffle=False))
    np.testing.assert_array_equal(np.concatenate(in_order), np.arange(10))
    assert [len(b) for b in in_order] == [3, 3, 3, 1]


def test_batch_size_n_and_one():
    assert len(list(minibatches(X10, Y10, 10, np.random.default_rng(0)))) == 1
    singles = list(minibatches(X10, Y10, 1, np.random.default_rng(0)))
    assert len(singles) == 10 and all(len(xb) == 1 for xb, _ in singles)
    assert len(list(minibatches(X10, Y10, np.int64(5), np.random.default_rng(0)))) == 2


def test_reshuffles_every_epoch_and_is_reproducible_by_seed():
    rng = np.random.default_rng(7)
    first = np.concatenate(ids(minibatches(X10, Y10, 3, rng)))
    second = np.concatenate(ids(minibatches(X10, Y10, 3, rng)))
    assert not np.array_equal(first, second)
    rng = np.random.default_rng(7)
    np.testing.assert_array_equal(first, np.concatenate(ids(minibatches(X10, Y10, 3, rng))))
    np.testing.assert_array_equal(second, np.concatenate(ids(minibatches(X10, Y10, 3, rng))))
    np.testing.assert_array_equal(first, np.random.default_rng(7).permutation(10))


def test_batch_indices_are_the_batches_of_minibatches():
    for batch_size, shuffle, drop_last in ((3, True, False), (4, True, True), (3, False, False)):
        kwargs = dict(shuffle=shuffle, drop_last=drop_last)
        batches = list(minibatches(X10, Y10, batch_size, np.random.default_rng(5), **kwargs))
        indices = batch_indices(10, batch_size, np.random.default_rng(5), **kwargs)
        assert len(indices) == len(batches)
        for idx, (xb, yb) in zip(indices, batches, strict=True):
            np.testing.assert_array_equal(X10[idx], xb)
            np.testing.assert_array_equal(Y10[idx], yb)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((X10, Y10, 0), r"batch_size must be an integer in \[1, 10\]; got 0"),
        ((X10, Y10, -3), r"batch_size must be an integer in \[1, 10\]"),
        ((X10, Y10, 11), r"batch_size must be an integer in \[1, 10\]; got 11"),
        ((X10, Y10, 2.5), r"batch_size must be an integer"),
        ((X10, Y10, 4.0), r"batch_size must be an integer"),
        ((X10, Y10, True), r"batch_size must be an integer"),
        ((X10, Y10[:-1], 2), r"X must be \(n, d\) and y \(n,\) with the same n"),
        ((X10[:, 0], Y10, 2), r"X must be \(n, d\)"),
        ((X10, Y10, 2, 0), r"rng must be a numpy Generator"),
    ],
)
def test_bad_arguments_raise_when_called(args, match):
    args = args if len(args) == 4 else (*args, np.random.default_rng(0))
    with pytest.raises(ValueError, match=match):
        minibatches(*args)  # raised at the call, before any batch is taken
