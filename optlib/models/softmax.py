r"""Softmax regression (multinomial logistic regression) in numpy, gradient written by hand.

A linear map scores each of the :math:`k` classes and the softmax turns scores into
probabilities:

.. math::
    z_i = x_i W + b, \qquad
    p_{ic} = \frac{e^{z_{ic}}}{\sum_{c'} e^{z_{ic'}}}, \qquad
    \mathcal{L}(W, b) = \frac{1}{B}\sum_{i=1}^{B} -\log p_{i, y_i}
    + \frac{\lambda_{\mathrm{wd}}}{2}\lVert W\rVert_F^2 .

With :math:`Y` the one-hot labels, the gradient is

.. math::
    \nabla_W \mathcal{L} = \frac{1}{n} X^\top (P - Y) + \lambda_{\mathrm{wd}} W, \qquad
    \nabla_b \mathcal{L} = \frac{1}{n} \sum_{i=1}^{n} (p_i - y_i),

so the gradient of a batch is the mean of the per-example gradients. The parameters are
the dict ``{"W": (d, k), "b": (k,)}`` that every optimizer's ``step(params, grads)``
updates in place.

**Models side by side.** As in :mod:`optlib.models.mlp`, the arrays may carry a leading
model axis of length ``m``: ``W`` of shape ``(m, d, k)`` and ``b`` of shape ``(m, 1, k)``
(the 1 lines ``b`` up with the examples). An optimizer with ``lr`` of shape ``(m, 1, 1)``
then trains ``m`` learning rates on the same batches in one call, each model exactly as if
it were trained alone; the loss and accuracy come back with shape ``(m,)``.
"""

from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]


def init_softmax(
    n_features: int, n_classes: int, seed: int = 0, n_models: int | None = None
) -> Params:
    r"""Small random weights :math:`W_{jc} \sim \mathcal{N}(0, 0.01^2)` and zero biases.

    The loss is convex, so the start only needs to be near zero; ``seed`` makes it
    reproducible. With ``n_models = m`` every model starts from the same point (so models
    that differ only in their learning rate are compared fairly).
    """
    for name, value, low in (("n_features", n_features, 1), ("n_classes", n_classes, 2)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}; got {value!r}")
    if n_models is not None and (
        isinstance(n_models, bool) or not isinstance(n_models, int | np.integer) or n_models < 1
    ):
        raise ValueError(f"n_models must be None or an integer >= 1; got {n_models!r}")
    W = 0.01 * np.random.default_rng(seed).standard_normal((n_features, n_classes))
    b = np.zeros(n_classes)
    if n_models is None:
        return {"W": W, "b": b}
    return {"W": np.repeat(W[None], n_models, axis=0), "b": np.zeros((n_models, 1, n_classes))}


def cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[float | np.ndarray, np.ndarray]:
    r"""Mean softmax cross-entropy of the scores ``z`` and its gradient with respect to ``z``.

    .. math::
        \mathcal{L} = -\frac1n \sum_i \log p_{i, y_i}, \quad
        p_i = \operatorname{softmax}(z_i), \qquad
        \frac{\partial \mathcal{L}}{\partial z} = \frac1n (P - Y)

    ``z`` has shape ``(..., n, k)`` and ``y`` integer labels of shape ``(n,)`` or
    ``(..., n)``; ``Y`` is their one-hot form. The largest score is subtracted first (the
    softmax is unchanged), so no ``exp`` overflows however large the scores. Softmax
    regression and the MLP's output layer both use this one function.
    """
    z = z - z.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    onehot = y[..., None] == np.arange(z.shape[-1])
    n = y.shape[-1]
    loss = -np.where(onehot, log_p, 0.0).sum(axis=-1).mean(axis=-1)
    dz = (np.exp(log_p) - onehot) / n
    return (float(loss) if np.ndim(loss) == 0 else loss), dz


def softmax_loss_and_grad(
    params: Params, X: np.ndarray, y: np.ndarray, l2: float = 0.0
) -> tuple[float | np.ndarray, Params]:
    r"""The mean cross-entropy :math:`\mathcal{L}` of ``(X, y)`` and its gradient.

    The scores are :math:`z = XW + b`; :func:`cross_entropy` gives the loss and
    :math:`\partial\mathcal{L}/\partial z`, and the chain rule the rest. Returns
    ``(loss, {"W": dL/dW, "b": dL/db})``; the loss is a float, or an array of shape ``(m,)``
    for ``m`` models side by side.
    """
    W, b, X, y = _check(params, X, y)
    if not (np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 must be a finite number in [0, inf); got {l2!r}")
    loss, dz = cross_entropy(X @ W + b, y)
    loss = loss + 0.5 * l2 * (W * W).sum(axis=(-2, -1))
    grads = {
        "W": np.swapaxes(X, -1, -2) @ dz + l2 * W,
        "b": dz.sum(axis=-2).reshape(b.shape),
    }
    return (float(loss) if np.ndim(loss) == 0 else loss), grads


def predict(params: Params, X: np.ndarray) -> np.ndarray:
    """The most probable class of each row of ``X``: shape ``(n,)``, or ``(m, n)``."""
    W, b, X, _ = _check(params, X)
    return (X @ W + b).argmax(axis=-1)


def accuracy(params: Params, X: np.ndarray, y: np.ndarray) -> float | np.ndarray:
    """The fraction of rows of ``X`` classified as ``y``: a float, or shape ``(m,)``."""
    W, b, X, y = _check(params, X, y)
    acc = ((X @ W + b).argmax(axis=-1) == y).mean(axis=-1)
    return float(acc) if np.ndim(acc) == 0 else acc


def _check(
    params: Params, X: np.ndarray, y: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Validate the arguments and return them as arrays, or raise ``ValueError``."""
    if not isinstance(params, dict) or sorted(params) != ["W", "b"]:
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params must be a dict with keys ['W', 'b']; got {got}")
    W, b = np.asarray(params["W"]), np.asarray(params["b"])
    if W.ndim not in (2, 3) or not np.issubdtype(W.dtype, np.floating):
        raise ValueError(
            f"params['W'] must be a float array of shape (d, k) or (m, d, k); "
            f"got {W.dtype} of shape {W.shape}"
        )
    d, k = W.shape[-2:]
    want_b = (k,) if W.ndim == 2 else (W.shape[0], 1, k)
    if b.shape != want_b:
        raise ValueError(
            f"params['b'] must have shape {want_b} to match params['W'] of shape "
            f"{W.shape}; got {b.shape}"
        )
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != d or len(X) == 0 or not np.issubdtype(X.dtype, np.number):
        raise ValueError(
            f"X must be a non-empty numeric array of shape (n, {d}); "
            f"got {X.dtype} of shape {X.shape}"
        )
    X = X.astype(float, copy=False)
    if not np.all(np.isfinite(X)):
        raise ValueError("X must contain only finite numbers")
    if y is None:
        return W, b, X, None
    y = np.asarray(y)
    if y.shape != (len(X),) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"y must be integer class labels of shape ({len(X)},); got {y.dtype} of shape {y.shape}"
        )
    if y.min() < 0 or y.max() >= k:
        raise ValueError(f"y must be labels in [0, {k - 1}]; got values in [{y.min()}, {y.max()}]")
    return W, b, X, y
