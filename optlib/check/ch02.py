"""Chapter 2: write one epoch of mini-batch SGD for softmax regression."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..data import minibatches
from ..models.softmax import softmax_loss_and_grad
from .core import CheckResult, Mistake, compare


def _epoch(
    params, X, y, batch_size, lr, seed, shuffle=True, drop_last=False, scale=None, data=None
):
    """One epoch with knobs for the known mistakes; the defaults are the right answer."""
    batches = minibatches(X, y, batch_size, np.random.default_rng(seed), shuffle, drop_last)
    for Xb, yb in batches:
        _, grads = softmax_loss_and_grad(params, *(data or (Xb, yb)))
        factor = lr * (len(yb) if scale == "sum" else 1)
        for key in params:
            params[key] -= factor * grads[key]
    return params


def _one_step(params, X, y, batch_size, lr, seed):
    order = np.random.default_rng(seed).permutation(len(y))[:batch_size]
    _, grads = softmax_loss_and_grad(params, X[order], y[order])
    return {key: params[key] - lr * grads[key] for key in params}


def _only_W(params, X, y, batch_size, lr, seed):
    b = params["b"].copy()
    out = _epoch(params, X, y, batch_size, lr, seed)
    out["b"] = b
    return out


def _flat(epoch: Callable) -> Callable:
    """Adapt ``epoch(params, X, y, batch_size, lr, seed)`` to arrays the checker compares."""

    def run(W, b, X, y, batch_size, lr, seed):
        out = epoch({"W": W, "b": b}, X, y, batch_size, lr, seed)
        if not isinstance(out, dict) or sorted(out) != ["W", "b"]:
            raise ValueError(
                f"return the params dict with keys 'W' and 'b'; got {type(out).__name__}"
            )
        return np.concatenate([np.ravel(out["W"]), np.ravel(out["b"])])

    return run


def _cases() -> list[dict]:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((23, 5))
    y = rng.integers(0, 3, 23)
    W = 0.5 * rng.standard_normal((5, 3))
    b = 0.1 * rng.standard_normal(3)
    return [
        dict(W=W, b=b, X=X, y=y, batch_size=4, lr=0.5, seed=0),  # last batch holds 3
        dict(W=W, b=b, X=X, y=y, batch_size=1, lr=0.1, seed=1),
        dict(W=W, b=b, X=X, y=y, batch_size=10, lr=1.0, seed=5),  # last batch holds 3
    ]


def sgd_epoch(user_fn: Callable) -> CheckResult:
    """Check ``user_fn(params, X, y, batch_size, lr, seed)``: one epoch of mini-batch SGD.

    The reader's function takes ``params = {"W", "b"}`` of softmax regression, visits the
    examples in the order ``np.random.default_rng(seed).permutation(len(y))`` in consecutive
    batches of ``batch_size`` (the last one smaller), steps
    ``params[key] -= lr * grads[key]`` with the batch's mean gradient from
    :func:`optlib.models.softmax.softmax_loss_and_grad`, and returns ``params``.
    """
    mistakes = [
        Mistake(
            _flat(lambda *a: _epoch(*a, shuffle=False)),
            "you visit the examples in their stored order; shuffle them first with "
            "np.random.default_rng(seed).permutation(len(y)).",
        ),
        Mistake(
            _flat(lambda *a: _epoch(*a, drop_last=True)),
            "the last, smaller batch is missing: when batch_size does not divide n, the "
            "remaining examples still make one more step.",
        ),
        Mistake(
            _flat(lambda *a: _epoch(*a, scale="sum")),
            "your step uses the sum of the per-example gradients; use their mean (what "
            "softmax_loss_and_grad returns), so the step size does not grow with the batch.",
        ),
        Mistake(
            _flat(lambda p, X, y, *a: _epoch(p, X, y, *a, data=(X, y))),
            "every step uses the gradient of the whole training set; compute it on the "
            "current batch X[idx], y[idx] only.",
        ),
        Mistake(
            _flat(_one_step),
            "only the first batch updated the parameters: is the update inside the loop "
            "over batches?",
        ),
        Mistake(
            _flat(_only_W), "the bias b never changes: update every entry of params, not only W."
        ),
    ]
    checked = _flat(user_fn) if callable(user_fn) else user_fn  # compare reports non-functions
    return compare("sgd_epoch", checked, _flat(_epoch), _cases(), mistakes)
