"""Adam and AdamW: momentum plus RMSProp, with bias correction (chapter 6)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Hyper, LearningRate, Optimizer


class Adam(Optimizer):
    r"""Adam, Kingma & Ba's Algorithm 1, as ``torch.optim.Adam``.

    Update rule, element-wise, for :math:`t = 1, 2, \dots` (the counter starts at **1**)::

        m_t = β1·m_{t−1} + (1 − β1)·g_t,    m_0 = 0
        v_t = β2·v_{t−1} + (1 − β2)·g_t²,   v_0 = 0
        m̂_t = m_t / (1 − β1^t),   v̂_t = v_t / (1 − β2^t)
        θ_t = θ_{t−1} − α_t·m̂_t / (√v̂_t + ε)

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2,

        \hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
        \theta_t = \theta_{t-1} - \alpha_t\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}

    Options for the other conventions in use:

    * ``folded=True``: TF/Keras' form, α'_t = α_t·√(1 − β2^t)/(1 − β1^t) and
      θ_t = θ_{t−1} − α'_t·m_t / (√v_t + ε). It equals Algorithm 1 with ε replaced by
      ε/√(1 − β2^t).
    * ``bias_correction=False``: "Adam (almost)" in CS231n's notes,
      θ_t = θ_{t−1} − α_t·m_t / (√v_t + ε).
    * ``eps_root``: optax's second ε, under the root: θ_t = θ_{t−1} − α_t·m̂_t / (√(v̂_t +
      eps_root) + ε). Default 0.
    * ``nesterov=True``: optax's Nesterov Adam (Dozat's NAdam without its momentum
      schedule), m̂_t replaced by β1·m_t/(1 − β1^{t+1}) + (1 − β1)·g_t/(1 − β1^t).
    * ``amsgrad=True``: AMSGrad (Reddi et al. 2018), as torch's ``amsgrad=True``. The
      rule divides by the largest second moment so far, v_t^max = max(v_{t−1}^max, v_t)
      with v_0^max = 0, in place of v_t: the step size of a coordinate can then never
      grow, which repairs Adam's non-convergence on Reddi et al.'s counterexample. Like
      torch (and Keras) the maximum is taken over the uncorrected v_t and then divided by
      1 − β2^t; optax's ``amsgrad`` takes it over v̂_t instead.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-3, torch's). An array of shape
        ``(K, 1)`` runs K configurations on params of shape ``(K, n)``; a function of the
        number of steps taken is a schedule (:mod:`optlib.schedules`).
    betas : pair of floats or arrays
        :math:`(\beta_1, \beta_2)`, each in [0, 1): the decays of :math:`m_t` and
        :math:`v_t`. Default (0.9, 0.999). Always a pair: ``betas=(0.8, 0.999)``.
    eps : float or array
        :math:`\varepsilon > 0`, added to :math:`\sqrt{\hat v_t}`. Default 1e-8.
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **coupled** L2 weight decay (torch's Adam):
        :math:`\lambda_{\mathrm{wd}}\theta_{t-1}` is added to :math:`g_t`, so the decay is
        rescaled by :math:`1/\sqrt{\hat v_t}` like the gradient. For decoupled decay use
        :class:`AdamW`. Default 0.
    bias_correction : bool
        Divide by :math:`1-\beta_1^t` and :math:`1-\beta_2^t` (default True).
    folded : bool
        Keras' folded form of the bias correction (see above).
    amsgrad : bool
        Use the running maximum of :math:`v_t` (AMSGrad, see above). Default False.
    eps_root : float or array
        :math:`\ge 0`, optax's ε under the square root (see above). Default 0.
    nesterov : bool
        optax's Nesterov momentum for Adam (see above). Default False.
    maximize : bool
        Maximise the objective instead (torch's ``maximize``): :math:`g_t` is negated
        before anything else, so a weight decay still pulls toward 0. Default False.

    Examples
    --------
    >>> import numpy as np
    >>> import optlib
    >>> theta = np.array([1.0, -2.0])
    >>> opt = optlib.Adam(lr=0.1)
    >>> opt.step(theta, 2 * theta)  # m̂_1 = g_1, √v̂_1 = |g_1|: a step of α per coordinate
    >>> theta
    array([ 0.9, -1.9])
    >>> opt.t
    1
    """

    hyperparameter_names = ("lr", "betas", "eps", "weight_decay")

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        betas: tuple[Hyper, Hyper] = (0.9, 0.999),
        eps: Hyper = 1e-8,
        weight_decay: Hyper = 0.0,
        bias_correction: bool = True,
        folded: bool = False,
        amsgrad: bool = False,
        eps_root: Hyper = 0.0,
        nesterov: bool = False,
        maximize: bool = False,
    ) -> None:
        if (
            isinstance(betas, str | bytes | np.ndarray)
            or not isinstance(betas, Sequence)
            or len(betas) != 2
        ):
            raise ValueError(
                f"betas must be a pair (beta1, beta2), e.g. betas=(0.9, 0.999); got {betas!r}"
            )
        self.betas = (
            self._hyper("betas[0]", betas[0], 0.0, 1.0, low_inclusive=True),
            self._hyper("betas[1]", betas[1], 0.0, 1.0, low_inclusive=True),
        )
        self.eps = self._hyper("eps", eps, 0.0)
        if folded and not bias_correction:
            raise ValueError("folded=True is a form of bias correction; it needs bias_correction")
        self.bias_correction = bool(bias_correction)
        self.eps_root = self._hyper("eps_root", eps_root, 0.0, low_inclusive=True)
        if (folded or not bias_correction) and (nesterov or np.any(self.eps_root)):
            raise ValueError(
                "nesterov and eps_root are options of Algorithm 1: they need "
                "bias_correction=True and folded=False"
            )
        self.folded = bool(folded)
        self.amsgrad = bool(amsgrad)
        self.nesterov = bool(nesterov)
        super().__init__(lr, weight_decay, maximize)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        beta1, beta2 = self.betas
        t = self.t
        m = state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
        v = state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
        if self.amsgrad:  # the largest v so far replaces v below
            v = state["v_max"] = np.maximum(state.get("v_max", 0.0), v)
        if not self.bias_correction:
            p -= lr * (m / (np.sqrt(v) + self.eps))
        elif self.folded:
            lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
            p -= lr_t * (m / (np.sqrt(v) + self.eps))
        elif self.nesterov or np.any(self.eps_root):  # optax's options, in optax's order
            m_hat = m / (1 - beta1**t)
            if self.nesterov:
                m_hat = beta1 * m / (1 - beta1 ** (t + 1)) + (1 - beta1) * g / (1 - beta1**t)
            p -= lr * (m_hat / (np.sqrt(v / (1 - beta2**t) + self.eps_root) + self.eps))
        else:  # Algorithm 1, in torch's order of operations
            step_size = lr / (1 - beta1**t)
            denom = np.sqrt(v) / np.sqrt(1 - beta2**t) + self.eps
            p -= step_size * (m / denom)


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter), as ``torch.optim.AdamW``: decoupled weight decay.

    Update rule, element-wise, for :math:`t = 1, 2, \dots`::

        θ ← θ_{t−1}·(1 − α_t·λ_wd)          (decay first, on the parameters)
        θ_t = θ − α_t·m̂_t / (√v̂_t + ε)     (then the Adam step on the raw g_t)

    .. math::
        \theta_t = \theta_{t-1}(1 - \alpha_t\lambda_{\mathrm{wd}})
                   - \alpha_t\,\frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}

    Unlike ``Adam(weight_decay=λ_wd)``, which adds :math:`\lambda_{\mathrm{wd}}\theta` to
    :math:`g` and so lets the decay be rescaled by :math:`1/\sqrt{\hat v}`, the shrinkage
    here is the same for every parameter. The decay per step is
    :math:`\alpha_t\lambda_{\mathrm{wd}}`, as in torch, optax and Keras; the paper writes
    :math:`\eta_t\lambda_{\mathrm{wd}}` with :math:`\eta_t` the schedule multiplier, not
    :math:`\alpha`, so its decay does not scale with the base learning rate.

    Keras' ``AdamW`` is ``AdamW(folded=True)``: Keras' folded Adam step after the same
    decay :math:`\theta \leftarrow \theta(1 - \alpha_t\lambda_{\mathrm{wd}})`.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-3). An array of shape ``(K, 1)``
        runs K configurations; a function of the number of steps taken is a schedule.
    betas : pair of floats or arrays
        :math:`(\beta_1, \beta_2)`, default (0.9, 0.999).
    eps : float or array
        :math:`\varepsilon > 0`, default 1e-8.
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **decoupled** decay: each step multiplies the
        parameters by :math:`1 - \alpha_t\lambda_{\mathrm{wd}}`. Default 1e-2, torch's
        (optax's is 1e-4).
    amsgrad : bool
        AMSGrad's running maximum of :math:`v_t`, as torch's ``amsgrad=True`` (see
        :class:`Adam`). Default False.
    folded : bool
        Keras' folded form of the Adam step (see :class:`Adam`). Default False.
    maximize : bool
        Maximise instead (torch's ``maximize``); the decay still pulls toward 0.

    Examples
    --------
    >>> import numpy as np
    >>> import optlib
    >>> theta = np.array([1.0, -2.0])
    >>> optlib.AdamW(lr=0.1, weight_decay=0.5).step(theta, 2 * theta)
    >>> theta  # θ·(1 − 0.1·0.5) = (0.95, −1.9), then a step of α = 0.1
    array([ 0.85, -1.8 ])
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        betas: tuple[Hyper, Hyper] = (0.9, 0.999),
        eps: Hyper = 1e-8,
        weight_decay: Hyper = 1e-2,
        amsgrad: bool = False,
        folded: bool = False,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            lr, betas, eps, weight_decay, folded=folded, amsgrad=amsgrad, maximize=maximize
        )

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        p *= 1 - lr * self.weight_decay
        super()._rule(p, g, state, lr)
