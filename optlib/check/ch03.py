"""Chapter 3: write heavy-ball momentum and Nesterov's look-ahead."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..optimizers import SGD, Momentum, Nesterov
from ..problems import quadratic, rosenbrock
from .core import ITERATES, CheckResult, Mistake, compare, iterates


def _cases() -> list[dict]:
    q = quadratic(10.0)
    return [
        dict(grad=q.grad, x0=q.start, lr=0.05, momentum=0.9, steps=8),
        dict(grad=rosenbrock.grad, x0=rosenbrock.start, lr=1e-3, momentum=0.9, steps=25),
        dict(grad=q.grad, x0=np.array([1.0, -1.0]), lr=0.02, momentum=0.5, steps=12),
    ]


# -- momentum ----------------------------------------------------------------------------
def _momentum_reference(grad, x0, lr, momentum, steps):
    return iterates(Momentum(lr=lr, momentum=momentum), grad, x0, steps)


def _climbs(grad, x0, lr, momentum, steps):
    # θ ← θ + αb: the buffer is added with the wrong sign (or u = ρu − g, then θ ← θ − αu).
    x, b = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        b = momentum * b + grad(x)
        x = x + lr * b
        xs.append(x.copy())
    return np.array(xs)


def _not_carried(grad, x0, lr, momentum, steps):
    # the velocity restarts at zero on every step: plain gradient descent
    return iterates(SGD(lr=lr), grad, x0, steps)


def _first_call_only(grad, x0, lr, momentum, steps):
    # the Korean blog post's Momentum class: the update sits inside `if self.v is None:`, so
    # only call 1 moves
    first = iterates(SGD(lr=lr), grad, x0, 1)[1]
    return np.vstack([x0[None], np.repeat(first[None], steps, axis=0)])


def _lr_twice(grad, x0, lr, momentum, steps):
    # b = ρb + αg, then θ ← θ − αb: every gradient is scaled by α²
    return iterates(Momentum(lr=lr * lr, momentum=momentum), grad, x0, steps)


def _stale_velocity(grad, x0, lr, momentum, steps):
    # θ ← θ − αb with the old b, and only then b ← ρb + g: the gradient arrives a step late
    x, b = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        x = x - lr * b
        b = momentum * b + g
        xs.append(x.copy())
    return np.array(xs)


def _average(grad, x0, lr, momentum, steps):
    # b = ρb + (1 − ρ)g, the EMA form: exactly (1 − ρ) times heavy ball's buffer
    return iterates(Momentum(lr=lr * (1 - momentum), momentum=momentum), grad, x0, steps)


MOMENTUM_MISTAKES = (
    Mistake(
        _climbs,
        "your iterates climb: the buffer must be subtracted, θ ← θ − α·b with b = ρb + ∇f "
        "(or, in CS231n's form, u = ρu − α∇f and θ ← θ + u).",
    ),
    Mistake(
        _not_carried,
        "this is plain gradient descent: the buffer b is not carried from one step to the "
        "next. Keep b outside the loop and update it, b = ρb + ∇f.",
    ),
    Mistake(
        _first_call_only,
        "only the first step moves x, and x then stays put: the update sits inside the branch "
        "that creates the velocity (the indentation bug of the Momentum class in the Korean "
        "blog post on optimizer algorithms).",
    ),
    Mistake(
        _lr_twice,
        "the learning rate is applied twice (b = ρb + α∇f and then θ ← θ − αb): put α in the "
        "buffer or in the step, not in both.",
    ),
    Mistake(
        _stale_velocity,
        "the step uses the buffer from before this step's gradient was added: update "
        "b = ρb + ∇f first, then move θ ← θ − αb.",
    ),
    Mistake(
        _average,
        "your buffer is an average of the gradients, b = ρb + (1 − ρ)∇f (the EMA form some "
        "courses teach, like Adam's m). That is (1 − ρ) times heavy ball's b, so every step "
        "is 1 − ρ times as long: heavy ball sums, b = ρb + ∇f. (The EMA form with the "
        "learning rate α/(1 − ρ) is the same method.)",
    ),
)


def momentum_descent(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, momentum, steps)``, which must return the iterates
    ``θ_0, …, θ_steps`` (``x0`` is :math:`\theta_0`) of heavy-ball momentum as an array of
    shape ``(steps + 1, 2)``:

    .. math::
        b_t = \rho\, b_{t-1} + \nabla f(\theta_{t-1}), \qquad
        \theta_t = \theta_{t-1} - \alpha\, b_t, \qquad b_0 = 0.
    """
    return compare(
        "momentum_descent",
        user_fn,
        _momentum_reference,
        _cases(),
        MOMENTUM_MISTAKES,
        axes=ITERATES,
    )


