"""Learning-rate schedules: hand-computed values, monotonicity, errors, use in optimizers."""

import math

import numpy as np
import pytest

import optlib
from optlib import schedules
from optlib.problems import quadratic, rosenbrock


def test_values_at_chosen_steps_computed_by_hand():
    assert schedules.constant(0.3)(17) == 0.3
    inv = schedules.inverse_time(0.1, decay=0.5)
    assert inv(0) == 0.1
    assert inv(2) == pytest.approx(0.1 / 2)  # 1 + 0.5·2 = 2
    assert inv(6) == pytest.approx(0.1 / 4)
    step = schedules.step_decay(1.0, step_size=10, gamma=0.5)
    assert [step(t) for t in (0, 9, 10, 19, 20, 35)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.125]
    exp = schedules.exponential(2.0, gamma=0.9)
    assert exp(0) == 2.0
    assert exp(3) == pytest.approx(2.0 * 0.729)
    cos = schedules.cosine(1.0, t_max=100, eta_min=0.2)
    assert cos(0) == 1.0
    assert cos(50) == pytest.approx(0.6)  # halfway: the mean of 1.0 and 0.2
    assert cos(25) == pytest.approx(0.2 + 0.8 * (1 + math.cos(math.pi / 4)) / 2)
    assert cos(100) == pytest.approx(0.2)
    assert cos(250) == pytest.approx(0.2)  # held at eta_min, not climbing back like torch


def test_warmup_ramps_linearly_then_follows_the_base_schedule_from_its_start():
    base = schedules.step_decay(1.0, step_size=5, gamma=0.5)
    lr = schedules.warmup(base, warmup_steps=4, start_factor=0.2)
    assert [lr(t) for t in range(4)] == pytest.approx([0.2, 0.4, 0.6, 0.8])
    assert [lr(t) for t in (4, 8, 9, 14)] == pytest.approx([1.0, 1.0, 0.5, 0.25])
    assert schedules.warmup(0.5, warmup_steps=2, start_factor=0.5)(1) == pytest.approx(0.375)
    assert lr.__name__ == "warmup+step_decay"


def test_array_arguments_are_many_schedules_at_once():
    lr0 = np.array([[0.1], [0.2], [0.4]])
    decay = np.array([[0.0], [1.0], [3.0]])
    inv = schedules.inverse_time(lr0, decay)
    assert inv(1).shape == (3, 1)
    np.testing.assert_allclose(inv(1)[:, 0], [0.1, 0.1, 0.1])
    # an array of steps broadcasts with them too: one row per schedule
    curves = inv(np.arange(5))
    assert curves.shape == (3, 5)
    np.testing.assert_allclose(curves[2], 0.4 / (1 + 3 * np.arange(5)))
    t_max = np.array([10, 20])
    np.testing.assert_allclose(schedules.cosine(1.0, t_max)(10), [0.0, 0.5], atol=1e-15)
    warm = schedules.warmup(schedules.cosine(lr0, 10), warmup_steps=np.array([[2], [4], [1]]))
    np.testing.assert_allclose(
        warm(2)[:, 0], [0.1, 0.2 * 0.55, 0.4 * (1 + np.cos(0.1 * np.pi)) / 2]
    )


ALL = {
    "inverse_time": schedules.inverse_time(0.5, 0.01),
    "step_decay": schedules.step_decay(0.5, 30, 0.3),
    "exponential": schedules.exponential(0.5, 0.98),
    "cosine": schedules.cosine(0.5, 200, 0.01),
    "warmup+cosine": schedules.warmup(schedules.cosine(0.5, 150), 50),
}


@pytest.mark.parametrize("name", list(ALL))
def test_decaying_schedules_never_increase_and_stay_positive(name):
    values = ALL[name](np.arange(200))
    after_warmup = values[50:] if name.startswith("warmup") else values
    assert np.all(np.diff(after_warmup) <= 0)
    assert np.all(values > 0)
    if name.startswith("warmup"):
        assert np.all(np.diff(values[:51]) > 0)  # the ramp climbs to the base rate
        assert values[50] == 0.5


