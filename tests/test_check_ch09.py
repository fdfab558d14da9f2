"""The chapter 9 checker: right answers pass, known mistakes are named, broken code is reported."""

from __future__ import annotations

import numpy as np
import pytest

from optlib import search
from optlib.check import ch09, log_uniform_sample


def test_a_correct_implementation_passes():
    def mine(low, high, n, seed):
        rng = np.random.default_rng(seed)
        return 10 ** rng.uniform(np.log10(low), np.log10(high), n)

    result = log_uniform_sample(mine)
    assert result.passed
    assert repr(result) == "✓ log_uniform_sample: all 3 cases match the reference"


def test_natural_logs_and_optlib_s_sampler_pass_too():
    def natural(low, high, n, seed):
        rng = np.random.default_rng(seed)
        return np.exp(rng.uniform(np.log(low), np.log(high), n))

    def with_optlib(low, high, n, seed):
        return search.log_uniform(low, high).sample(np.random.default_rng(seed), n)

    assert log_uniform_sample(natural).passed
    assert log_uniform_sample(with_optlib).passed


@pytest.mark.parametrize("mistake", ch09.MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_known_mistake_is_recognised_with_its_message(mistake):
    result = log_uniform_sample(mistake.fn)
    assert not result.passed
    assert result.message == f"✗ log_uniform_sample: {mistake.explanation}"


def test_a_wrong_length_is_reported_with_the_shapes():
    result = log_uniform_sample(lambda low, high, n, seed: ch09._reference(low, high, n + 1, seed))
    assert not result.passed
    assert "returned shape (1001,), expected (1000,)" in result.message


def test_a_function_that_raises_is_reported_not_raised():
    def broken(low, high, n, seed):
        return 1 / 0

    result = log_uniform_sample(broken)
    assert not result.passed
    assert result.message.startswith("✗ log_uniform_sample: case 1 raised ZeroDivisionError")
