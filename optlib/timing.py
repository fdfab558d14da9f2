"""Wall time of training, with the time spent measuring left out.

A training loop that records the loss every few steps spends part of its time on the
recording. :class:`Stopwatch` measures the training alone: the time inside
``with clock.paused():`` is not counted.

.. code-block:: python

    clock = Stopwatch()
    for step in range(steps):
        train_one_step()
        with clock.paused():
            log.append((clock.seconds, measure_loss()))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Stopwatch:
    """Seconds of wall time since construction, minus the time spent in :meth:`paused`.

    ``clock`` is the time source (``time.perf_counter`` by default; tests pass a fake one).
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        if not callable(clock):
            raise ValueError(f"clock must be a callable returning seconds; got {clock!r}")
        self._clock = clock
        self._start = clock()
        self._excluded = 0.0
        self._paused_at: float | None = None

    @property
    def seconds(self) -> float:
        """The counted seconds so far; it stands still while the stopwatch is paused."""
        now = self._clock() if self._paused_at is None else self._paused_at
        return now - self._start - self._excluded

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Leave the time spent inside this ``with`` block out of :attr:`seconds`."""
        if self._paused_at is not None:
            raise ValueError("the stopwatch is already paused; pauses cannot be nested")
        self._paused_at = self._clock()
        try:
            yield
        finally:
            self._excluded += self._clock() - self._paused_at
            self._paused_at = None
