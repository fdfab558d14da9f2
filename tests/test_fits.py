"""The rate and time measurements of optlib.fits, on series whose answer is known."""

import numpy as np
import pytest

from optlib.fits import average_rate, envelope_rate, first_step_above, fitted_rate


def test_average_rate_of_a_geometric_series_is_its_ratio():
    t = np.arange(101)
    d = np.stack([2.0 * 0.9**t, 5.0 * 1.1**t], axis=1)
    np.testing.assert_allclose(average_rate(d), [0.9, 1.1], rtol=1e-12)


def test_average_rate_stops_each_run_at_its_own_step():
    t = np.arange(51)
    d = np.stack([0.5**t, np.where(t <= 10, 2.0**t, 2.0**10)], axis=1)
    np.testing.assert_allclose(average_rate(d, np.array([50, 10])), [0.5, 2.0], rtol=1e-12)
    with pytest.raises(ValueError, match="steps"):
        average_rate(d, np.array([0, 10]))
    with pytest.raises(ValueError, match="2 rows"):
        average_rate(np.ones(1))


def test_envelope_rate_sees_the_decay_of_a_spiral_not_its_ripple():
    t = np.arange(301)
    spiral = 0.95**t * np.cos(0.7 * t)
    assert envelope_rate(spiral) == pytest.approx(0.95, abs=3e-3)
    # a plain average would be fooled by where the cosine happens to be at the end
    assert envelope_rate(-3.0 * 0.8**t) == pytest.approx(0.8, rel=1e-9)
    with pytest.raises(ValueError, match="window"):
        envelope_rate(spiral, window=200)
    with pytest.raises(ValueError, match="1-D"):
        envelope_rate(np.ones((10, 2)))


def test_fitted_rate_separates_a_double_root_from_a_simple_one():
    t = np.arange(201)
    r, c = fitted_rate(3.0 * np.maximum(t, 1) * 0.8**t)
    assert r == pytest.approx(0.8, rel=1e-9) and c == pytest.approx(1.0, abs=1e-6)
    r, c = fitted_rate(2.0 * 0.9**t)
    assert r == pytest.approx(0.9, rel=1e-9) and abs(c) < 1e-6
    with pytest.raises(ValueError, match="> 0"):
        fitted_rate(np.zeros(20))
    with pytest.raises(ValueError, match="8 points"):
        fitted_rate(np.ones(5))


def test_first_step_above_counts_steps_and_marks_runs_that_never_get_there():
    y = np.array([[1e-3, 1e-3], [0.5, 1e-3], [-2.0, 1e-3], [3.0, 0.9]])
    steps = first_step_above(y, 1.0)
    assert steps[0] == 2 and np.isinf(steps[1])
