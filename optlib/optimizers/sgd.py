"""Plain (stochastic) gradient descent: the rule every other optimizer refines."""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer


class SGD(Optimizer):
    r"""Gradient descent, as ``torch.optim.SGD(params, lr)`` with its default ``momentum=0``.

    Update rule, element-wise, for :math:`t = 1, 2, \dots`::

        g_t ← g_t + λ_wd·θ_{t−1}        (coupled L2, only when weight_decay > 0)
        θ_t = θ_{t−1} − α_t·g_t

    .. math::
        \theta_t = \theta_{t-1} - \alpha_t\, g_t

    "GD" when :math:`g_t` is the exact gradient, "SGD" when it is a mini-batch estimate:
    the rule is the same. For momentum use :class:`Momentum` or :class:`Nesterov`.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-3, torch's). An array whose last
        axis has length 1, such as shape ``(K, 1)``, runs K configurations side by side on
        params of shape ``(K, n)``. A function of the number of steps already taken is a
        schedule (:mod:`optlib.schedules`): step :math:`t` uses ``lr(t - 1)``.
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **coupled** L2 weight decay (torch's):
        :math:`\lambda_{\mathrm{wd}}\theta_{t-1}` is added to the gradient before the rule.
        Default 0.
    maximize : bool
        Maximise the objective instead (torch's ``maximize``): :math:`g_t` is negated
        before anything else, so a weight decay still pulls toward 0. Default False.

    Examples
    --------
    The parameters go to ``step`` (or its alias ``update``), which changes them in place:

    >>> import numpy as np
    >>> import optlib
    >>> theta = np.array([1.0, -2.0])
    >>> opt = optlib.SGD(lr=0.1)
    >>> opt.step(theta, 2 * theta)  # the gradient of f(θ) = ‖θ‖²
    >>> theta
    array([ 0.8, -1.6])

    Two learning rates at once, one per row:

    >>> thetas = np.ones((2, 2))
    >>> optlib.SGD(lr=np.array([[0.1], [0.2]])).step(thetas, 2 * thetas)
    >>> thetas
    array([[0.8, 0.8],
           [0.6, 0.6]])
    """

    def __init__(
        self, lr: LearningRate = 1e-3, weight_decay: Hyper = 0.0, maximize: bool = False
    ) -> None:
        super().__init__(lr, weight_decay, maximize)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        p -= lr * g
