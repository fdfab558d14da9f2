"""Chapter 4: write AdaGrad."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..optimizers import AdaGrad
from ..problems import quadratic, rosenbrock
from .core import ITERATES, CheckResult, Mistake, compare, iterates


def _reference(grad, x0, lr, eps, steps):
    return iterates(AdaGrad(lr=lr, eps=eps), grad, x0, steps)


def _eps_inside(grad, x0, lr, eps, steps):
    return iterates(AdaGrad(lr=lr, eps=eps, eps_inside_sqrt=True), grad, x0, steps)


def _loop(grad, x0, lr, steps, accumulate, denominator):
    """AdaGrad-like iterates with a wrong accumulator or denominator, for the mistakes.

    ``accumulate(r, g, t)`` returns the new accumulator at step ``t`` (from 1)."""
    x, r = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        r_new = accumulate(r, g, t)
        x = x - lr * g / denominator(r, r_new)
        r = r_new
        xs.append(x.copy())
    return np.array(xs)


def _after_root(eps):
    return lambda r, r_new: np.sqrt(r_new) + eps


def _sums_g(grad, x0, lr, eps, steps):
    return _loop(grad, x0, lr, steps, lambda r, g, t: r + g, _after_root(eps))


def _no_sum(grad, x0, lr, eps, steps):
    return _loop(grad, x0, lr, steps, lambda r, g, t: g * g, _after_root(eps))


def _old_accumulator(grad, x0, lr, eps, steps):
    return _loop(grad, x0, lr, steps, lambda r, g, t: r + g * g, lambda r, r_new: np.sqrt(r) + eps)


def _no_root(grad, x0, lr, eps, steps):
    return _loop(grad, x0, lr, steps, lambda r, g, t: r + g * g, lambda r, r_new: r_new + eps)


def _one_accumulator(grad, x0, lr, eps, steps):
    # r = r + ‖g‖²: one number for the whole vector (AdaGrad-Norm)
    return _loop(grad, x0, lr, steps, lambda r, g, t: r + np.sum(g * g), _after_root(eps))


def _mean_over_coordinates(grad, x0, lr, eps, steps):
    # r = r + mean(g²): one number, the mean over the coordinates
    return _loop(grad, x0, lr, steps, lambda r, g, t: r + np.mean(g * g), _after_root(eps))


def _mean_over_steps(grad, x0, lr, eps, steps):
    # r_t = (1/t) Σ g²: the mean of the squared gradients so far instead of their sum
    return _loop(grad, x0, lr, steps, lambda r, g, t: r + (g * g - r) / t, _after_root(eps))


MISTAKES = (
    Mistake(
        _eps_inside,
        "you put ε inside the square root, √(r + ε) (optax's and Keras' form); here, as in "
        "torch, ε is added after the root: √r + ε.",
    ),
    Mistake(
        _sums_g,
        "your accumulator sums the gradients, r = r + g; AdaGrad sums their squares, "
        "r = r + g², which can never be negative.",
    ),
    Mistake(
        _no_sum,
        "your r holds only the current g² (r = g²), so every step has length α in each "
        "coordinate; AdaGrad accumulates, r = r + g².",
    ),
    Mistake(
        _old_accumulator,
        "you divided by the accumulator before adding this step's g², so the first step "
        "divides by ε alone; add g² to r first, then step.",
    ),
    Mistake(
        _no_root,
        "your denominator is r + ε: take the square root of the accumulator, √r + ε.",
    ),
    Mistake(
        _one_accumulator,
        "your accumulator is one number for the whole vector, r = r + ‖g‖² (this is "
        "AdaGrad-Norm): every coordinate then gets the same step size. AdaGrad keeps one "
        "accumulator per coordinate, r = r + g² element-wise, so a coordinate with small "
        "gradients gets a larger step.",
    ),
    Mistake(
        _mean_over_coordinates,
        "your accumulator is one number, the mean of g² over the coordinates: every coordinate "
        "then gets the same step size. AdaGrad keeps one accumulator per coordinate, "
        "r = r + g² element-wise.",
    ),
    Mistake(
        _mean_over_steps,
        "your r is the mean of the squared gradients so far, (g₁² + … + g_t²)/t, not their "
        "sum: it stays the size of one g², so the step never shrinks (closer to RMSProp). "
        "AdaGrad's r keeps growing, r = r + g², and its steps shrink like 1/√t.",
    ),
)


def adagrad(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, eps, steps)``, which must return the iterates
    ``θ_0, …, θ_steps`` (``x0`` is :math:`\theta_0`) of AdaGrad as an array of shape
    ``(steps + 1, 2)``:

    .. math::
        r_t = r_{t-1} + g_t^2, \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{r_t} + \varepsilon}\, g_t,
        \qquad r_0 = 0.
    """
    q = quadratic(10.0)
    cases = [
        dict(grad=q.grad, x0=q.start, lr=0.5, eps=1e-10, steps=10),
        dict(grad=rosenbrock.grad, x0=rosenbrock.start, lr=0.1, eps=1e-8, steps=30),
        # a large eps and small gradients, so that where eps goes changes every step visibly
        dict(grad=q.grad, x0=q.start / 10, lr=0.05, eps=0.1, steps=10),
    ]
    return compare("adagrad", user_fn, _reference, cases, MISTAKES, axes=ITERATES)