@pytest.mark.parametrize("name", ["inverse_time", "exponential", "cosine"])
def test_strictly_decreasing_where_the_formula_says_so(name):
    assert np.all(np.diff(ALL[name](np.arange(200))) < 0)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: schedules.constant(0.0), r"lr must be finite and in \(0, inf\)"),
        (lambda: schedules.constant(np.nan), "lr must be finite"),
        (lambda: schedules.inverse_time(-0.1, 0.1), r"lr must be finite and in \(0, inf\)"),
        (lambda: schedules.inverse_time(0.1, -1.0), r"decay must be finite and in \[0, inf\)"),
        (lambda: schedules.step_decay(0.1, 0), r"step_size must be a whole number .* \[1, inf\)"),
        (lambda: schedules.step_decay(0.1, 2.5), "step_size must be a whole number"),
        (lambda: schedules.step_decay(0.1, 10, 1.5), r"gamma must be finite and in \(0, 1\]"),
        (lambda: schedules.exponential(0.1, 0.0), r"gamma must be finite and in \(0, 1\]"),
        (lambda: schedules.cosine(0.1, 0), r"t_max must be a whole number .* \[1, inf\)"),
        (lambda: schedules.cosine(0.1, 10, -0.01), r"eta_min must be finite and in \[0, inf\)"),
        (lambda: schedules.cosine(0.1, 10, 0.2), r"eta_min must be in \[0, lr\]"),
        (lambda: schedules.warmup(0.1, 0), r"warmup_steps must be a whole number .* \[1, inf\)"),
        (lambda: schedules.warmup(0.1, 5, 0.0), r"start_factor must be finite and in \(0, 1\]"),
        (lambda: schedules.warmup(-0.1, 5), r"lr must be finite and in \(0, inf\)"),
        (lambda: schedules.inverse_time(np.array([0.1, -0.1]), 0.0), "lr must be finite"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_range(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("t", [-1, 2.5, np.array([0, -3])])
def test_steps_must_be_whole_and_non_negative(t):
    with pytest.raises(ValueError, match="t must be a whole number of steps >= 0"):
        schedules.exponential(0.1, 0.9)(t)


def test_sgd_with_a_schedule_matches_the_update_written_by_hand():
    lr = schedules.warmup(schedules.step_decay(2e-3, 7, 0.5), 3)
    x = rosenbrock.start.copy()
    opt = optlib.SGD(lr=lr)
    by_hand = rosenbrock.start.copy()
    for t in range(25):
        opt.step(x, rosenbrock.grad(x))
        by_hand = by_hand - lr(t) * rosenbrock.grad(by_hand)  # step t + 1 uses lr(t)
    np.testing.assert_array_equal(x, by_hand)


@pytest.mark.parametrize(
    "make",
    [
        lambda lr: optlib.Adam(lr=lr),
        lambda lr: optlib.Momentum(lr=lr, momentum=0.9),
        lambda lr: optlib.Momentum(lr=lr, momentum=0.9, convention="cs231n"),
        lambda lr: optlib.RMSProp(lr=lr),
        lambda lr: optlib.AdamW(lr=lr),
    ],
)
def test_an_optimizer_with_a_schedule_equals_one_whose_lr_is_set_by_hand(make):
    lr = schedules.cosine(np.array([[1e-4], [3e-4], [1e-3]]), t_max=40, eta_min=1e-5)
    start = np.broadcast_to(rosenbrock.start, (3, 2))
    x, y = start.copy(), start.copy()
    scheduled, by_hand = make(lr), make(1.0)
    for t in range(40):
        scheduled.step(x, rosenbrock.grad(x))
        by_hand.lr = lr(t)
        by_hand.step(y, rosenbrock.grad(y))
    np.testing.assert_array_equal(x, y)


def test_momentum_conventions_agree_for_a_constant_rate_and_differ_under_a_schedule():
    q = quadratic(10.0)
    for lr, same in (
        (schedules.constant(0.02), True),
        (schedules.step_decay(0.02, 10, 0.1), False),
    ):
        a, b = q.start.copy(), q.start.copy()
        torch_form = optlib.Momentum(lr=lr, momentum=0.9)
        cs231n_form = optlib.Momentum(lr=lr, momentum=0.9, convention="cs231n")
        for _ in range(30):
            torch_form.step(a, q.grad(a))
            cs231n_form.step(b, q.grad(b))
        assert np.allclose(a, b, rtol=1e-12, atol=1e-14) == same


def test_a_schedule_that_goes_negative_is_refused_by_the_optimizer():
    wrong_sign = lambda t: 0.1 / (1 - 0.3 * t)  # noqa: E731  (the Korean blog post's formula)
    x = np.array([1.0, 1.0])
    opt = optlib.SGD(lr=wrong_sign)
    for _ in range(4):  # steps 1..4 use t = 0..3, all positive (and growing)
        opt.step(x, x)
    with pytest.raises(ValueError, match="lr schedule value at step 4"):
        opt.step(x, x)


def test_a_schedule_may_reach_zero_as_the_cosine_docstring_says():
    lr = schedules.cosine(0.1, t_max=3)  # eta_min = 0: alpha(3) = 0, then held there
    assert lr(3) == 0.0
    x = np.array([1.0, 1.0])
    opt = optlib.SGD(lr=lr)
    for _ in range(3):
        opt.step(x, x)
    before = x.copy()
    opt.step(x, x)  # step 4 uses alpha(3) = 0: accepted, and it moves nothing
    np.testing.assert_array_equal(x, before)
    assert "0 is accepted" in schedules.cosine.__doc__.replace("\n    ", " ")
