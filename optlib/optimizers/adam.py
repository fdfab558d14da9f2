"""Adam and AdamW: momentum plus RMSProp, with bias correction (chapter 6)."""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer, check_range


class Adam(Optimizer):
    r"""Adam, Kingma & Ba's Algorithm 1, as ``torch.optim.Adam``.

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2,

        \hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
        \theta_t = \theta_{t-1} - \alpha\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}

    with :math:`m_0 = v_0 = 0` and the step counter :math:`t` starting at **1**.

    Options for the other conventions in use:

    * ``folded=True``: TF/Keras' form :math:`\alpha_t = \alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)`,
      :math:`\theta_t = \theta_{t-1} - \alpha_t\, m_t / (\sqrt{v_t} + \varepsilon)`; it equals
      Algorithm 1 with :math:`\varepsilon` replaced by :math:`\varepsilon/\sqrt{1-\beta_2^t}`.
    * ``bias_correction=False``: "Adam (almost)", :math:`m_t / (\sqrt{v_t} + \varepsilon)`.
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
    ) -> None:
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2); got {betas!r}")
        self.betas = (
            check_range("betas[0]", betas[0], 0.0, 1.0, low_inclusive=True),
            check_range("betas[1]", betas[1], 0.0, 1.0, low_inclusive=True),
        )
        self.eps = check_range("eps", eps, 0.0)
        if folded and not bias_correction:
            raise ValueError("folded=True is a form of bias correction; it needs bias_correction")
        self.bias_correction = bool(bias_correction)
        self.folded = bool(folded)
        super().__init__(lr, weight_decay)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        beta1, beta2 = self.betas
        t = self.t
        m = state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
        v = state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
        if not self.bias_correction:
            p -= lr * (m / (np.sqrt(v) + self.eps))
        elif self.folded:
            lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
            p -= lr_t * (m / (np.sqrt(v) + self.eps))
        else:  # Algorithm 1, in torch's order of operations
            step_size = lr / (1 - beta1**t)
            denom = np.sqrt(v) / np.sqrt(1 - beta2**t) + self.eps
            p -= step_size * (m / denom)


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter), as ``torch.optim.AdamW``: decoupled weight decay.

    .. math::
        \theta \leftarrow \theta\,(1 - \alpha\lambda), \quad \text{then the Adam step on } g

    Unlike ``Adam(weight_decay=λ)``, which adds :math:`\lambda\theta` to :math:`g` and so lets
    the decay be rescaled by :math:`1/\sqrt{\hat v}`, the shrinkage here is the same for every
    parameter. torch's default :math:`\lambda` is 1e-2 (optax's is 1e-4).
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        betas: tuple[Hyper, Hyper] = (0.9, 0.999),
        eps: Hyper = 1e-8,
        weight_decay: Hyper = 1e-2,
    ) -> None:
        super().__init__(lr, betas, eps, weight_decay)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        p *= 1 - lr * self.weight_decay
        super()._rule(p, g, state, lr)
