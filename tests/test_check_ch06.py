"""The chapter-6 checker: a correct Adam passes, and each known mistake is named."""

import numpy as np
import pytest

from optlib import check


def adam_loop(
    grad,
    x0,
    lr,
    beta1,
    beta2,
    eps,
    steps,
    *,
    first_t=1,
    bias_correction=True,
    folded=False,
    swap=False,
    eps_in_root=False,
):
    """A reader's Adam written from the equations, with switches for the usual mistakes."""
    if swap:
        beta1, beta2 = beta2, beta1
    x, m, v = np.array(x0, dtype=float), np.zeros(2), np.zeros(2)
    xs = [x.copy()]
    for t in range(first_t, first_t + steps):
        g = grad(x)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        if not bias_correction:
            x = x - lr * m / (np.sqrt(v) + eps)
        elif folded:
            lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
            x = x - lr_t * m / (np.sqrt(v) + eps)
        else:
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
            if eps_in_root:  # optax's update with eps=0, eps_root=eps
                x = x - lr * m_hat / np.sqrt(v_hat + eps)
            else:
                x = x - lr * m_hat / (np.sqrt(v_hat) + eps)
        xs.append(x.copy())
    return np.array(xs)


def test_correct_adam_passes():
    result = check.adam(adam_loop)
    assert result.passed, result.message
    assert result.message.startswith("✓ adam: all 3 cases")


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        (dict(first_t=0), "your bias correction starts at t = 0"),
        (dict(bias_correction=False), "left out the bias correction"),
        (dict(folded=True), "added ε before the bias correction"),
        (dict(swap=True), "swapped β₁ and β₂"),
        (dict(eps_in_root=True), "where optax's eps_root goes"),
    ],
)
def test_each_mistake_is_named(mistake, words):
    def reader(**case):
        return adam_loop(**case, **mistake)

    result = check.adam(reader)
    assert not result.passed
    assert result.message.startswith("✗ adam: ")
    assert words in result.message


def test_t_from_zero_prints_no_warning(recwarn):
    check.adam(lambda **case: adam_loop(**case, first_t=0))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_unknown_mistake_reports_where():
    def off_by_a_bit(**case):
        return adam_loop(**case) * 1.001

    result = check.adam(off_by_a_bit)
    assert not result.passed
    assert "differs from the reference" in result.message


def test_non_function_is_reported():
    assert "expected a function" in check.adam(None).message


@pytest.mark.parametrize("mistake", check.ch06.MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_mistake_gets_its_own_message(mistake):
    assert check.adam(mistake.fn).message == f"✗ adam: {mistake.explanation}"
