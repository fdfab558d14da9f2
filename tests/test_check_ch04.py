"""The chapter-4 checker: AdaGrad written by a reader passes, and each known mistake is
named in words."""

from __future__ import annotations

import numpy as np
import pytest

from optlib.check import adagrad, ch04


def adagrad_loop(grad, x0, lr, eps, steps, *, mistake=None):
    """AdaGrad as a reader writes it from the equations, with the usual slips."""
    x, r = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        r_before = r
        if mistake == "norm":
            r = r + np.linalg.norm(g) ** 2
        elif mistake == "coordinate_mean":
            r = r + np.mean(g**2)
        elif mistake == "running_mean":
            r = ((t - 1) * r + g * g) / t
        elif mistake == "sum_g":
            r = r + g
        elif mistake == "no_sum":
            r = g * g
        else:
            r = r + g * g
        if mistake == "eps_inside":
            denom = np.sqrt(r + eps)
        elif mistake == "old_r":
            denom = np.sqrt(r_before) + eps
        elif mistake == "no_root":
            denom = r + eps
        else:
            denom = np.sqrt(r) + eps
        x = x - lr * g / denom
        xs.append(x.copy())
    return np.array(xs)


def test_a_correct_adagrad_passes():
    result = adagrad(adagrad_loop)
    assert result.passed, result.message
    assert result.message == "✓ adagrad: all 3 cases match the reference"


def test_the_reference_passes_its_own_checker():
    assert adagrad(ch04._reference).passed


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ("eps_inside", "you put ε inside the square root"),
        ("sum_g", "your accumulator sums the gradients"),
        ("no_sum", "your r holds only the current g²"),
        ("old_r", "you divided by the accumulator before adding"),
        ("no_root", "your denominator is r + ε"),
        ("norm", "your accumulator is one number for the whole vector, r = r + ‖g‖²"),
        ("coordinate_mean", "your accumulator is one number, the mean of g² over"),
        ("running_mean", "your r is the mean of the squared gradients so far"),
    ],
)
def test_a_readers_mistake_is_named(mistake, words):
    result = adagrad(lambda **case: adagrad_loop(**case, mistake=mistake))
    assert not result.passed
    assert result.message.startswith(f"✗ adagrad: {words}")


@pytest.mark.parametrize("mistake", ch04.MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_mistake_gets_its_own_message(mistake):
    assert adagrad(mistake.fn).message == f"✗ adagrad: {mistake.explanation}"


def test_the_accumulator_start_of_optax_is_not_accepted():
    # optax and Keras start r at 0.1: a different algorithm's iterates, reported as a difference.
    def optax_start(grad, x0, lr, eps, steps):
        x, r = np.array(x0, dtype=float), np.full(2, 0.1)
        xs = [x.copy()]
        for _ in range(steps):
            g = grad(x)
            r = r + g * g
            x = x - lr * g / (np.sqrt(r) + eps)
            xs.append(x.copy())
        return np.array(xs)

    result = adagrad(optax_start)
    assert not result.passed
    assert "differs from the reference" in result.message


def test_broken_code_and_non_functions_are_reported():
    def broken(**case):
        raise ValueError("nope")

    assert "case 1 raised ValueError: nope" in adagrad(broken).message
    assert "expected a function" in adagrad("adagrad").message
