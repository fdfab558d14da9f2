"""Chapter 3: write heavy-ball momentum and Nesterov's look-ahead."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..optimizers import SGD, Momentum, Nesterov
from ..problems import quadratic, rosenbrock
from .core import CheckResult, Mistake, compare, iterates


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
    # x ← x + αb: the velocity is added with the wrong sign (or v = ρv − g, then x ← x − αv).
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
    # the seed-000 class: the update sits inside `if self.v is None:`, so only call 1 moves
    first = iterates(SGD(lr=lr), grad, x0, 1)[1]
    return np.vstack([x0[None], np.repeat(first[None], steps, axis=0)])


def _lr_twice(grad, x0, lr, momentum, steps):
    # v = ρv + αg, then x ← x − αv: every gradient is scaled by α²
    return iterates(Momentum(lr=lr * lr, momentum=momentum), grad, x0, steps)


def _stale_velocity(grad, x0, lr, momentum, steps):
    # x ← x − αb with the old b, and only then b ← ρb + g: the gradient arrives a step late
    x, b = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        x = x - lr * b
        b = momentum * b + g
        xs.append(x.copy())
    return np.array(xs)


MOMENTUM_MISTAKES = (
    Mistake(
        _climbs,
        "your iterates climb: the velocity must be subtracted, x ← x − α·v with v = ρv + ∇f "
        "(or, in the other form, v = ρv − α∇f and x ← x + v).",
    ),
    Mistake(
        _not_carried,
        "this is plain gradient descent: v is not carried from one step to the next. Keep v "
        "outside the loop and update it, v = ρv + ∇f.",
    ),
    Mistake(
        _first_call_only,
        "only the first step moves x, and x then stays put: the update sits inside the branch "
        "that creates v (the indentation bug of the seed-000 Momentum class).",
    ),
    Mistake(
        _lr_twice,
        "the learning rate is applied twice (v = ρv + α∇f and then x ← x − αv): put α in the "
        "velocity or in the step, not in both.",
    ),
    Mistake(
        _stale_velocity,
        "the step uses the velocity from before this step's gradient was added: update "
        "v = ρv + ∇f first, then move x ← x − αv.",
    ),
)


def momentum_descent(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, momentum, steps)``, which must return the iterates
    ``x_0, …, x_steps`` of heavy-ball momentum as an array of shape ``(steps + 1, 2)``:

    .. math::
        v_t = \rho\, v_{t-1} + \nabla f(x_{t-1}), \qquad x_t = x_{t-1} - \alpha\, v_t,
        \qquad v_0 = 0.
    """
    return compare("momentum_descent", user_fn, _momentum_reference, _cases(), MOMENTUM_MISTAKES)


# -- Nesterov ----------------------------------------------------------------------------
def _nesterov_reference(grad, x0, lr, momentum, steps):
    return iterates(Nesterov(lr=lr, momentum=momentum), grad, x0, steps)


def _squared_momentum(grad, x0, lr, momentum, steps):
    # "Deep Learning from Scratch" / Chainer: ρ² multiplies the velocity *after* its update
    x, v = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        v = momentum * v - lr * g
        x = x + momentum * momentum * v - (1 + momentum) * lr * g
        xs.append(x.copy())
    return np.array(xs)


def _buffer_without_rho(grad, x0, lr, momentum, steps):
    # the look-ahead adds the whole buffer, x ← x − α(g + b), instead of ρ·b
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
        "this is heavy-ball momentum, x ← x − α·b: the look-ahead is missing. Nesterov steps "
        "along the gradient plus the new buffer, x ← x − α(∇f + ρ·b).",
    ),
    Mistake(
        _squared_momentum,
        "ρ² multiplies the velocity after it was updated (the Nesterov of 'Deep Learning from "
        "Scratch' and Chainer): the look-ahead form is x ← x − ρ·v_old + (1 + ρ)·v_new.",
    ),
    Mistake(
        _buffer_without_rho,
        "the look-ahead term is ρ·b, not b: step x ← x − α(∇f + ρ·b), with b = ρb + ∇f.",
    ),
)


def nesterov_descent(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, momentum, steps)``, which must return the iterates
    ``x_0, …, x_steps`` of Nesterov momentum in torch's form, shape ``(steps + 1, 2)``:

    .. math::
        b_t = \rho\, b_{t-1} + \nabla f(x_{t-1}), \qquad
        x_t = x_{t-1} - \alpha\,\bigl(\nabla f(x_{t-1}) + \rho\, b_t\bigr), \qquad b_0 = 0.
    """
    return compare("nesterov_descent", user_fn, _nesterov_reference, _cases(), NESTEROV_MISTAKES)
