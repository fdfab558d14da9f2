"""AdaGrad: a learning rate per parameter, shrinking with the gradients seen (chapter 4)."""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer, check_range


class AdaGrad(Optimizer):
    r"""AdaGrad, as ``torch.optim.Adagrad``.

    .. math::
        r_t = r_{t-1} + g_t^2, \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha_t}{\sqrt{r_t} + \varepsilon}\, g_t,
        \qquad \alpha_t = \frac{\alpha}{1 + (t-1)\,\kappa}

    with :math:`r_0` = ``initial_accumulator_value`` and :math:`\kappa` = ``lr_decay``.
    torch puts :math:`\varepsilon` = 1e-10 outside the root; optax and Keras put it inside,
    :math:`\sqrt{r_t + \varepsilon}` (``eps_inside_sqrt=True``), and start :math:`r_0` at 0.1.
    """

    hyperparameter_names = ("lr", "lr_decay", "eps", "initial_accumulator_value", "weight_decay")

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        lr_decay: Hyper = 0.0,
        weight_decay: Hyper = 0.0,
        initial_accumulator_value: Hyper = 0.0,
        eps: Hyper = 1e-10,
        eps_inside_sqrt: bool = False,
    ) -> None:
        self.lr_decay = check_range("lr_decay", lr_decay, 0.0, low_inclusive=True)
        self.initial_accumulator_value = check_range(
            "initial_accumulator_value", initial_accumulator_value, 0.0, low_inclusive=True
        )
        self.eps = check_range("eps", eps, 0.0)
        self.eps_inside_sqrt = bool(eps_inside_sqrt)
        super().__init__(lr, weight_decay)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        if "r" not in state:
            state["r"] = np.broadcast_to(self.initial_accumulator_value, p.shape).copy()
        r = state["r"] = state["r"] + g * g
        lr_t = lr / (1 + (self.t - 1) * self.lr_decay)
        denom = np.sqrt(r + self.eps) if self.eps_inside_sqrt else np.sqrt(r) + self.eps
        p -= lr_t * (g / denom)
