r"""A multilayer perceptron in numpy, with its backward pass written by hand (chapter 10).

The network maps inputs :math:`x \in \mathbb{R}^{d_0}` to class scores through layers

.. math::
    z_\ell = a_{\ell-1} W_\ell + b_\ell, \qquad a_\ell = \sigma(z_\ell) \quad (\ell < L),
    \qquad p = \operatorname{softmax}(z_L),

and is trained on the mean softmax cross-entropy plus an optional L2 penalty on the weights,

.. math::
    \mathcal{L} = \frac{1}{B}\sum_{i=1}^{B} -\log p_{i, y_i}
    + \frac{\lambda_{\mathrm{wd}}}{2} \sum_\ell \lVert W_\ell \rVert_F^2 .

The parameters are a dict ``{"W1", "b1", "W2", "b2", …}``, the structure every optimizer in
:mod:`optlib.optimizers` updates in place.

**Configurations side by side.** Every array may carry a leading configuration axis of
length ``C``: ``W`` of shape ``(C, d_in, d_out)`` and ``b`` of shape ``(C, 1, d_out)``.
Each configuration is its own network (its own seed); they share nothing, so an optimizer
whose ``lr`` has shape ``(C, 1, 1)`` trains ``C`` learning rates or seeds in one call, each
exactly as if trained alone. The inputs are either shared, ``X`` of shape ``(n, d_in)``, or
one batch per configuration, ``(C, n, d_in)``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..data import batch_indices
from ..optimizers.base import Optimizer
from .softmax import cross_entropy

Params = dict[str, np.ndarray]


class MLP:
    r"""A fully connected network with ReLU or tanh hidden layers and a softmax output.

    Parameters
    ----------
    sizes:
        Layer widths ``(d_in, h_1, …, h_k, n_classes)``; at least two entries, all >= 1
        (two entries give softmax regression).
    activation:
        ``"relu"`` (:math:`\max(z, 0)`) or ``"tanh"``.
    l2:
        :math:`\lambda_{\mathrm{wd}} \ge 0` in the penalty
        :math:`\frac{\lambda_{\mathrm{wd}}}{2}\sum_\ell\lVert W_\ell\rVert^2` of the loss
        (biases are not penalised). scikit-learn's ``alpha`` penalises
        :math:`\frac{\alpha}{2B}\lVert W\rVert^2` on a batch of :math:`B` samples, so
        ``alpha = l2 * batch_size`` is the same penalty on full batches.
    init:
        How the hidden layers' weights are drawn. ``"he"`` draws
        :math:`W \sim \mathcal{N}(0, 2/d_\text{in})` (He et al., for ReLU); ``"xavier"``
        draws :math:`W \sim \mathcal{N}(0, 2/(d_\text{in} + d_\text{out}))` (Glorot &
        Bengio, for tanh). The default matches the activation. Biases start at 0.
    output_scale:
        The output (softmax) layer is drawn :math:`W_L \sim \mathcal{N}(0,
        s^2/d_\text{in})` with :math:`s` = ``output_scale`` >= 0 (0 gives zeros). He and
        Glorot keep the signal's scale from layer to layer, which is right for hidden layers
        but not for the logits: on unit-scale hidden activations they give logits of standard
        deviation about 1.4 and 1.3, a confident random guess, and a loss at initialisation
        near 3 instead of :math:`\ln k`. With the default ``s = 0.1`` the logits start with
        a standard deviation of about 0.1, the probabilities are nearly uniform and the loss
        at initialisation is :math:`\ln k` to within about 0.05 on every seed (Karpathy's
        "initialise well" check). The hidden layers keep He or Glorot: they feed ReLU or
        tanh units, whose signal must neither vanish nor explode. A one-layer network
        (softmax regression) has only the output layer, so it uses this scale too.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: Literal["relu", "tanh"] = "relu",
        l2: float = 0.0,
        init: Literal["he", "xavier"] | None = None,
        output_scale: float = 0.1,
    ) -> None:
        sizes = tuple(sizes)
        if len(sizes) < 2 or not all(_is_int(s) and s >= 1 for s in sizes):
            raise ValueError(f"sizes must be >= 2 integers, each >= 1; got {sizes!r}")
        if activation not in ("relu", "tanh"):
            raise ValueError(f"activation must be 'relu' or 'tanh'; got {activation!r}")
        if not (isinstance(l2, int | float | np.number) and np.isfinite(l2) and l2 >= 0):
            raise ValueError(f"l2 must be a finite number in [0, inf); got {l2!r}")
        init = init or ("he" if activation == "relu" else "xavier")
        if init not in ("he", "xavier"):
            raise ValueError(f"init must be 'he', 'xavier' or None; got {init!r}")
        if not (
            isinstance(output_scale, int | float | np.number)
            and not isinstance(output_scale, bool)
            and np.isfinite(output_scale)
            and output_scale >= 0
        ):
            raise ValueError(
                f"output_scale must be a finite number in [0, inf); got {output_scale!r}"
            )
        self.sizes = tuple(int(s) for s in sizes)
        #: ``(d_in, d_out)`` of each weight matrix, first layer first
        self.layer_shapes = list(zip(self.sizes[:-1], self.sizes[1:], strict=True))
        self.activation = activation
        self.l2 = float(l2)
        self.init_scheme = init
        self.output_scale = float(output_scale)

    @property
    def n_layers(self) -> int:
        """The number of weight matrices."""
        return len(self.layer_shapes)

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={self.sizes}, activation={self.activation!r}, l2={self.l2:g}, "
            f"init={self.init_scheme!r}, output_scale={self.output_scale:g})"
        )

    # -- parameters ---------------------------------------------------------------------
    def init(self, seed: int | Sequence[int] = 0) -> Params:
        """Fresh parameters from ``np.random.default_rng(seed)``.

        With a sequence of ``C`` seeds the arrays get a leading configuration axis and
        configuration ``c`` is exactly ``init(seed[c])`` (``b`` reshaped to ``(1, d_out)``).
        """
        if _is_int(seed):
            return self._init_one(int(seed))
        seeds = list(seed) if isinstance(seed, Sequence | np.ndarray) else []
        if not seeds or not all(_is_int(s) for s in seeds):
            raise ValueError(f"seed must be an int or a non-empty sequence of ints; got {seed!r}")
        ones = [self._init_one(int(s)) for s in seeds]
        return {
            key: np.stack([p[key] if key[0] == "W" else p[key][None] for p in ones])
            for key in ones[0]
        }

    def _init_one(self, seed: int) -> Params:
        rng = np.random.default_rng(seed)
        params: Params = {}
        for i, (d_in, d_out) in enumerate(self.layer_shapes, 1):
            if i == self.n_layers:  # the logits: small, so that p starts nearly uniform
                var = self.output_scale**2 / d_in
            else:
                var = 2 / d_in if self.init_scheme == "he" else 2 / (d_in + d_out)
            params[f"W{i}"] = rng.normal(0.0, np.sqrt(var), (d_in, d_out))
            params[f"b{i}"] = np.zeros(d_out)
        return params

    def n_configs(self, params: Params) -> int | None:
        """``C`` for parameters with a configuration axis, ``None`` for a single network."""
        self._check_params(params)
        return None if params["W1"].ndim == 2 else params["W1"].shape[0]

    # -- forward and backward -----------------------------------------------------------
    def forward(self, params: Params, X: np.ndarray) -> np.ndarray:
        """The logits :math:`z_L`, shape ``(n, n_classes)`` or ``(C, n, n_classes)``."""
        return self._forward(params, self._check_X(params, X))[-1]

    def predict(self, params: Params, X: np.ndarray) -> np.ndarray:
        """The predicted class, shape ``(n,)`` or ``(C, n)``."""
        return self.forward(params, X).argmax(axis=-1)

    def accuracy(self, params: Params, X: np.ndarray, y: np.ndarray) -> float | np.ndarray:
        """The fraction of correct predictions, a float or shape ``(C,)``."""
        y = self._check_y(np.shape(X)[:-1], y)
        acc = (self.predict(params, X) == y).mean(axis=-1)
        return float(acc) if np.ndim(acc) == 0 else acc

    def loss(self, params: Params, X: np.ndarray, y: np.ndarray) -> float | np.ndarray:
        """The loss :math:`\\mathcal{L}` (cross-entropy plus L2), a float or shape ``(C,)``."""
        return self._loss_and_grads(params, X, y, backward=False)[0]

    def loss_and_grads(
        self, params: Params, X: np.ndarray, y: np.ndarray
    ) -> tuple[float | np.ndarray, Params]:
        r"""The loss and its gradient, by backpropagation.

        .. math::
            \frac{\partial\mathcal{L}}{\partial z_L} = \frac{1}{n}(p - Y), \quad
            \frac{\partial\mathcal{L}}{\partial W_\ell} = a_{\ell-1}^\top \delta_\ell
            + \lambda_{\mathrm{wd}} W_\ell, \quad
            \frac{\partial\mathcal{L}}{\partial b_\ell} = \textstyle\sum_i \delta_{\ell, i},
            \quad \delta_{\ell-1} = (\delta_\ell W_\ell^\top) \odot \sigma'(z_{\ell-1})

        with :math:`Y` the one-hot labels and :math:`\delta_\ell = \partial\mathcal{L} /
        \partial z_\ell`. With a configuration axis, the loss has shape ``(C,)`` and
        configuration ``c``'s gradient is that of its own loss.
        """
        return self._loss_and_grads(params, X, y, backward=True)

    def _loss_and_grads(self, params, X, y, backward, checked=False):
        if not checked:
            X = self._check_X(params, X)
            y = self._check_y(X.shape[:-1], y)
        acts = self._forward(params, X)
        loss, delta = cross_entropy(acts[-1], y)  # delta = dL/dz_L = (P - Y) / n
        weights = [params[f"W{i}"] for i in range(1, self.n_layers + 1)]
        if self.l2:
            loss = loss + 0.5 * self.l2 * sum((W * W).sum(axis=(-2, -1)) for W in weights)
        loss = float(loss) if np.ndim(loss) == 0 else loss
        if not backward:
            return loss, {}
        grads: Params = {}
        for i in range(self.n_layers, 0, -1):
            W, a_prev = weights[i - 1], acts[i - 1]
            grads[f"W{i}"] = a_prev.swapaxes(-1, -2) @ delta
            if self.l2:
                grads[f"W{i}"] += self.l2 * W
            grads[f"b{i}"] = delta.sum(axis=-2).reshape(params[f"b{i}"].shape)
            if i > 1:
                delta = delta @ W.swapaxes(-1, -2)
                if self.activation == "relu":
                    delta *= a_prev > 0
                else:
                    delta *= 1 - a_prev * a_prev
        return loss, {key: grads[key] for key in params}

    def _forward(self, params: Params, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's output: ``[X, a_1, …, a_{L-1}, z_L]``."""
        acts = [X]
        for i in range(1, self.n_layers + 1):
            z = acts[-1] @ params[f"W{i}"]
            z += params[f"b{i}"]
            if i < self.n_layers:
                z = np.maximum(z, 0.0, out=z) if self.activation == "relu" else np.tanh(z, out=z)
            acts.append(z)
        return acts

    # -- argument checks ----------------------------------------------------------------
    def _check_params(self, params: Params) -> None:
        expected = [f"{kind}{i}" for i in range(1, self.n_layers + 1) for kind in "Wb"]
        if not isinstance(params, dict) or sorted(params) != sorted(expected):
            got = sorted(params) if isinstance(params, dict) else type(params).__name__
            raise ValueError(f"params must be a dict with keys {expected}; got {got}")
        lead = params["W1"].shape[:-2]
        if len(lead) > 1:
            raise ValueError(f"params['W1'] must have 2 or 3 dimensions; got {params['W1'].shape}")
        for i, (d_in, d_out) in enumerate(self.layer_shapes, 1):
            for key, want in (
                (f"W{i}", (*lead, d_in, d_out)),
                (f"b{i}", (*lead, 1, d_out) if lead else (d_out,)),
            ):
                if np.shape(params[key]) != want:
                    raise ValueError(
                        f"params[{key!r}] must have shape {want}; got {np.shape(params[key])}"
                    )

    def _check_X(self, params: Params, X: np.ndarray) -> np.ndarray:
        C = self.n_configs(params)
        X = np.asarray(X, dtype=float)
        allowed = "(n, d_in)" + ("" if C is None else " or (C, n, d_in)")
        if X.ndim not in ((2,) if C is None else (2, 3)) or X.shape[-1] != self.sizes[0]:
            raise ValueError(
                f"X must have shape {allowed} with d_in = {self.sizes[0]}; got {X.shape}"
            )
        if X.ndim == 3 and X.shape[0] != C:
            raise ValueError(f"X has {X.shape[0]} configurations but params have {C}")
        return X

    def _check_y(self, batch_shape: tuple[int, ...], y: np.ndarray) -> np.ndarray:
        y = np.asarray(y)
        if y.shape != tuple(batch_shape) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(
                f"y must be integer labels of shape {tuple(batch_shape)}; "
                f"got {y.dtype} of shape {y.shape}"
            )
        if y.size and (y.min() < 0 or y.max() >= self.sizes[-1]):
            raise ValueError(
                f"y must be labels in [0, {self.sizes[-1] - 1}]; "
                f"got values in [{y.min()}, {y.max()}]"
            )
        return y


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class History:
    """What :func:`train` recorded, one row per epoch (and one column per configuration).

    ``train_loss[e]`` is the mean of the mini-batch losses of epoch ``e + 1``, each taken
    before its update (what scikit-learn's ``loss_curve_`` and Keras report);
    ``val_accuracy[e]`` is measured after the epoch. ``seconds_per_epoch`` is wall time.
    """

    train_loss: np.ndarray
    val_accuracy: np.ndarray | None
    seconds_per_epoch: float

    @property
    def diverged(self) -> np.ndarray | bool:
        """True where the final training loss is not finite."""
        return ~np.isfinite(self.train_loss[-1])


def train(
    model: MLP,
    params: Params,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int,
    seed: int | Sequence[int] = 0,
    X_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    shuffle: bool = True,
) -> History:
    """Train ``params`` in place with mini-batches of ``(X, y)`` for ``epochs`` epochs.

    The batches are those of :func:`optlib.data.minibatches` with ``np.random.default_rng(seed)``.
    With a sequence of ``C`` seeds (params with a configuration axis of length ``C``), each
    configuration draws its own batch order from its own seed, so configuration ``c``
    trains exactly as ``train(…, seed=seed[c])`` on ``init(seed[c])`` would. A diverging
    configuration turns to NaN on its own, silently; the others are unaffected.
    """
    C = model.n_configs(params)
    if int(epochs) != epochs or epochs < 1:
        raise ValueError(f"epochs must be an integer >= 1; got {epochs!r}")
    seeds = [seed] if _is_int(seed) else list(seed) if isinstance(seed, Sequence) else []
    if not seeds or not all(_is_int(s) for s in seeds) or len(seeds) not in (1, C):
        raise ValueError(f"seed must be an int or one int per configuration ({C}); got {seed!r}")
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    X = model._check_X(params, X)
    y = model._check_y(X.shape[:-1], y)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n, d_in): train draws the batches; got {X.shape}")
    rngs = [np.random.default_rng(s) for s in seeds]
    losses, accuracies = [], []
    start = time.perf_counter()
    with np.errstate(all="ignore"):  # a diverging learning rate must not flood the reader
        for _ in range(epochs):
            total = 0.0
            orders = [batch_indices(len(y), batch_size, rng, shuffle) for rng in rngs]
            for idx in zip(*orders, strict=True):
                idx = idx[0] if len(idx) == 1 else np.stack(idx)  # (n_b,) or (C, n_b)
                Xb, yb = X[idx], y[idx]  # every configuration's batch in one gather
                loss, grads = model._loss_and_grads(params, Xb, yb, backward=True, checked=True)
                total = total + loss * yb.shape[-1]
                optimizer.step(params, grads)
            losses.append(total / len(y))
            if X_val is not None:
                accuracies.append(model.accuracy(params, X_val, y_val))
    seconds = (time.perf_counter() - start) / epochs
    return History(np.array(losses), np.array(accuracies) if accuracies else None, seconds)
