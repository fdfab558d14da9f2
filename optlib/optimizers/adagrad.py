"""AdaGrad: a learning rate per parameter, shrinking with the gradients seen (chapter 4)."""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer


class AdaGrad(Optimizer):
    r"""AdaGrad, as ``torch.optim.Adagrad``.

    Update rule, element-wise, for :math:`t = 1, 2, \dots` (k = ``lr_decay``)::

        r_t = r_{t−1} + g_t²,   r_0 = initial_accumulator_value
        α_t = α / (1 + (t − 1)·k)
        θ_t = θ_{t−1} − α_t·g_t / (√r_t + ε)        (eps_inside_sqrt=True: √(r_t + ε))

    .. math::
        r_t = r_{t-1} + g_t^2, \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha_t}{\sqrt{r_t} + \varepsilon}\, g_t,
        \qquad \alpha_t = \frac{\alpha}{1 + (t-1)\,k}

    Each coordinate has its own effective learning rate :math:`\alpha_t/(\sqrt{r_t}+\varepsilon)`,
    which only shrinks. torch puts :math:`\varepsilon` = 1e-10 outside the root; optax and
    Keras put it inside, :math:`\sqrt{r_t + \varepsilon}`, and start :math:`r_0` at 0.1.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-2, torch's). An array of shape
        ``(K, 1)`` runs K configurations on params of shape ``(K, n)``; a function of the
        number of steps taken is a schedule, whose value then replaces :math:`\alpha`.
    lr_decay : float or array
        :math:`k \ge 0`, torch's built-in inverse-time decay of :math:`\alpha`. Default 0.
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **coupled** L2 weight decay: added to
        :math:`g_t` before the rule, so it also enters :math:`r_t`. Default 0.
    initial_accumulator_value : float or array
        :math:`r_0 \ge 0`. Default 0 (torch); optax and Keras use 0.1.
    eps : float or array
        :math:`\varepsilon > 0`. Default 1e-10 (torch).
    eps_inside_sqrt : bool
        Put :math:`\varepsilon` under the root, as optax and Keras do.
    maximize : bool
        Maximise the objective instead (torch's ``maximize``): :math:`g_t` is negated
        before anything else, so a weight decay still pulls toward 0. Default False.

    Examples
    --------
    >>> import numpy as np
    >>> import optlib
    >>> theta = np.array([1.0, -2.0])
    >>> opt = optlib.AdaGrad(lr=0.1)
    >>> opt.step(theta, 2 * theta)  # the first step is α·g/|g|: 0.1 per coordinate
    >>> theta
    array([ 0.9, -1.9])
    >>> opt.state[None]["r"]
    array([ 4., 16.])
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
        maximize: bool = False,
    ) -> None:
        self.lr_decay = self._hyper("lr_decay", lr_decay, 0.0, low_inclusive=True)
        self.initial_accumulator_value = self._hyper(
            "initial_accumulator_value", initial_accumulator_value, 0.0, low_inclusive=True
        )
        self.eps = self._hyper("eps", eps, 0.0)
        self.eps_inside_sqrt = bool(eps_inside_sqrt)
        super().__init__(lr, weight_decay, maximize)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        if "r" not in state:
            state["r"] = np.broadcast_to(self.initial_accumulator_value, p.shape).astype(p.dtype)
        r = state["r"] = state["r"] + g * g
        lr_t = lr / (1 + (self.t - 1) * self.lr_decay)
        denom = np.sqrt(r + self.eps) if self.eps_inside_sqrt else np.sqrt(r) + self.eps
        p -= lr_t * (g / denom)
