"""Rates and times measured from runs: the curve fits behind the book's numbers.

A chapter states a theoretical rate (a spectral radius, an escape time) and then measures
it from the iterates. The measurements are the same few operations every time, so they
live here, with a name and a test, instead of in the cells the reader reads:

* :func:`average_rate`: the mean contraction per step, ``(d_T / d_0) ** (1 / T)``;
* :func:`envelope_rate`: the decay per step of an oscillation's envelope (its peaks);
* :func:`fitted_rate`: ``r`` and ``c`` in ``e_t ≈ A · t^c · r^t``, a least-squares fit of
  ``ln e_t = a + t ln r + c ln t``, which also sees a double root (``c ≈ 1``);
* :func:`first_step_above`: the first step at which a series exceeds a level (escape times).
"""

from __future__ import annotations

import numpy as np


def average_rate(distances: np.ndarray, steps: np.ndarray | int | None = None) -> np.ndarray:
    """Mean contraction per step, ``(d_T / d_0) ** (1 / T)``, of each run in a batch.

    ``distances`` has shape ``(steps + 1, *batch)`` (row 0 is the start). ``steps`` gives
    each run's last step ``T`` (for example ``RunResult.stop_step``: a diverged run stops
    early); by default the last row. A rate above 1 means the run grew.
    """
    d = np.asarray(distances, dtype=float)
    if d.ndim < 1 or len(d) < 2:
        raise ValueError("distances must have at least 2 rows (the start and one step)")
    last = np.full(d.shape[1:], len(d) - 1) if steps is None else np.asarray(steps)
    if np.any(last < 1) or np.any(last > len(d) - 1):
        raise ValueError(f"steps must lie in [1, {len(d) - 1}]")
    end = np.take_along_axis(d, last[None, ...].astype(int), axis=0)[0]
    return (end / d[0]) ** (1.0 / last)


def envelope_rate(series: np.ndarray, window: int = 40) -> float:
    """Decay per step of the envelope of an oscillating 1-D ``series``.

    The envelope is the peak of ``|series|`` over ``window`` steps. The rate compares the
    peak over the last ``window`` steps with the peak over the ``window`` steps before the
    midpoint, ``(peak_late / peak_mid) ** (1 / (T - T // 2))``. For a mode that spirals
    like ``r^t cos(ωt)`` this is ``r``, to within the ripple of the peaks.
    """
    s = np.abs(np.asarray(series, dtype=float))
    if s.ndim != 1:
        raise ValueError(f"series must be 1-D; got shape {s.shape}")
    T = len(s) - 1
    if not (isinstance(window, int | np.integer) and 1 <= window <= T // 2):
        raise ValueError(f"window must be an integer in [1, {T // 2}] for {T + 1} points")
    late, middle = s[T - window :].max(), s[T // 2 - window : T // 2 + 1].max()
    return float((late / middle) ** (1 / (T - T // 2)))


def fitted_rate(errors: np.ndarray) -> tuple[float, float]:
    """Fit ``ln e_t = a + t ln r + c ln t`` over the second half of ``errors``; return (r, c).

    A simple root of a linear recurrence gives ``e_t ∝ r^t`` (``c = 0``); a double root, as
    at momentum's optimum (critical damping), gives ``e_t ∝ t r^t`` (``c = 1``). Fitting
    ``c`` keeps the ``t`` factor from biasing ``r``. ``errors`` must be positive, with
    at least 8 points (row 0 is step 0 and is never in the fit).
    """
    e = np.asarray(errors, dtype=float)
    if e.ndim != 1 or len(e) < 8:
        raise ValueError(f"errors must be 1-D with at least 8 points; got shape {e.shape}")
    t = np.arange(len(e) // 2, len(e))
    if not np.all(e[t] > 0):
        raise ValueError("errors must be > 0 over the fitted half (the log is taken)")
    design = np.stack([np.ones(len(t)), t, np.log(t)], axis=1)
    _, log_r, c = np.linalg.lstsq(design, np.log(e[t]), rcond=None)[0]
    return float(np.exp(log_r)), float(c)


def first_step_above(series: np.ndarray, level: float) -> np.ndarray:
    """The first step ``t`` at which ``|series[t]| > level``, for each run of a batch.

    ``series`` has shape ``(steps + 1, *batch)``. Runs that never exceed ``level`` get
    ``inf``, so that a minimum over runs is still the fastest run that did.
    """
    s = np.abs(np.asarray(series, dtype=float))
    above = s > level
    return np.where(above.any(axis=0), np.argmax(above, axis=0), np.inf)
