"""The chapter 8 checker: right answers pass, known mistakes are named, broken code is reported."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optlib import schedules
from optlib.check import ch08, cosine_schedule


def test_a_correct_implementation_passes():
    def mine(t, lr, t_max, eta_min):
        t = np.minimum(t, t_max)
        return eta_min + 0.5 * (lr - eta_min) * (1 + np.cos(math.pi * t / t_max))

    result = cosine_schedule(mine)
    assert result.passed
    assert repr(result) == "✓ cosine_schedule: all 3 cases match the reference"


def test_optlib_s_own_schedule_passes():
    assert cosine_schedule(lambda t, lr, t_max, eta_min: schedules.cosine(lr, t_max, eta_min)(t))


@pytest.mark.parametrize("mistake", ch08.MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_known_mistake_is_recognised_with_its_message(mistake):
    result = cosine_schedule(mistake.fn)
    assert not result.passed
    assert result.message == f"✗ cosine_schedule: {mistake.explanation}"


def test_an_unknown_mistake_is_located():
    result = cosine_schedule(
        lambda t, lr, t_max, eta_min: ch08._reference(t, lr, t_max, eta_min) * 0.9
    )
    assert not result.passed
    assert (
        "case 1 differs from the reference; first at index (0,): you have 0.09, expected 0.1"
        in (result.message)
    )


def test_a_function_that_raises_is_reported_not_raised():
    def broken(t, lr, t_max, eta_min):
        raise RuntimeError("not yet")

    result = cosine_schedule(broken)
    assert not result.passed
    assert result.message == "✗ cosine_schedule: case 1 raised RuntimeError: not yet"
