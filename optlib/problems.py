"""Two-dimensional test functions with analytic gradients and Hessians.

Every function takes points of shape ``(..., 2)`` (any leading batch shape) and returns
values of shape ``(...)``, gradients of shape ``(..., 2)`` and Hessians ``(..., 2, 2)``.
A :class:`Problem` bundles them with the known minima, a plotting window and a start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Problem:
    """A test function with everything the chapters need to run and draw it."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    hessian: Callable[[np.ndarray], np.ndarray]
    minima: np.ndarray  #: shape (k, 2); the global minima first
    window: tuple[tuple[float, float], tuple[float, float]]  #: ((x_lo, x_hi), (y_lo, y_hi))
    start: np.ndarray  #: a default starting point, shape (2,)
    f_min: float = 0.0  #: the value at the global minimum
    description: str = field(default="", compare=False)

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        return self.f(np.asarray(xy, dtype=float))

    def __repr__(self) -> str:
        return f"Problem({self.name!r})"


def _split(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xy = np.asarray(xy, dtype=float)
    if xy.shape[-1:] != (2,):
        raise ValueError(f"points must have shape (..., 2); got {xy.shape}")
    return xy[..., 0], xy[..., 1]


def _stack(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    out = np.empty(np.broadcast_shapes(np.shape(dx), np.shape(dy)) + (2,))
    out[..., 0], out[..., 1] = dx, dy
    return out


def _hess(hxx: np.ndarray, hxy: np.ndarray, hyy: np.ndarray) -> np.ndarray:
    hxx, hxy, hyy = np.broadcast_arrays(hxx, hxy, hyy)
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


# ---------------------------------------------------------------------------------------
def quadratic(kappa: float = 10.0, angle: float = 0.0, lam_min: float = 1.0) -> Problem:
    r"""f(x) = ½ xᵀ A x with eigenvalues ``lam_min`` and ``kappa * lam_min``.

    ``angle`` (radians) rotates the eigenvectors away from the axes. With the defaults this
    is the slides' :math:`f = \tfrac12(x_1^2 + 10 x_2^2)`, condition number 10.
    """
    kappa = float(kappa)
    if not (np.isfinite(kappa) and kappa >= 1):
        raise ValueError(f"kappa must be a finite number >= 1; got {kappa!r}")
    if not (np.isfinite(lam_min) and lam_min > 0):
        raise ValueError(f"lam_min must be a finite number > 0; got {lam_min!r}")
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, -s], [s, c]])
    A = rot @ np.diag([lam_min, kappa * lam_min]) @ rot.T

    # Written element-wise (not with matmul) so that a batched evaluation gives bit-for-bit
    # the same numbers as evaluating each point alone.
    (a, b), (_, c) = A

    def f(xy):
        x, y = _split(xy)
        return 0.5 * (a * x * x + 2 * b * x * y + c * y * y)

    def grad(xy):
        x, y = _split(xy)
        return _stack(a * x + b * y, b * x + c * y)

    def hessian(xy):
        _split(xy)
        return np.broadcast_to(A, np.shape(xy)[:-1] + (2, 2)).copy()

    r = 1.0 / np.sqrt(lam_min)
    name = f"quadratic (κ = {kappa:g})" if angle == 0 else f"rotated quadratic (κ = {kappa:g})"
    return Problem(
        name,
        f,
        grad,
        hessian,
        np.zeros((1, 2)),
        window=((-3 * r, 3 * r), (-2 * r, 2 * r)),
        start=rot @ np.array([-2.5 * r, 1.0 * r]) if angle else np.array([-2.5 * r, 1.0 * r]),
        description="½ xᵀAx, eigenvalues lam_min and kappa·lam_min",
    )


def rotated_quadratic(kappa: float = 10.0, angle: float = np.pi / 4) -> Problem:
    """The quadratic with its axes turned by ``angle`` (45° by default)."""
    return quadratic(kappa, angle)


# ---------------------------------------------------------------------------------------
def _beale(xy):
    x, y = _split(xy)
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _beale_grad(xy):
    x, y = _split(xy)
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    dx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    dy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return _stack(dx, dy)


def _beale_hessian(xy):
    x, y = _split(xy)
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    hxx = 2 * (y - 1) ** 2 + 2 * (y**2 - 1) ** 2 + 2 * (y**3 - 1) ** 2
    hxy = (
        2 * x * (y - 1)
        + 2 * a
        + 2 * 2 * x * y * (y**2 - 1)
        + 4 * b * y
        + 2 * 3 * x * y**2 * (y**3 - 1)
        + 6 * c * y**2
    )
    hyy = 2 * x**2 + 2 * (2 * x * y) ** 2 + 4 * b * x + 2 * (3 * x * y**2) ** 2 + 12 * c * x * y
    return _hess(hxx, hxy, hyy)


beale = Problem(
    "Beale",
    _beale,
    _beale_grad,
    _beale_hessian,
    np.array([[3.0, 0.5]]),
    window=((-4.5, 4.5), (-4.5, 4.5)),
    start=np.array([0.7, 1.4]),
    description="(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
)


# ---------------------------------------------------------------------------------------
def _rosenbrock(xy):
    x, y = _split(xy)
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(xy):
    x, y = _split(xy)
    return _stack(-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2))


