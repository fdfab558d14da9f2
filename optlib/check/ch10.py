r"""Chapter 10: backpropagation by hand, the two pieces of :class:`optlib.models.MLP`.

* :func:`softmax_cross_entropy_grad` checks the gradient of the mean softmax cross-entropy
  with respect to the logits, :math:`\partial\mathcal{L}/\partial Z = (P - Y)/n`.
* :func:`dense_backward` checks the backward pass of a dense layer :math:`Z = XW + b`:
  :math:`\partial X = \delta W^\top`, :math:`\partial W = X^\top\delta`,
  :math:`\partial b = \sum_i \delta_i`.

:data:`SOFTMAX_CE_MISTAKES` and :data:`DENSE_BACKWARD_MISTAKES` list the wrong answers each
checker recognises and explains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .core import CheckResult, Mistake, compare


def _softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _onehot(y: np.ndarray, k: int) -> np.ndarray:
    return (y[:, None] == np.arange(k)).astype(float)


def _ce_reference(logits, y):
    return (_softmax(logits) - _onehot(y, logits.shape[1])) / len(y)


def _ce_summed(logits, y):
    return _softmax(logits) - _onehot(y, logits.shape[1])


def _ce_no_labels(logits, y):
    return _softmax(logits) / len(y)


def _ce_ascent(logits, y):
    return (_onehot(y, logits.shape[1]) - _softmax(logits)) / len(y)


def _ce_logits_for_probs(logits, y):
    return (logits - _onehot(y, logits.shape[1])) / len(y)


def _ce_batch_axis(logits, y):
    return (_softmax(logits, axis=0) - _onehot(y, logits.shape[1])) / len(y)


def _ce_overflow(logits, y):
    with np.errstate(all="ignore"):
        e = np.exp(logits)
        return (e / e.sum(axis=1, keepdims=True) - _onehot(y, logits.shape[1])) / len(y)


SOFTMAX_CE_MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        _ce_summed,
        "you forgot to divide by the batch size n: the loss is the mean over "
        "the batch, so its gradient is (P − Y) / n.",
    ),
    Mistake(
        _ce_no_labels,
        "the one-hot labels are missing: subtract Y from the probabilities, (P − Y) / n.",
    ),
    Mistake(
        _ce_ascent,
        "the sign is flipped: (Y − P) / n points uphill; the gradient of the loss is (P − Y) / n.",
    ),
    Mistake(
        _ce_logits_for_probs,
        "you used the logits Z where the probabilities P = softmax(Z) belong: (P − Y) / n.",
    ),
    Mistake(
        _ce_batch_axis,
        "your softmax normalises over the batch (axis 0); each row "
        "(one example) must sum to 1, so normalise over the classes (axis 1).",
    ),
    Mistake(
        _ce_overflow,
        "exp overflowed on large logits (the result is nan): subtract each "
        "row's largest logit before exp; softmax does not change.",
    ),
)


def softmax_cross_entropy_grad(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(logits, y)``: the gradient of the mean cross-entropy

    .. math::
        \mathcal{L}(Z) = \frac{1}{n}\sum_{i=1}^n -\log \operatorname{softmax}(z_i)_{y_i}
        \quad\Longrightarrow\quad \frac{\partial\mathcal{L}}{\partial Z} = \frac{1}{n}(P - Y)

    for logits of shape ``(n, k)`` and integer labels ``y`` of shape ``(n,)``; it must return
    an array of shape ``(n, k)``.
    """
    rng = np.random.default_rng(10)
    cases = [
        dict(logits=rng.normal(size=(6, 4)), y=np.array([0, 3, 1, 1, 2, 3])),
        dict(logits=rng.normal(scale=3, size=(9, 10)), y=rng.integers(0, 10, 9)),
        # logits in the thousands: a softmax that does not subtract the max overflows
        dict(logits=1000 + rng.normal(scale=5, size=(5, 3)), y=np.array([2, 0, 1, 2, 0])),
    ]
    return compare("softmax_cross_entropy_grad", user_fn, _ce_reference, cases, SOFTMAX_CE_MISTAKES)


