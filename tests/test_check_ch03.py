"""The chapter-3 checkers: momentum and Nesterov written by a reader pass, and each known
mistake is named in words."""

from __future__ import annotations

import numpy as np
import pytest

import optlib
from optlib.check import ch03, momentum_descent, nesterov_descent


def momentum_loop(grad, x0, lr, momentum, steps, *, mistake=None):
    """Heavy-ball momentum as a reader writes it from the equations, with the usual slips."""
    x, v = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        if mistake == "stale":
            x = x - lr * v
        if mistake == "not_carried":
            v = np.zeros(2)
        if mistake == "average":
            v = momentum * v + (1 - momentum) * g
        else:
            v = momentum * v + (lr * g if mistake == "lr_twice" else g)
        if mistake == "sign":
            x = x + lr * v
        elif mistake != "stale":
            x = x - lr * v
        xs.append(x.copy())
    return np.array(xs)


def cs231n_momentum(grad, x0, lr, momentum, steps):
    """The other form, v = ρv − α∇f and x ← x + v: the same iterates under a constant lr."""
    x, v = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        v = momentum * v - lr * grad(x)
        x = x + v
        xs.append(x.copy())
    return np.array(xs)


class BlogPostMomentum:
    """The Korean blog post's Momentum class, typos fixed but its indentation bug kept."""

    def __init__(self, lr, momentum):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
            for key in params:
                self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
                params[key] += self.v[key]


def blog_post_loop(grad, x0, lr, momentum, steps):
    opt = BlogPostMomentum(lr, momentum)
    params = {"x": np.array(x0, dtype=float)}
    xs = [params["x"].copy()]
    for _ in range(steps):
        opt.update(params, {"x": grad(params["x"])})
        xs.append(params["x"].copy())
    return np.array(xs)


def test_both_forms_of_momentum_pass():
    for fn in (momentum_loop, cs231n_momentum):
        result = momentum_descent(fn)
        assert result.passed, result.message
        assert result.message == "✓ momentum_descent: all 3 cases match the reference"


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ("sign", "your iterates climb"),
        ("not_carried", "this is plain gradient descent"),
        ("lr_twice", "the learning rate is applied twice"),
        ("stale", "the step uses the buffer from before"),
        ("average", "your buffer is an average of the gradients"),
    ],
)
def test_a_readers_momentum_mistake_is_named(mistake, words):
    result = momentum_descent(lambda **case: momentum_loop(**case, mistake=mistake))
    assert not result.passed
    assert result.message.startswith(f"✗ momentum_descent: {words}")


def test_the_blog_posts_indentation_bug_is_named():
    result = momentum_descent(blog_post_loop)
    assert not result.passed
    assert "only the first step moves x" in result.message
    assert "Korean blog post" in result.message and "seed" not in result.message


@pytest.mark.parametrize("mistake", ch03.MOMENTUM_MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_momentum_mistake_gets_its_own_message(mistake):
    result = momentum_descent(mistake.fn)
    assert result.message == f"✗ momentum_descent: {mistake.explanation}"


def nesterov_loop(grad, x0, lr, momentum, steps, *, mistake=None):
    """Nesterov in torch's form, b = ρb + ∇f, x ← x − α(∇f + ρb), with the usual slips."""
    x, b = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        b = momentum * b + g
        if mistake == "heavy_ball":
            x = x - lr * b
        elif mistake == "no_rho":
            x = x - lr * (g + b)
        else:
            x = x - lr * (g + momentum * b)
        xs.append(x.copy())
    return np.array(xs)


def lookahead_nesterov(grad, x0, lr, momentum, steps):
    """The CS231n form, x ← x − ρ·v_old + (1 + ρ)·v_new: equal to torch's up to round-off."""
    x, v = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        v_old = v
        v = momentum * v - lr * grad(x)
        x = x - momentum * v_old + (1 + momentum) * v
        xs.append(x.copy())
    return np.array(xs)


def dlfs_nesterov(grad, x0, lr, momentum, steps):
    """'Deep Learning from Scratch' / Chainer: ρ² applied to the already-updated v."""
    x, v = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        v = momentum * v - lr * g
        x = x + momentum * momentum * v - (1 + momentum) * lr * g
        xs.append(x.copy())
    return np.array(xs)


def test_both_forms_of_nesterov_pass():
    for fn in (nesterov_loop, lookahead_nesterov):
        result = nesterov_descent(fn)
        assert result.passed, result.message


def sutskever_nesterov(grad, x0, lr, momentum, steps):
    """Sutskever et al. 2013, as a reader codes it from the paper: the gradient is taken at
    the look-ahead point θ + ρu."""
    theta, u = np.array(x0, dtype=float), np.zeros(2)
    thetas = [theta.copy()]
    for _ in range(steps):
        look_ahead = theta + momentum * u
        u = momentum * u - lr * grad(look_ahead)
        theta = theta + u
        thetas.append(theta.copy())
    return np.array(thetas)


def test_sutskevers_iterates_are_torchs_shifted():
    """Why Sutskever's form is a mistake here and not another method: its look-ahead points
    θ_t + ρu_t are exactly torch's iterates."""
    case = dict(
        grad=optlib.quadratic(10.0).grad, x0=np.array([1.0, -1.0]), lr=0.02, momentum=0.5, steps=12
    )
    theta, u = case["x0"].copy(), np.zeros(2)
    look_aheads = [theta.copy()]
    for _ in range(case["steps"]):
        u = case["momentum"] * u - case["lr"] * case["grad"](theta + case["momentum"] * u)
        theta = theta + u
        look_aheads.append(theta + case["momentum"] * u)
    assert np.allclose(look_aheads, ch03._nesterov_reference(**case), rtol=1e-12, atol=1e-14)
    assert not np.allclose(sutskever_nesterov(**case), ch03._nesterov_reference(**case))


@pytest.mark.parametrize(
    ("fn", "words"),
    [
        (sutskever_nesterov, "you wrote Sutskever et al.'s form"),
        (lambda **case: nesterov_loop(**case, mistake="heavy_ball"), "this is heavy-ball"),
        (lambda **case: nesterov_loop(**case, mistake="no_rho"), "the look-ahead term is ρ·b"),
        (dlfs_nesterov, "ρ² multiplies the velocity after it was updated"),
    ],
)
def test_a_readers_nesterov_mistake_is_named(fn, words):
    result = nesterov_descent(fn)
    assert not result.passed
    assert result.message.startswith(f"✗ nesterov_descent: {words}")


def test_the_mistakes_are_told_apart():
    for mistakes in (ch03.MOMENTUM_MISTAKES, ch03.NESTEROV_MISTAKES):
        assert len({m.explanation for m in mistakes}) == len(mistakes)
    for mistake in ch03.NESTEROV_MISTAKES:
        assert nesterov_descent(mistake.fn).message.endswith(mistake.explanation)


def test_an_unknown_wrong_answer_points_at_the_difference():
    result = momentum_descent(lambda **case: momentum_loop(**case) * 1.001)
    assert not result.passed
    assert "case 1 differs from the reference" in result.message


def test_broken_code_and_non_functions_are_reported():
    def broken(**case):
        raise RuntimeError("boom")

    assert "case 1 raised RuntimeError: boom" in momentum_descent(broken).message
    assert "expected a function" in nesterov_descent(None).message
