"""Full-matrix AdaGrad: hand-worked steps, the diagonal case, rotation invariance, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import optlib
from optlib.optimizers.adagrad_full import FullMatrixAdaGrad


def rotation(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def test_first_two_steps_by_hand() -> None:
    # Step 1: G_1 = g gᵀ with g = (3, 4) has rank 1, and its pseudo-inverse root maps g to
    # g/|g|: the step is α (0.6, 0.8), with no 1/ε blow-up along the null direction.
    # Step 2: g = (1, 0), G_2 = [[10, 12], [12, 16]], det 16, trace 26. For a 2×2 SPD matrix
    # √G = (G + √det I)/√(trace + 2√det) = [[14, 12], [12, 20]]/√34, whose inverse is
    # √34 [[20, −12], [−12, 14]]/136, so G_2^{-1/2} (1, 0) = (20, −12)√34/136 = (5, −3)/√34.
    theta = np.zeros(2)
    opt = FullMatrixAdaGrad(lr=0.5)
    opt.step(theta, np.array([3.0, 4.0]))
    np.testing.assert_allclose(theta, -0.5 * np.array([0.6, 0.8]), rtol=1e-9)  # ε = 1e-10
    opt.step(theta, np.array([1.0, 0.0]))
    expected = -0.5 * np.array([0.6, 0.8]) - 0.5 * np.array([5.0, -3.0]) / np.sqrt(34)
    np.testing.assert_allclose(theta, expected, rtol=1e-9)  # ε = 1e-10 is the only difference
    np.testing.assert_array_equal(opt.state[None]["G"], [[10.0, 12.0], [12.0, 16.0]])


def test_equals_diagonal_adagrad_when_every_gradient_is_axis_aligned() -> None:
    # If every g_t has one non-zero coordinate, every g_t g_tᵀ is diagonal, so G_t is the
    # diagonal matrix diag(r_t) of AdaGrad's accumulator. Its eigenvectors are the axes and
    # its eigenvalues are r_t, so Q diag(1/(√r + ε)) Qᵀ g = g/(√r + ε): AdaGrad's step.
    rng = np.random.default_rng(0)
    full, diag = np.array([1.0, -2.0, 0.5]), np.array([1.0, -2.0, 0.5])
    opt_full, opt_diag = FullMatrixAdaGrad(lr=0.3), optlib.AdaGrad(lr=0.3)
    for _ in range(60):
        g = np.zeros(3)
        g[rng.integers(3)] = rng.normal() * 10.0 ** rng.uniform(-3, 3)
        opt_full.step(full, g)
        opt_diag.step(diag, g)
        np.testing.assert_allclose(full, diag, rtol=1e-12, atol=0)
    np.testing.assert_allclose(np.diag(opt_full.state[None]["G"]), opt_diag.state[None]["r"])


def test_equals_diagonal_adagrad_on_an_axis_aligned_quadratic_started_on_an_axis() -> None:
    # On f = ½(x₁² + 100 x₂²) from (−2.5, 0) the gradient (x₁, 0) stays on the x₁ axis.
    problem = optlib.quadratic(100.0)
    start = np.array([-2.5, 0.0])
    full = optlib.run(FullMatrixAdaGrad(lr=0.5), problem, start=start, steps=100, tol=None)
    diag = optlib.run(optlib.AdaGrad(lr=0.5), problem, start=start, steps=100, tol=None)
    np.testing.assert_allclose(full.path, diag.path, rtol=1e-12, atol=1e-300)


def test_differs_from_diagonal_adagrad_in_general() -> None:
    problem = optlib.problems.rotated_quadratic(100.0)
    full = optlib.run(FullMatrixAdaGrad(lr=0.5), problem, steps=50, tol=None)
    diag = optlib.run(optlib.AdaGrad(lr=0.5), problem, steps=50, tol=None)
    assert np.abs(full.path - diag.path).max() > 0.1


@pytest.mark.parametrize("angle", [np.pi / 4, 0.3, 2.0])
def test_rotation_invariance_measured(angle: float) -> None:
    # Rotating the problem by R maps G_t to R G_t Rᵀ and every step to R times the step, so
    # the path on the rotated quadratic is R times the path on the aligned one. Diagonal
    # AdaGrad has no such property: its paths differ by order 1.
    aligned = optlib.quadratic(100.0)
    turned = optlib.quadratic(100.0, angle)
    R = rotation(angle)
    lrs = np.array([[0.05], [0.5], [2.0]])
    a = optlib.run(FullMatrixAdaGrad(lr=lrs), aligned, steps=200, tol=None)
    b = optlib.run(FullMatrixAdaGrad(lr=lrs), turned, steps=200, tol=None)
    np.testing.assert_allclose(turned.start, R @ aligned.start, atol=1e-15)
    assert np.abs(a.path @ R.T - b.path).max() < 1e-10
    da = optlib.run(optlib.AdaGrad(lr=lrs), aligned, steps=200, tol=None)
    db = optlib.run(optlib.AdaGrad(lr=lrs), turned, steps=200, tol=None)
    assert np.abs(da.path @ R.T - db.path).max() > 0.1


def test_batched_configurations_follow_their_own_paths() -> None:
    problem = optlib.problems.rotated_quadratic(10.0)
    lrs = np.array([[0.01], [0.1], [1.0]])
    batched = optlib.run(FullMatrixAdaGrad(lr=lrs), problem, steps=50, tol=None)
    for k, lr in enumerate(lrs[:, 0]):
        alone = optlib.run(FullMatrixAdaGrad(lr=lr), problem, steps=50, tol=None)
        np.testing.assert_allclose(batched.path[:, k], alone.path, rtol=1e-13, atol=1e-300)


def test_float32_parameters_keep_float32_state() -> None:
    theta = np.array([1.0, 2.0], dtype=np.float32)
    opt = FullMatrixAdaGrad(lr=0.1)
    opt.step(theta, np.array([0.5, -1.0], dtype=np.float32))
    assert theta.dtype == np.float32
    assert opt.state[None]["G"].dtype == np.float32


def test_zero_gradient_gives_no_step_and_reset_forgets() -> None:
    theta = np.array([1.0, 2.0])
    opt = FullMatrixAdaGrad(lr=0.1)
    opt.step(theta, np.zeros(2))
    np.testing.assert_array_equal(theta, [1.0, 2.0])
    opt.step(theta, np.array([1.0, 1.0]))
    opt.reset()
    assert opt.state == {} and opt.t == 0


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"lr": -0.1}, "lr"),
        ({"lr": 0.0}, "lr"),
        ({"eps": 0.0}, "eps"),
        ({"eps": -1e-8}, "eps"),
        ({"eps": float("nan")}, "eps"),
        ({"weight_decay": -1.0}, "weight_decay"),
        ({"lr": "0.1"}, "lr"),
    ],
)
def test_bad_hyperparameters_name_the_parameter(kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        FullMatrixAdaGrad(**kwargs)


def test_zero_dimensional_params_are_rejected() -> None:
    with pytest.raises(ValueError, match="at least one axis"):
        FullMatrixAdaGrad(lr=0.1).step(np.array(1.0), np.array(0.5))


def test_gradient_of_the_wrong_shape_is_rejected() -> None:
    with pytest.raises(ValueError, match="shape"):
        FullMatrixAdaGrad(lr=0.1).step(np.zeros(2), np.zeros(3))
