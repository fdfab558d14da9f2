"""Chapter 5: write RMSProp."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..optimizers import AdaGrad, RMSProp
from ..problems import quadratic, rosenbrock
from .core import ITERATES, CheckResult, Mistake, compare, iterates


def _reference(grad, x0, lr, beta, eps, steps):
    return iterates(RMSProp(lr=lr, alpha=beta, eps=eps), grad, x0, steps)


def _swapped(grad, x0, lr, beta, eps, steps):
    return iterates(RMSProp(lr=beta, alpha=lr, eps=eps), grad, x0, steps)


def _sum(grad, x0, lr, beta, eps, steps):
    return iterates(AdaGrad(lr=lr, eps=eps), grad, x0, steps)


def _eps_inside(grad, x0, lr, beta, eps, steps):
    return iterates(RMSProp(lr=lr, alpha=beta, eps=eps, eps_inside_sqrt=True), grad, x0, steps)


def _no_one_minus_beta(grad, x0, lr, beta, eps, steps):
    # r = βr + g² is (1 − β)⁻¹ times the average, so the step equals RMSProp's with lr and
    # eps both multiplied by √(1 − β).
    scale = np.sqrt(1 - beta)
    return iterates(RMSProp(lr=lr * scale, alpha=beta, eps=eps * scale), grad, x0, steps)


def _loop(grad, x0, lr, beta, eps, steps, average, correct):
    """RMSProp-like iterates with a wrong average or an added correction, for the mistakes.

    ``average(r, g)`` is the new average; ``correct(r, t)`` what divides the gradient."""
    x, r = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        r = average(r, g)
        x = x - lr * g / (np.sqrt(correct(r, t)) + eps)
        xs.append(x.copy())
    return np.array(xs)


def _bias_corrected(grad, x0, lr, beta, eps, steps):
    # Adam's bias correction borrowed: r̂ = r / (1 − βᵗ)
    return _loop(
        grad,
        x0,
        lr,
        beta,
        eps,
        steps,
        lambda r, g: beta * r + (1 - beta) * g * g,
        lambda r, t: r / (1 - beta**t),
    )


def _weights_swapped(grad, x0, lr, beta, eps, steps):
    # r = (1 − β) r + β g²: the new gradient gets the large weight
    return _loop(
        grad,
        x0,
        lr,
        beta,
        eps,
        steps,
        lambda r, g: (1 - beta) * r + beta * g * g,
        lambda r, t: r,
    )


MISTAKES = (
    Mistake(
        _swapped,
        "you swapped the learning rate and the decay: β multiplies the old r, α multiplies "
        "the step (the slides write α for both; keep them apart).",
    ),
    Mistake(
        _sum,
        "your r is a running sum, r = r + g², which is AdaGrad; RMSProp keeps a moving "
        "average, r = βr + (1 − β)g².",
    ),
    Mistake(
        _eps_inside,
        "you put ε inside the square root, √(r + ε) (optax's default); here, as in torch, "
        "ε is added after it: √r + ε.",
    ),
    Mistake(
        _no_one_minus_beta,
        "your average lacks the (1 − β) factor: write r = βr + (1 − β)g², not r = βr + g².",
    ),
    Mistake(
        _bias_corrected,
        "you divided r by 1 − βᵗ, Adam's bias correction. RMSProp (Hinton's, torch's) has "
        "none: r starts at 0 uncorrected, so its first steps are large, about α/√(1 − β).",
    ),
    Mistake(
        _weights_swapped,
        "you swapped β and 1 − β: r = (1 − β)r + βg² gives the new gradient the large "
        "weight and forgets the past at once. Write r = βr + (1 − β)g², with β close to 1.",
    ),
)


def rmsprop(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, beta, eps, steps)``, which must return the iterates
    ``θ_0, …, θ_steps`` (``x0`` is :math:`\theta_0`) of RMSProp as an array of shape
    ``(steps + 1, 2)``:

    .. math::
        r_t = \beta r_{t-1} + (1-\beta) g_t^2, \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{r_t} + \varepsilon} g_t, \qquad r_0 = 0.
    """
    q = quadratic(10.0)
    cases = [
        dict(grad=q.grad, x0=q.start, lr=0.1, beta=0.9, eps=1e-8, steps=8),
        dict(grad=rosenbrock.grad, x0=rosenbrock.start, lr=1e-3, beta=0.99, eps=1e-8, steps=30),
        # a large eps and small gradients, so that where eps goes changes every step visibly
        dict(grad=q.grad, x0=q.start / 10, lr=0.05, beta=0.5, eps=0.1, steps=10),
    ]
    return compare("rmsprop", user_fn, _reference, cases, MISTAKES, axes=ITERATES)
