"""Heavy-ball momentum and Nesterov's look-ahead (chapter 3)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from .base import Hyper, LearningRate, Optimizer, check_range


class Momentum(Optimizer):
    r"""Gradient descent with momentum, as ``torch.optim.SGD(lr, momentum, ...)``.

    torch's form (``convention="torch"``, the default) keeps a buffer of gradients:

    .. math::
        b_1 = g_1, \qquad b_t = \mu\, b_{t-1} + (1-\tau)\, g_t, \qquad
        \theta_t = \theta_{t-1} - \alpha\, d_t,

    with :math:`d_t = b_t`, or :math:`d_t = g_t + \mu b_t` when ``nesterov=True``.

    CS231n's form (``convention="cs231n"``, also the seed code's) keeps a velocity that
    already contains the learning rate:

    .. math::
        v_t = \mu\, v_{t-1} - \alpha\, g_t, \qquad \theta_t = \theta_{t-1} + v_t

    (Nesterov: :math:`\theta_t = \theta_{t-1} - \mu v_{t-1} + (1+\mu) v_t`). With a constant
    :math:`\alpha` the two forms give the same iterates, since :math:`v_t = -\alpha b_t`; under
    a schedule they differ, because the velocity remembers the old learning rates.
    """

    hyperparameter_names = ("lr", "momentum", "dampening", "weight_decay")

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        momentum: Hyper = 0.9,
        dampening: Hyper = 0.0,
        weight_decay: Hyper = 0.0,
        nesterov: bool = False,
        convention: Literal["torch", "cs231n"] = "torch",
    ) -> None:
        self.momentum = check_range("momentum", momentum, 0.0, 1.0, low_inclusive=True)
        self.dampening = check_range("dampening", dampening, 0.0, 1.0, True, True)
        if convention not in ("torch", "cs231n"):
            raise ValueError(f"convention must be 'torch' or 'cs231n'; got {convention!r}")
        if nesterov and (np.any(np.asarray(self.momentum) == 0) or np.any(self.dampening)):
            raise ValueError("nesterov=True needs momentum in (0, 1) and dampening = 0")
        if convention == "cs231n" and np.any(self.dampening):
            raise ValueError("dampening must be 0 with convention='cs231n' (it has no dampening)")
        self.nesterov = bool(nesterov)
        self.convention = convention
        super().__init__(lr, weight_decay)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        mu = self.momentum
        if self.convention == "cs231n":
            v_prev = state.get("v", 0.0)
            v = state["v"] = mu * v_prev - lr * g
            p += -mu * v_prev + (1 + mu) * v if self.nesterov else v
            return
        if "b" not in state:
            b = state["b"] = g.copy()  # torch copies the first gradient, undamped
        else:
            b = state["b"] = mu * state["b"] + (1 - self.dampening) * g
        d = g + mu * b if self.nesterov else b
        p -= lr * d


class Nesterov(Momentum):
    r"""Nesterov momentum, as ``torch.optim.SGD(lr, momentum, nesterov=True)``.

    .. math::
        b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \alpha\,(g_t + \mu\, b_t)

    The step uses the gradient plus the *next* buffer, a look-ahead that damps overshoot.
    """

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        momentum: Hyper = 0.9,
        weight_decay: Hyper = 0.0,
        convention: Literal["torch", "cs231n"] = "torch",
    ) -> None:
        super().__init__(lr, momentum, 0.0, weight_decay, nesterov=True, convention=convention)
