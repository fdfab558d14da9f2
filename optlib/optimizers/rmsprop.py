"""RMSProp: AdaGrad with a moving average in place of the sum (chapter 5)."""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer


class RMSProp(Optimizer):
    r"""RMSProp, as ``torch.optim.RMSprop`` (its decay β is the argument ``alpha``).

    Update rule, element-wise, for :math:`t = 1, 2, \dots` (β = ``alpha``, α = ``lr``)::

        r_t = β·r_{t−1} + (1 − β)·g_t²,   r_0 = 0 (no bias correction)
        D_t = √r_t + ε                 (eps_inside_sqrt=True: √(r_t + ε))
        θ_t = θ_{t−1} − α_t·g_t / D_t

    ``centered=True`` subtracts the squared average gradient, with
    ḡ_t = β·ḡ_{t−1} + (1 − β)·g_t and D_t = √(r_t − ḡ_t²) + ε. With ``momentum``
    ρ > 0: b_t = ρ·b_{t−1} + g_t / D_t and θ_t = θ_{t−1} − α_t·b_t (``nesterov=True``:
    θ_t = θ_{t−1} − α_t·(g_t / D_t + ρ·b_t), optax's). optax's other options:
    ``initial_accumulator_value`` is r_0 (optax's ``initial_scale``; TF1 started at 1) and
    ``bias_correction=True`` divides r_t (and ḡ_t) by 1 − β^t before D_t.

    .. math::
        r_t = \beta\, r_{t-1} + (1-\beta)\, g_t^2, \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha_t}{\sqrt{r_t} + \varepsilon}\, g_t

    Since :math:`r_0 = 0`, the first step is about ``lr / sqrt(1 - alpha)``: ten times
    ``lr`` for β = 0.99.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-2, torch's). An array of shape
        ``(K, 1)`` runs K configurations on params of shape ``(K, n)``; a function of the
        number of steps taken is a schedule (:mod:`optlib.schedules`).
    alpha : float or array
        :math:`\beta \in [0, 1)`, the decay of the average of :math:`g^2` (torch's name;
        default 0.99). Not the learning rate.
    eps : float or array
        :math:`\varepsilon > 0`. Default 1e-8 (torch).
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **coupled** L2 weight decay: added to
        :math:`g_t` before the rule. Default 0.
    momentum : float or array
        :math:`\rho \in [0, 1)`, momentum on the scaled gradient. Default 0.
    centered : bool
        Divide by an estimate of the gradient's standard deviation instead of its root
        mean square.
    eps_inside_sqrt : bool
        Put :math:`\varepsilon` under the root (optax's default).
    nesterov : bool
        Nesterov's look-ahead on the momentum buffer (optax's ``nesterov``; needs
        ``momentum`` > 0). Default False.
    initial_accumulator_value : float or array
        :math:`r_0 \ge 0` (optax's ``initial_scale``). Default 0, torch's.
    bias_correction : bool
        Divide :math:`r_t` (and :math:`\bar g_t`) by :math:`1-\beta^t`, as optax's
        ``bias_correction=True``. Default False, torch's.
    maximize : bool
        Maximise the objective instead (torch's ``maximize``): :math:`g_t` is negated
        before anything else, so a weight decay still pulls toward 0. Default False.

    Examples
    --------
    >>> import numpy as np
    >>> import optlib
    >>> theta = np.array([1.0, -2.0])
    >>> opt = optlib.RMSProp(lr=0.01, alpha=0.99)
    >>> opt.step(theta, 2 * theta)  # r_1 = 0.01 g², a first step of about 10 α
    >>> np.round(theta, 6)
    array([ 0.9, -1.9])
    """

    hyperparameter_names = (
        "lr",
        "alpha",
        "eps",
        "momentum",
        "weight_decay",
        "initial_accumulator_value",
    )

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        alpha: Hyper = 0.99,
        eps: Hyper = 1e-8,
        weight_decay: Hyper = 0.0,
        momentum: Hyper = 0.0,
        centered: bool = False,
        eps_inside_sqrt: bool = False,
        nesterov: bool = False,
        initial_accumulator_value: Hyper = 0.0,
        bias_correction: bool = False,
        maximize: bool = False,
    ) -> None:
        self.alpha = self._hyper("alpha", alpha, 0.0, 1.0, low_inclusive=True)
        self.eps = self._hyper("eps", eps, 0.0)
        self.momentum = self._hyper("momentum", momentum, 0.0, 1.0, low_inclusive=True)
        self.initial_accumulator_value = self._hyper(
            "initial_accumulator_value", initial_accumulator_value, 0.0, low_inclusive=True
        )
        if nesterov and np.any(np.asarray(self.momentum) == 0):
            raise ValueError("nesterov=True needs momentum in (0, 1)")
        self.centered = bool(centered)
        self.eps_inside_sqrt = bool(eps_inside_sqrt)
        self.nesterov = bool(nesterov)
        self.bias_correction = bool(bias_correction)
        super().__init__(lr, weight_decay, maximize)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        beta = self.alpha
        r = state["r"] = beta * state.get("r", self.initial_accumulator_value) + (1 - beta) * g * g
        if self.centered:
            g_avg = state["g_avg"] = beta * state.get("g_avg", 0.0) + (1 - beta) * g
        if self.bias_correction:  # optax's option; torch has none
            r = r / (1 - beta**self.t)
            if self.centered:
                g_avg = g_avg / (1 - beta**self.t)
        if self.centered:
            r = r - g_avg * g_avg
        denom = np.sqrt(r + self.eps) if self.eps_inside_sqrt else np.sqrt(r) + self.eps
        if np.any(self.momentum):
            b = state["b"] = self.momentum * state.get("b", 0.0) + g / denom
            p -= lr * (g / denom + self.momentum * b) if self.nesterov else lr * b
        else:
            p -= lr * (g / denom)