def _dense_reference(X, W, delta):
    return delta @ W.T, X.T @ delta, delta.sum(axis=0)


def _dense_W_not_transposed(X, W, delta):
    return delta @ W, X.T @ delta, delta.sum(axis=0)


def _dense_dW_transposed(X, W, delta):
    return delta @ W.T, delta.T @ X, delta.sum(axis=0)


def _dense_dW_divided(X, W, delta):
    return delta @ W.T, X.T @ delta / len(X), delta.sum(axis=0)


def _dense_db_mean(X, W, delta):
    return delta @ W.T, X.T @ delta, delta.mean(axis=0)


def _dense_db_wrong_axis(X, W, delta):
    return delta @ W.T, X.T @ delta, delta.sum(axis=1)


DENSE_BACKWARD_MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        _dense_W_not_transposed,
        "dX uses W where Wᵀ belongs: Z = XW, so dX = δ Wᵀ (shape (n, d_in), like X).",
    ),
    Mistake(
        _dense_dW_transposed,
        "dW is transposed: it must have the shape of W, (d_in, d_out) = Xᵀ δ, not δᵀ X.",
    ),
    Mistake(
        _dense_dW_divided,
        "dW is divided by the batch size a second time: δ = ∂L/∂Z "
        "already carries the 1/n of the mean loss, so dW = Xᵀ δ.",
    ),
    Mistake(
        _dense_db_mean,
        "db averages δ over the batch, dividing by n a second time: δ "
        "already carries the 1/n of the mean loss, so db = Σᵢ δᵢ.",
    ),
    Mistake(
        _dense_db_wrong_axis,
        "db sums over the wrong axis: b is added to every row, so "
        "sum δ over the examples (axis 0), giving shape (d_out,).",
    ),
)

_PARTS = ("dX", "dW", "db")


def dense_backward(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(X, W, delta)``: the backward pass of :math:`Z = XW + b`.

    Given :math:`\delta = \partial\mathcal{L}/\partial Z` of shape ``(n, d_out)`` (the 1/n
    of a mean loss is already inside it), return the tuple ``(dX, dW, db)`` with

    .. math::
        dX = \delta W^\top, \qquad dW = X^\top \delta, \qquad db = \textstyle\sum_i \delta_i,

    of shapes ``(n, d_in)``, ``(d_in, d_out)`` and ``(d_out,)``. The three are checked in
    that order.
    """
    if not callable(user_fn):
        return CheckResult(
            False, f"✗ dense_backward: expected a function, got {type(user_fn).__name__}"
        )
    rng = np.random.default_rng(11)
    cases = [
        # square W first, so that a W used without its transpose still has the right shape
        dict(X=rng.normal(size=(5, 4)), W=rng.normal(size=(4, 4)), delta=rng.normal(size=(5, 4))),
        dict(X=rng.normal(size=(7, 6)), W=rng.normal(size=(6, 3)), delta=rng.normal(size=(7, 3))),
        dict(X=rng.normal(size=(3, 8)), W=rng.normal(size=(8, 8)), delta=rng.normal(size=(3, 8))),
    ]
    for i, part in enumerate(_PARTS):
        result = compare(
            f"dense_backward ({part})",
            lambda i=i, **case: _part(user_fn, i, **case),
            lambda i=i, **case: _dense_reference(**case)[i],
            cases,
            [
                Mistake(lambda m=m, i=i, **case: m.fn(**case)[i], m.explanation)
                for m in DENSE_BACKWARD_MISTAKES
            ],
        )
        if not result.passed:
            return result
    return CheckResult(
        True, f"✓ dense_backward: dX, dW and db match the reference on all {len(cases)} cases"
    )


def _part(user_fn: Callable, i: int, **case) -> np.ndarray:
    out = user_fn(**case)
    if not isinstance(out, tuple | list) or len(out) != 3:
        raise ValueError("return the tuple (dX, dW, db)")
    return out[i]
