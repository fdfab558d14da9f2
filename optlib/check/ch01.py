r"""Chapter 1: write gradient descent.

The reader writes ``gradient_descent(grad, x0, lr, steps)``, which returns the iterates
:math:`x_0, x_1, \dots, x_{steps}` of :math:`x_t = x_{t-1} - \alpha\, \nabla f(x_{t-1})`
as an array of shape ``(steps + 1, 2)``. :data:`MISTAKES` lists the wrong answers the
checker recognises and explains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..problems import quadratic, rosenbrock
from .core import ITERATES, CheckResult, Mistake, compare


def _reference(grad, x0, lr, steps):
    xs = [np.array(x0, dtype=float)]
    for _ in range(steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)


def _ascent(grad, x0, lr, steps):
    xs = [np.array(x0, dtype=float)]
    for _ in range(steps):
        xs.append(xs[-1] + lr * grad(xs[-1]))
    return np.array(xs)


def _frozen_gradient(grad, x0, lr, steps):
    g0 = grad(np.array(x0, dtype=float))
    return np.array([x0 - k * lr * g0 for k in range(steps + 1)])


def _coordinatewise(grad, x0, lr, steps):
    # x[0] is updated, then the gradient for x[1] is taken at the half-updated point.
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(steps):
        for i in range(len(x)):
            x[i] -= lr * grad(x)[i]
        xs.append(x.copy())
    return np.array(xs)


def _aliased(grad, x0, lr, steps):
    final = _reference(grad, x0, lr, steps)[-1]
    return np.repeat(final[None], steps + 1, axis=0)


def _no_start(grad, x0, lr, steps):
    return _reference(grad, x0, lr, steps)[1:]


def _one_step_short(grad, x0, lr, steps):
    return _reference(grad, x0, lr, steps - 1)


def _transposed(grad, x0, lr, steps):
    return _reference(grad, x0, lr, steps).T


#: The known wrong answers, each with the feedback the reader gets.
MISTAKES: tuple[Mistake, ...] = (
    Mistake(_ascent, "your iterates climb: add −lr·∇f(x), not +lr·∇f(x)."),
    Mistake(
        _frozen_gradient,
        "every step uses the gradient at x0; recompute ∇f at the current point on each step.",
    ),
    Mistake(
        _coordinatewise,
        "you update x[0] first and then take the gradient for x[1] at the "
        "half-updated point; compute g = grad(x) once per step and move "
        "every coordinate with that same g.",
    ),
    Mistake(
        _aliased,
        "every row is the same point: you stored x itself and then changed it "
        "in place; store a copy (xs.append(x.copy())) or write x = x - …",
    ),
    Mistake(
        _no_start,
        "the starting point is missing: row 0 must be x0, so the array has steps + 1 rows.",
    ),
    Mistake(
        _one_step_short,
        "you took steps − 1 updates: after x0 there must be one row per "
        "step, steps + 1 rows in all.",
    ),
    Mistake(
        _transposed,
        "your array is transposed: return one row per iterate, shape "
        "(steps + 1, 2), not one row per coordinate.",
    ),
)


def gradient_descent(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(grad, x0, lr, steps)``, which must return the iterates
    ``x_0, x_1, …, x_steps`` of gradient descent as an array of shape ``(steps + 1, 2)``.

    The cases: the quadratic :math:`\tfrac12(x^2 + 10y^2)` at a small and at an
    oscillating step size, and Rosenbrock, whose coordinates are coupled (the case that
    catches a coordinate-by-coordinate update).
    """
    q = quadratic(10.0)
    cases = [
        dict(grad=q.grad, x0=np.array([-2.5, 1.0]), lr=0.05, steps=5),
        dict(grad=q.grad, x0=np.array([1.0, -1.0]), lr=0.19, steps=12),
        dict(grad=rosenbrock.grad, x0=np.array([-1.5, 2.0]), lr=1e-3, steps=20),
    ]
    return compare("gradient_descent", user_fn, _reference, cases, MISTAKES, axes=ITERATES)
