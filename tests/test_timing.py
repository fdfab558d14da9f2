"""optlib.timing.Stopwatch: counts wall time, leaves out what happens while paused."""

import pytest

from optlib.timing import Stopwatch


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_counts_the_time_since_it_started() -> None:
    clock = FakeClock()
    watch = Stopwatch(clock)
    clock.now += 2.5
    assert watch.seconds == 2.5


def test_time_spent_paused_is_left_out() -> None:
    clock = FakeClock()
    watch = Stopwatch(clock)
    clock.now += 1.0  # training
    with watch.paused():
        clock.now += 10.0  # measuring: not counted
        assert watch.seconds == 1.0  # stands still while paused
    clock.now += 0.5  # training again
    assert watch.seconds == 1.5


def test_a_pause_left_by_an_exception_still_ends() -> None:
    clock = FakeClock()
    watch = Stopwatch(clock)
    with pytest.raises(RuntimeError), watch.paused():
        clock.now += 3.0
        raise RuntimeError("measurement failed")
    clock.now += 1.0
    assert watch.seconds == 1.0


def test_nested_pauses_are_refused() -> None:
    watch = Stopwatch(FakeClock())
    with watch.paused(), pytest.raises(ValueError, match="already paused"), watch.paused():
        pass


def test_a_clock_that_is_not_callable_is_refused() -> None:
    with pytest.raises(ValueError, match="clock"):
        Stopwatch(clock=3.0)  # type: ignore[arg-type]


def test_real_clock_moves_forward() -> None:
    watch = Stopwatch()
    assert watch.seconds >= 0.0
