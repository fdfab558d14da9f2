"""Heavy-ball momentum and Nesterov's look-ahead (chapter 3)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from .base import Hyper, LearningRate, Optimizer


class Momentum(Optimizer):
    r"""Gradient descent with momentum, as ``torch.optim.SGD(lr, momentum, ...)``.

    Update rule, element-wise, for :math:`t = 1, 2, \dots` (ρ = ``momentum``,
    τ = ``dampening``). torch's form, ``convention="torch"`` (the default), keeps a buffer
    of gradients::

        b_1 = g_1,   b_t = ρ·b_{t−1} + (1 − τ)·g_t
        d_t = b_t                      (nesterov=True: d_t = g_t + ρ·b_t)
        θ_t = θ_{t−1} − α_t·d_t

    CS231n's form, ``convention="cs231n"``, keeps a velocity that already contains the
    learning rate::

        u_t = ρ·u_{t−1} − α_t·g_t,   u_0 = 0
        θ_t = θ_{t−1} + u_t            (nesterov=True: θ_t = θ_{t−1} − ρ·u_{t−1} + (1 + ρ)·u_t)

    .. math::
        b_t = \rho\, b_{t-1} + (1-\tau)\, g_t, \qquad \theta_t = \theta_{t-1} - \alpha_t\, b_t;
        \qquad u_t = \rho\, u_{t-1} - \alpha_t\, g_t, \qquad \theta_t = \theta_{t-1} + u_t

    With a constant :math:`\alpha` the two forms give the same iterates, since
    :math:`u_t = -\alpha b_t`; under a schedule they differ, because the velocity remembers
    the old learning rates. On a constant gradient the step grows to :math:`\alpha/(1-\rho)`
    (momentum's effective learning rate).

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-3). An array whose last axis has
        length 1, such as shape ``(K, 1)``, runs K configurations side by side on params of
        shape ``(K, n)``; a function of the number of steps taken is a schedule
        (:mod:`optlib.schedules`).
    momentum : float or array
        :math:`\rho \in [0, 1)`, the momentum coefficient. Default 0.9 here; torch's SGD
        defaults to 0, which is plain :class:`SGD`.
    dampening : float or array
        :math:`\tau \in [0, 1]`: the new gradient enters the buffer as
        :math:`(1-\tau) g_t` (torch form only; the first buffer is :math:`g_1`, undamped).
        Default 0.
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **coupled** L2 weight decay (torch's):
        :math:`\lambda_{\mathrm{wd}}\theta_{t-1}` is added to the gradient first. Default 0.
    nesterov : bool
        Nesterov's look-ahead, as torch computes it (see :class:`Nesterov`).
    convention : "torch" or "cs231n"
        Which of the two forms above.
    maximize : bool
        Maximise the objective instead (torch's ``maximize``): :math:`g_t` is negated
        before anything else, so a weight decay still pulls toward 0. Default False.

    Examples
    --------
    >>> import numpy as np
    >>> import optlib
    >>> theta = np.array([1.0, -2.0])
    >>> opt = optlib.Momentum(lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.step(theta, 2 * theta)  # the gradient of f(θ) = ‖θ‖²
    >>> theta  # b_1 = (2, -4), b_2 = 0.9 b_1 + (1.6, -3.2) = (3.4, -6.8)
    array([ 0.46, -0.92])
    >>> opt.state[None]["b"]
    array([ 3.4, -6.8])
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
        maximize: bool = False,
    ) -> None:
        self.momentum = self._hyper("momentum", momentum, 0.0, 1.0, low_inclusive=True)
        self.dampening = self._hyper("dampening", dampening, 0.0, 1.0, True, True)
        if convention not in ("torch", "cs231n"):
            raise ValueError(f"convention must be 'torch' or 'cs231n'; got {convention!r}")
        if nesterov and (np.any(np.asarray(self.momentum) == 0) or np.any(self.dampening)):
            raise ValueError("nesterov=True needs momentum in (0, 1) and dampening = 0")
        if convention == "cs231n" and np.any(self.dampening):
            raise ValueError("dampening must be 0 with convention='cs231n' (it has no dampening)")
        self.nesterov = bool(nesterov)
        self.convention = convention
        super().__init__(lr, weight_decay, maximize)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        rho = self.momentum
        if self.convention == "cs231n":
            u_prev = state.get("u", 0.0)
            u = state["u"] = rho * u_prev - lr * g
            p += -rho * u_prev + (1 + rho) * u if self.nesterov else u
            return
        if "b" not in state:
            b = state["b"] = g.copy()  # torch copies the first gradient, undamped
        else:
            b = state["b"] = rho * state["b"] + (1 - self.dampening) * g
        d = g + rho * b if self.nesterov else b
        p -= lr * d


class Nesterov(Momentum):
    r"""Nesterov momentum, as ``torch.optim.SGD(lr, momentum, nesterov=True)``.

    Update rule, element-wise, for :math:`t = 1, 2, \dots` (ρ = ``momentum``)::

        b_t = ρ·b_{t−1} + g_t,   b_0 = 0
        θ_t = θ_{t−1} − α_t·(g_t + ρ·b_t)

    .. math::
        b_t = \rho\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \alpha_t\,(g_t + \rho\, b_t)

    The step uses the gradient plus the *next* buffer, a look-ahead. This is Sutskever et
    al.'s form rewritten so that the gradient is taken at the stored point: torch's
    iterates are Sutskever's look-ahead points shifted by :math:`\alpha\rho b_t`, so code
    that evaluates the gradient at :math:`\theta + \rho u` gives different numbers.
    ``convention="cs231n"`` gives the velocity form,
    :math:`\theta_t = \theta_{t-1} - \rho u_{t-1} + (1+\rho) u_t`, equal for a constant
    :math:`\alpha`.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-3); an array of shape ``(K, 1)``
        runs K configurations, a function of the step count is a schedule.
    momentum : float or array
        :math:`\rho \in (0, 1)`, default 0.9.
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **coupled** L2 weight decay (added to
        :math:`g_t`). Default 0.
    convention : "torch" or "cs231n"
        See :class:`Momentum`.
    maximize : bool
        Maximise instead (torch's ``maximize``), see :class:`Momentum`. Default False.

    Examples
    --------
    >>> import numpy as np
    >>> import optlib
    >>> theta = np.array([1.0, -2.0])
    >>> optlib.Nesterov(lr=0.1, momentum=0.9).step(theta, 2 * theta)
    >>> theta  # b_1 = g_1 = (2, -4); step 0.1 (g_1 + 0.9 b_1) = 0.19 g_1
    array([ 0.62, -1.24])
    """

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        momentum: Hyper = 0.9,
        weight_decay: Hyper = 0.0,
        convention: Literal["torch", "cs231n"] = "torch",
        maximize: bool = False,
    ) -> None:
        super().__init__(
            lr, momentum, 0.0, weight_decay, nesterov=True, convention=convention, maximize=maximize
        )
