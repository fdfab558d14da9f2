"""Plain (stochastic) gradient descent: the rule every other optimizer refines."""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer


class SGD(Optimizer):
    r"""Gradient descent, :math:`\theta \leftarrow \theta - \alpha\, g`.

    Same as ``torch.optim.SGD(params, lr)`` with its default ``momentum=0``; with
    ``weight_decay`` :math:`\lambda`, ``g`` is replaced by :math:`g + \lambda\theta` first.
    For momentum use :class:`Momentum` or :class:`Nesterov`.
    """

    def __init__(self, lr: LearningRate = 1e-3, weight_decay: Hyper = 0.0) -> None:
        super().__init__(lr, weight_decay)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        p -= lr * g