def _rosenbrock_hessian(xy):
    x, y = _split(xy)
    return _hess(2 - 400 * (y - x**2) + 800 * x**2, -400 * x, 200.0 + 0 * x)


rosenbrock = Problem(
    "Rosenbrock",
    _rosenbrock,
    _rosenbrock_grad,
    _rosenbrock_hessian,
    np.array([[1.0, 1.0]]),
    window=((-2.0, 2.0), (-1.0, 3.0)),
    start=np.array([-1.5, 2.0]),
    description="(1 − x)² + 100 (y − x²)²: the long curved valley",
)


# ---------------------------------------------------------------------------------------
def _saddle(xy):
    x, y = _split(xy)
    return x**2 - y**2


def _saddle_grad(xy):
    x, y = _split(xy)
    return _stack(2 * x, -2 * y)


def _saddle_hessian(xy):
    x, _ = _split(xy)
    return _hess(2.0 + 0 * x, 0 * x, -2.0 + 0 * x)


saddle = Problem(
    "saddle",
    _saddle,
    _saddle_grad,
    _saddle_hessian,
    np.empty((0, 2)),
    window=((-2.0, 2.0), (-2.0, 2.0)),
    start=np.array([1.5, 1e-3]),
    f_min=-np.inf,
    description="x² − y²: a saddle at the origin and no minimum (unbounded below)",
)


# ---------------------------------------------------------------------------------------
def _himmelblau(xy):
    x, y = _split(xy)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(xy):
    x, y = _split(xy)
    a, b = x**2 + y - 11, x + y**2 - 7
    return _stack(4 * x * a + 2 * b, 2 * a + 4 * y * b)


def _himmelblau_hessian(xy):
    x, y = _split(xy)
    return _hess(12 * x**2 + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y**2 - 26)


himmelblau = Problem(
    "Himmelblau",
    _himmelblau,
    _himmelblau_grad,
    _himmelblau_hessian,
    np.array(
        [
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286170],
            [3.584428340330492, -1.848126526964404],
        ]
    ),
    window=((-5.0, 5.0), (-5.0, 5.0)),
    start=np.array([0.0, 0.0]),
    description="(x² + y − 11)² + (x + y² − 7)²: four minima, all with f = 0",
)


# ---------------------------------------------------------------------------------------
def _rastrigin(xy):
    x, y = _split(xy)
    return 20 + x**2 - 10 * np.cos(2 * np.pi * x) + y**2 - 10 * np.cos(2 * np.pi * y)


def _rastrigin_grad(xy):
    x, y = _split(xy)
    w = 2 * np.pi
    return _stack(2 * x + 10 * w * np.sin(w * x), 2 * y + 10 * w * np.sin(w * y))


def _rastrigin_hessian(xy):
    x, y = _split(xy)
    w = 2 * np.pi
    return _hess(2 + 10 * w**2 * np.cos(w * x), 0 * x, 2 + 10 * w**2 * np.cos(w * y))


rastrigin = Problem(
    "Rastrigin",
    _rastrigin,
    _rastrigin_grad,
    _rastrigin_hessian,
    np.array([[0.0, 0.0]]),
    window=((-4.5, 4.5), (-4.5, 4.5)),
    start=np.array([2.2, -2.6]),
    description="20 + Σ (x² − 10 cos 2πx): a grid of local minima around (0, 0)",
)


# ---------------------------------------------------------------------------------------
def _exponential_bowl(xy):
    x1, x2 = _split(xy)
    return np.exp(x1 / 5) + 5 * x1**2 + 3 * x2**2 - 2 * x1 * x2 - 7 * x1 - 8 * x2 + 5


def _exponential_bowl_grad(xy):
    x1, x2 = _split(xy)
    return _stack(np.exp(x1 / 5) / 5 + 10 * x1 - 2 * x2 - 7, 6 * x2 - 2 * x1 - 8)


def _exponential_bowl_hessian(xy):
    x1, _ = _split(xy)
    return _hess(np.exp(x1 / 5) / 25 + 10, -2.0 + 0 * x1, 6.0 + 0 * x1)


# The minimum solves ∇f = 0; it has no closed form, so it was found by Newton's method
# (tests/test_problems.py checks that the gradient vanishes there).
_EXPONENTIAL_BOWL_MIN = np.array([1.009491637512431, 1.669830545837477])

exponential_bowl = Problem(
    "exponential bowl",
    _exponential_bowl,
    _exponential_bowl_grad,
    _exponential_bowl_hessian,
    _EXPONENTIAL_BOWL_MIN[None, :],
    window=((-2.0, 4.0), (-1.5, 4.5)),
    start=np.array([-1.5, 4.0]),
    f_min=float(_exponential_bowl(_EXPONENTIAL_BOWL_MIN)),
    description=(
        "exp(x1/5) + 5x1² + 3x2² − 2x1x2 − 7x1 − 8x2 + 5, from the Korean blog post on "
        "optimizers the course grew from"
    ),
)

#: Every fixed problem by short name (quadratics are made by :func:`quadratic`).
PROBLEMS: dict[str, Problem] = {
    "beale": beale,
    "rosenbrock": rosenbrock,
    "saddle": saddle,
    "himmelblau": himmelblau,
    "rastrigin": rastrigin,
    "exponential_bowl": exponential_bowl,
}
