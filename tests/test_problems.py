"""The test functions: gradients and Hessians against finite differences, minima, batching."""

import numpy as np
import pytest

from optlib import problems
from optlib.problems import PROBLEMS, quadratic, rotated_quadratic

ALL_PROBLEMS = [
    *PROBLEMS.values(),
    quadratic(10.0),
    rotated_quadratic(50.0),
    quadratic(3, lam_min=2),
]
IDS = [p.name for p in ALL_PROBLEMS]


def random_points(problem, n=25, seed=0):
    (x0, x1), (y0, y1) = problem.window
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], -1)


def central_difference(fun, xy, h=1e-6):
    """d fun / d xy by central differences, for fun mapping (..., 2) to (...) or (..., 2)."""
    cols = []
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        cols.append((fun(xy + e) - fun(xy - e)) / (2 * h))
    return np.stack(cols, -1)


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_gradient_matches_finite_differences(problem):
    xy = random_points(problem)
    numeric = central_difference(problem.f, xy)
    scale = np.maximum(1.0, np.abs(numeric))
    assert np.max(np.abs(problem.grad(xy) - numeric) / scale) < 1e-6


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_hessian_matches_finite_differences_of_gradient(problem):
    xy = random_points(problem, seed=1)
    numeric = central_difference(problem.grad, xy)  # [..., i, j] = d g_i / d x_j
    scale = np.maximum(1.0, np.abs(numeric))
    assert np.max(np.abs(problem.hessian(xy) - numeric) / scale) < 1e-5
    h = problem.hessian(xy)
    assert np.allclose(h, np.swapaxes(h, -1, -2))


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_listed_minima_are_minima(problem):
    for m in problem.minima:
        assert np.linalg.norm(problem.grad(m)) < 1e-9
        assert np.all(np.linalg.eigvalsh(problem.hessian(m)) > 0)
    if len(problem.minima):
        assert problem.f(problem.minima[0]) == pytest.approx(problem.f_min, abs=1e-12)
        # f_min is the lowest value seen anywhere in the plotting window
        assert problem.f(random_points(problem, 2000, seed=2)).min() >= problem.f_min - 1e-12


def test_saddle_has_no_minimum_and_a_saddle_at_the_origin():
    s = problems.saddle
    assert len(s.minima) == 0 and s.f_min == -np.inf
    eig = np.linalg.eigvalsh(s.hessian(np.zeros(2)))
    assert eig[0] < 0 < eig[1]


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_vectorised_over_any_batch_shape(problem):
    xy = random_points(problem, 12).reshape(3, 4, 2)
    assert problem.f(xy).shape == (3, 4)
    assert problem.grad(xy).shape == (3, 4, 2)
    assert problem.hessian(xy).shape == (3, 4, 2, 2)
    for i, j in [(0, 0), (2, 3)]:
        assert problem.f(xy[i, j]) == pytest.approx(problem.f(xy)[i, j], rel=1e-15)
        assert np.array_equal(problem.grad(xy[i, j]), problem.grad(xy)[i, j])


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_start_is_inside_the_window(problem):
    (x0, x1), (y0, y1) = problem.window
    assert x0 <= problem.start[0] <= x1 and y0 <= problem.start[1] <= y1


def test_quadratic_condition_number_and_rotation():
    for kappa in [1.0, 10.0, 1000.0]:
        for angle in [0.0, 0.3]:
            eig = np.linalg.eigvalsh(quadratic(kappa, angle).hessian(np.zeros(2)))
            assert eig.max() / eig.min() == pytest.approx(kappa)
    # the slides' f = ½(x1² + 10 x2²)
    assert quadratic(10).f(np.array([1.0, 2.0])) == pytest.approx(0.5 * (1 + 40))


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="kappa"):
        quadratic(0.5)
    with pytest.raises(ValueError, match="lam_min"):
        quadratic(10, lam_min=0)
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        problems.beale.f(np.zeros(3))
