"""The chapter-5 checker: a correct RMSProp passes, and each known mistake is named."""

import numpy as np
import pytest

from optlib import check


def rmsprop_loop(
    grad,
    x0,
    lr,
    beta,
    eps,
    steps,
    *,
    swap=False,
    accumulate=False,
    eps_inside=False,
    no_one_minus_beta=False,
    bias_corrected=False,
    weights_swapped=False,
):
    """A reader's RMSProp written from the equations, with switches for the usual mistakes."""
    if swap:
        lr, beta = beta, lr
    x, r = np.array(x0, dtype=float), np.zeros(2)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        if weights_swapped:
            r = (1 - beta) * r + beta * g * g
        elif accumulate:
            r = r + g * g
        elif no_one_minus_beta:
            r = beta * r + g * g
        else:
            r = beta * r + (1 - beta) * g * g
        r_used = r / (1 - beta**t) if bias_corrected else r
        denom = np.sqrt(r_used + eps) if eps_inside else np.sqrt(r_used) + eps
        x = x - lr * g / denom
        xs.append(x.copy())
    return np.array(xs)


def test_correct_rmsprop_passes():
    result = check.rmsprop(rmsprop_loop)
    assert result.passed, result.message
    assert result.message.startswith("✓ rmsprop: all 3 cases")


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ("swap", "swapped the learning rate and the decay"),
        ("accumulate", "running sum, r = r + g², which is AdaGrad"),
        ("eps_inside", "ε inside the square root"),
        ("no_one_minus_beta", "lacks the (1 − β) factor"),
        ("bias_corrected", "you divided r by 1 − βᵗ, Adam's bias correction"),
        ("weights_swapped", "you swapped β and 1 − β"),
    ],
)
def test_each_mistake_is_named(mistake, words):
    def reader(**case):
        return rmsprop_loop(**case, **{mistake: True})

    result = check.rmsprop(reader)
    assert not result.passed
    assert result.message.startswith("✗ rmsprop: ")
    assert words in result.message


def test_unknown_mistake_reports_where():
    def off_by_a_bit(**case):
        return rmsprop_loop(**case) * 1.001

    result = check.rmsprop(off_by_a_bit)
    assert not result.passed
    assert "differs from the reference" in result.message


def test_missing_start_row_is_a_shape_error():
    result = check.rmsprop(lambda **case: rmsprop_loop(**case)[1:])
    assert not result.passed
    assert "returned shape" in result.message


def test_crash_and_non_function_are_reported():
    def crashes(**case):
        raise RuntimeError("boom")

    assert "raised RuntimeError: boom" in check.rmsprop(crashes).message
    assert "expected a function" in check.rmsprop(3).message


@pytest.mark.parametrize("mistake", check.ch05.MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_mistake_gets_its_own_message(mistake):
    assert check.rmsprop(mistake.fn).message == f"✗ rmsprop: {mistake.explanation}"
