"""Chapter 6: write Adam."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..optimizers import Adam
from ..problems import quadratic, rosenbrock
from .core import ITERATES, CheckResult, Mistake, compare, iterates


def _reference(grad, x0, lr, beta1, beta2, eps, steps):
    return iterates(Adam(lr=lr, betas=(beta1, beta2), eps=eps), grad, x0, steps)


def _t_from_zero(grad, x0, lr, beta1, beta2, eps, steps):
    # 1 − β⁰ = 0: the first update divides by zero (m̂ = v̂ = inf, so m̂/√v̂ is nan), and the
    # nan then spreads to every later point.
    xs = np.full((steps + 1, *np.shape(x0)), np.nan)
    xs[0] = x0
    return xs


def _no_bias_correction(grad, x0, lr, beta1, beta2, eps, steps):
    opt = Adam(lr=lr, betas=(beta1, beta2), eps=eps, bias_correction=False)
    return iterates(opt, grad, x0, steps)


def _folded(grad, x0, lr, beta1, beta2, eps, steps):
    return iterates(Adam(lr=lr, betas=(beta1, beta2), eps=eps, folded=True), grad, x0, steps)


def _swapped(grad, x0, lr, beta1, beta2, eps, steps):
    return iterates(Adam(lr=lr, betas=(beta2, beta1), eps=eps), grad, x0, steps)


def _eps_in_root(grad, x0, lr, beta1, beta2, eps, steps):
    # m̂ / √(v̂ + ε): where optax's eps_root goes (optax.adam(eps=0, eps_root=ε))
    x, m, v = np.array(x0, dtype=float), np.zeros(2), np.zeros(2)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        x = x - lr * (m / (1 - beta1**t)) / np.sqrt(v / (1 - beta2**t) + eps)
        xs.append(x.copy())
    return np.array(xs)


MISTAKES = (
    Mistake(
        _t_from_zero,
        "your bias correction starts at t = 0: 1 − β₁⁰ = 0, so the first step divides by "
        "zero and every point after x0 is nan. Count the steps from 1.",
    ),
    Mistake(
        _no_bias_correction,
        "you left out the bias correction (this is “Adam (almost)” in CS231n): divide m by "
        "1 − β₁ᵗ and v by 1 − β₂ᵗ.",
    ),
    Mistake(
        _folded,
        'you added ε before the bias correction (the folded form of Keras and "Deep Learning '
        'from Scratch", ε next to √v); Algorithm 1 adds ε to √v̂ = √(v / (1 − β₂ᵗ)).',
    ),
    Mistake(
        _swapped,
        "you swapped β₁ and β₂: β₁ averages the gradients (m), β₂ the squared gradients (v).",
    ),
    Mistake(
        _eps_in_root,
        "you put ε inside the square root, m̂ / √(v̂ + ε): that is where optax's eps_root "
        "goes (optax.adam(eps=0, eps_root=ε)). Algorithm 1, torch and optax's eps add it "
        "after the root: m̂ / (√v̂ + ε).",
    ),
)


def adam(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, beta1, beta2, eps, steps)``, which must return the
    iterates ``θ_0, …, θ_steps`` (``x0`` is :math:`\theta_0`) of Adam (Kingma & Ba's
    Algorithm 1) as an array of shape ``(steps + 1, 2)``:

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
        v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad
        \theta_t = \theta_{t-1} - \alpha \frac{m_t / (1-\beta_1^t)}{\sqrt{v_t / (1-\beta_2^t)}
        + \varepsilon},

    with :math:`m_0 = v_0 = 0` and :math:`t = 1` on the first update.
    """
    q = quadratic(10.0)
    defaults = dict(beta1=0.9, beta2=0.999, eps=1e-8)
    cases = [
        dict(grad=q.grad, x0=q.start, lr=0.1, steps=8, **defaults),
        dict(grad=rosenbrock.grad, x0=rosenbrock.start, lr=1e-2, steps=30, **defaults),
        # a large eps and small gradients, so that where eps goes changes every step visibly
        dict(grad=q.grad, x0=q.start / 10, lr=0.05, beta1=0.8, beta2=0.99, eps=0.01, steps=10),
    ]
    return compare("adam", user_fn, _reference, cases, MISTAKES, axes=ITERATES)
