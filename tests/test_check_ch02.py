"""The chapter 2 checker: a right epoch passes, each known mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from optlib.check import ch02, sgd_epoch
from optlib.models.softmax import softmax_loss_and_grad


def good_epoch(params, X, y, batch_size, lr, seed):
    """Written from the statement, without optlib.data.minibatches or optlib.SGD."""
    order = np.random.default_rng(seed).permutation(len(y))
    for start in range(0, len(y), batch_size):
        idx = order[start : start + batch_size]
        _, grads = softmax_loss_and_grad(params, X[idx], y[idx])
        params = {key: params[key] - lr * grads[key] for key in params}
    return params


def test_a_correct_epoch_passes():
    result = sgd_epoch(good_epoch)
    assert result.passed
    assert repr(result) == "✓ sgd_epoch: all 3 cases match the reference"


def test_the_reference_passes_and_differs_from_the_start():
    assert sgd_epoch(ch02._epoch).passed
    case = ch02._cases()[0]
    start = np.concatenate([case["W"].ravel(), case["b"]])
    moved = ch02._flat(ch02._epoch)(**case)
    assert not np.allclose(moved, start)


MISTAKES = {
    "no shuffle": (
        lambda p, X, y, B, lr, s: ch02._epoch(p, X, y, B, lr, s, shuffle=False),
        "stored order",
    ),
    "drop last": (
        lambda p, X, y, B, lr, s: ch02._epoch(p, X, y, B, lr, s, drop_last=True),
        "last, smaller batch is missing",
    ),
    "sum": (
        lambda p, X, y, B, lr, s: ch02._epoch(p, X, y, B, lr, s, scale="sum"),
        "sum of the per-example gradients",
    ),
    "full gradient": (
        lambda p, X, y, B, lr, s: ch02._epoch(p, X, y, B, lr, s, data=(X, y)),
        "gradient of the whole training set",
    ),
    "one step": (ch02._one_step, "only the first batch"),
    "only W": (ch02._only_W, "bias b never changes"),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_each_known_mistake_is_named(name):
    fn, words = MISTAKES[name]
    result = sgd_epoch(fn)
    assert not result.passed
    assert words in result.message, result.message


def test_a_hand_written_mistake_is_recognised():
    # Not shuffling, written the way a reader would.
    def in_order(params, X, y, batch_size, lr, seed):
        for start in range(0, len(y), batch_size):
            _, grads = softmax_loss_and_grad(
                params, X[start : start + batch_size], y[start : start + batch_size]
            )
            for key in params:
                params[key] -= lr * grads[key]
        return params

    assert "stored order" in sgd_epoch(in_order).message


def test_an_unknown_error_and_a_missing_return_are_reported():
    def half_lr(params, X, y, batch_size, lr, seed):
        return good_epoch(params, X, y, batch_size, lr / 2, seed)

    result = sgd_epoch(half_lr)
    assert not result.passed and "case 1 differs from the reference" in result.message

    def forgets_to_return(params, X, y, batch_size, lr, seed):
        good_epoch(params, X, y, batch_size, lr, seed)

    result = sgd_epoch(forgets_to_return)
    assert not result.passed
    assert "return the params dict with keys 'W' and 'b'; got NoneType" in result.message
    assert "expected a function" in sgd_epoch(42).message
