"""Full-matrix AdaGrad: one accumulated matrix instead of one number per coordinate (chapter 4).

Diagonal AdaGrad (:class:`optlib.AdaGrad`) divides each coordinate by the root of its own
summed squared gradients, so its rescaling follows the coordinate axes. The full-matrix
form of Duchi, Hazan and Singer accumulates the outer products of the gradients and
preconditions with the inverse root of that matrix, which turns with the problem: it is
rotation invariant. It costs an n×n matrix and an eigendecomposition per step for n
parameters, which is why it is used on small problems and approximated in practice
(Shampoo, K-FAC).
"""

from __future__ import annotations

import numpy as np

from .base import Hyper, LearningRate, Optimizer

#: Eigenvalues of G below this fraction of its largest are treated as exactly 0. Every
#: gradient lies in the range of G (G_t ⪰ g_t g_tᵀ), so the component of g_t along such an
#: eigenvector is 0 in exact arithmetic and only round-off in floating point.
NULL_RTOL = 1e3 * np.finfo(np.float64).eps


class FullMatrixAdaGrad(Optimizer):
    r"""Full-matrix AdaGrad (Duchi, Hazan & Singer 2011, with :math:`\delta = \varepsilon`).

    Update rule for :math:`t = 1, 2, \dots`, with :math:`g_t` a vector of n numbers::

        G_t = G_{t−1} + g_t g_tᵀ,   G_0 = 0                  (an n×n matrix)
        G_t = Q Λ Qᵀ                                          (eigh: Λ = diag(λ_1 … λ_n))
        θ_t = θ_{t−1} − α · Q diag(1/(√λ_i + ε)) Qᵀ g_t       (i.e. α (ε I + G_t^{1/2})^{−1} g_t)

    .. math::
        G_t = G_{t-1} + g_t g_t^\top, \qquad
        \theta_t = \theta_{t-1} - \alpha\,\bigl(\varepsilon I + G_t^{1/2}\bigr)^{-1} g_t

    Eigenvalues below ``NULL_RTOL`` times the largest are treated as 0, and the step has no
    component along their eigenvectors (there, g_t's component is only round-off). When
    every gradient has a single non-zero coordinate, G_t is diagonal and this is exactly
    :class:`optlib.AdaGrad`. Rotating the problem by R turns G_t into R G_t Rᵀ and every
    step by R, so the iterates are the same up to the rotation.

    **Shapes.** The *last axis* of each parameter array is one vector with its own n×n
    matrix; leading axes are independent (params of shape ``(K, 2)`` run K 2-D problems,
    each with a 2×2 matrix). The state ``G`` has shape ``params.shape + (n,)``.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`, the learning rate (default 1e-2). An array of shape ``(K, 1)``
        runs K configurations on params of shape ``(K, n)``; a function of the number of
        steps taken is a schedule.
    weight_decay : float or array
        :math:`\lambda_{\mathrm{wd}} \ge 0`, **coupled** L2 weight decay, added to
        :math:`g_t` before the rule. Default 0.
    eps : float or array
        :math:`\varepsilon > 0`, added to the roots of the eigenvalues. Default 1e-10.

    Examples
    --------
    >>> import numpy as np
    >>> theta = np.array([0.0, 0.0])
    >>> opt = FullMatrixAdaGrad(lr=1.0)
    >>> opt.step(theta, np.array([3.0, 4.0]))  # G = g gᵀ: the step is α g/|g|
    >>> theta.round(12)
    array([-0.6, -0.8])
    """

    hyperparameter_names = ("lr", "eps", "weight_decay")

    def __init__(self, lr: LearningRate = 1e-2, weight_decay: Hyper = 0.0, eps: Hyper = 1e-10):
        self.eps = self._hyper("eps", eps, 0.0)
        super().__init__(lr, weight_decay)

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        if p.ndim == 0:
            raise ValueError(
                "FullMatrixAdaGrad needs params with at least one axis (the vector whose "
                "gradients it accumulates); got a 0-d array"
            )
        if "G" not in state:
            state["G"] = np.zeros(p.shape + p.shape[-1:], dtype=p.dtype)
        G = state["G"] = state["G"] + g[..., :, None] * g[..., None, :]
        lam, Q = np.linalg.eigh(G)
        lam = np.maximum(lam, 0.0)  # G is PSD: a negative eigenvalue is round-off
        null = lam <= NULL_RTOL * lam[..., -1:]  # eigh sorts ascending: the last is largest
        eps = np.asarray(self.eps, dtype=p.dtype)
        inv_root = np.where(null, 0.0, 1.0 / (np.sqrt(lam) + eps))
        coeffs = np.einsum("...ji,...j->...i", Q, g)  # Qᵀ g
        p -= lr * np.einsum("...ij,...j->...i", Q, inv_root * coeffs)
