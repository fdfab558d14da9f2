"""RMSProp: AdaGrad with a moving average in place of the sum (chapter 5)."""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer, check_range


class RMSProp(Optimizer):
    r"""RMSProp, as ``torch.optim.RMSprop`` (its decay is called ``alpha``, default 0.99).

    .. math::
        r_t = \beta\, r_{t-1} + (1-\beta)\, g_t^2, \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{r_t} + \varepsilon}\, g_t

    where :math:`\beta` is the argument ``alpha`` and :math:`\alpha` is ``lr``; :math:`r_0 = 0`
    and there is no bias correction, so the first step is about ``lr / sqrt(1 - alpha)``.

    ``centered=True`` divides by :math:`\sqrt{r_t - \bar g_t^2} + \varepsilon`, with
    :math:`\bar g_t` a moving average of :math:`g`. With ``momentum`` :math:`\mu > 0`:
    :math:`b_t = \mu b_{t-1} + g_t / \mathrm{den}_t`, :math:`\theta_t = \theta_{t-1} - \alpha b_t`.
    ``eps_inside_sqrt=True`` uses :math:`\sqrt{r_t + \varepsilon}` (optax's default).
    """

    hyperparameter_names = ("lr", "alpha", "eps", "momentum", "weight_decay")

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        alpha: Hyper = 0.99,
        eps: Hyper = 1e-8,
        weight_decay: Hyper = 0.0,
        momentum: Hyper = 0.0,
        centered: bool = False,
        eps_inside_sqrt: bool = False,
    ) -> None:
        self.alpha = check_range("alpha", alpha, 0.0, 1.0, low_inclusive=True)
        self.eps = check_range("eps", eps, 0.0)
        self.momentum = check_range("momentum", momentum, 0.0, 1.0, low_inclusive=True)
        self.centered = bool(centered)
        self.eps_inside_sqrt = bool(eps_inside_sqrt)
        super().__init__(lr, weight_decay)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        beta = self.alpha
        r = state["r"] = beta * state.get("r", 0.0) + (1 - beta) * g * g
        if self.centered:
            g_avg = state["g_avg"] = beta * state.get("g_avg", 0.0) + (1 - beta) * g
            r = r - g_avg * g_avg
        denom = np.sqrt(r + self.eps) if self.eps_inside_sqrt else np.sqrt(r) + self.eps
        if np.any(self.momentum):
            b = state["b"] = self.momentum * state.get("b", 0.0) + g / denom
            p -= lr * b
        else:
            p -= lr * (g / denom)
