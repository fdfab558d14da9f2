"""The chapter-3 checkers: momentum and Nesterov written by a reader pass, and each known
mistake is named in words."""

from __future__ import annotations

import numpy as np
import pytest

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


class Seed000Momentum:
    """The seed-000 class with its typos fixed but its indentation bug kept."""

    def __init__(self, lr, momentum):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
            for key in params:
                self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
                params[key] += self.v[key]


def seed000_loop(grad, x0, lr, momentum, steps):
    opt = Seed000Momentum(lr, momentum)
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
        ("stale", "the step uses the velocity from before"),
    ],
)
def test_a_readers_momentum_mistake_is_named(mistake, words):
    result = momentum_descent(lambda **case: momentum_loop(**case, mistake=mistake))
    assert not result.passed
    assert result.message.startswith(f"✗ momentum_descent: {words}")


def test_the_seed000_indentation_bug_is_named():
    result = momentum_descent(seed000_loop)
    assert not result.passed
    assert "only the first step moves x" in result.message
    assert "seed-000" in result.message


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


@pytest.mark.parametrize(
    ("fn", "words"),
    [
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