# -- Nesterov ----------------------------------------------------------------------------
def _nesterov_reference(grad, x0, lr, momentum, steps):
    return iterates(Nesterov(lr=lr, momentum=momentum), grad, x0, steps)


def _squared_momentum(grad, x0, lr, momentum, steps):
    # "Deep Learning from Scratch" / Chainer: ρ² multiplies the velocity *after* its update
    x, u = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        u = momentum * u - lr * g
        x = x + momentum * momentum * u - (1 + momentum) * lr * g
        xs.append(x.copy())
    return np.array(xs)


def _sutskever(grad, x0, lr, momentum, steps):
    # Sutskever et al. (2013): the gradient at the look-ahead point θ + ρu
    x, u = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        u = momentum * u - lr * grad(x + momentum * u)
        x = x + u
        xs.append(x.copy())
    return np.array(xs)


def _buffer_without_rho(grad, x0, lr, momentum, steps):
    # the look-ahead adds the whole buffer, θ ← θ − α(g + b), instead of ρ·b
    x, b = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        b = momentum * b + g
        x = x - lr * (g + b)
        xs.append(x.copy())
    return np.array(xs)


NESTEROV_MISTAKES = (
    Mistake(
        _momentum_reference,
        "this is heavy-ball momentum, θ ← θ − α·b: the look-ahead is missing. Nesterov steps "
        "along the gradient plus the new buffer, θ ← θ − α(∇f + ρ·b).",
    ),
    Mistake(
        _squared_momentum,
        "ρ² multiplies the velocity after it was updated (the Nesterov of 'Deep Learning from "
        "Scratch' and Chainer): the look-ahead form is θ ← θ − ρ·u_old + (1 + ρ)·u_new.",
    ),
    Mistake(
        _buffer_without_rho,
        "the look-ahead term is ρ·b, not b: step θ ← θ − α(∇f + ρ·b), with b = ρb + ∇f.",
    ),
    Mistake(
        _sutskever,
        "you wrote Sutskever et al.'s form, u = ρu − α∇f(θ + ρu), θ ← θ + u, with the "
        "gradient at the look-ahead point θ + ρu. It is the same method, but it returns other "
        "points: torch's form keeps the look-ahead point itself, φ = θ + ρu, as its iterate, "
        "so it needs the gradient only where it stands. The checker expects torch's iterates: "
        "b = ρb + ∇f(θ), θ ← θ − α(∇f(θ) + ρ·b).",
    ),
)


def nesterov_descent(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, momentum, steps)``, which must return the iterates
    ``θ_0, …, θ_steps`` (``x0`` is :math:`\theta_0`) of Nesterov momentum in torch's form,
    shape ``(steps + 1, 2)``:

    .. math::
        b_t = \rho\, b_{t-1} + \nabla f(\theta_{t-1}), \qquad
        \theta_t = \theta_{t-1} - \alpha\,\bigl(\nabla f(\theta_{t-1}) + \rho\, b_t\bigr),
        \qquad b_0 = 0.
    """
    return compare(
        "nesterov_descent",
        user_fn,
        _nesterov_reference,
        _cases(),
        NESTEROV_MISTAKES,
        axes=ITERATES,
    )
