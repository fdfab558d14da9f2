"""Chapter 7: count the steps a run takes to reach a tolerance."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..compare import steps_to_tolerance as _reference
from .core import CheckResult, Mistake, compare


def _argmax_only(gap, tol):
    return np.argmax(gap <= tol, axis=0)


def _one_based(gap, tol):
    hit = _reference(gap, tol)
    return np.where(hit >= 0, hit + 1, -1)


def _steps_above(gap, tol):
    return np.sum(gap > tol, axis=0)


def _strict(gap, tol):
    reached = gap < tol
    return np.where(reached.any(axis=0), reached.argmax(axis=0), -1)


def _never_is_length(gap, tol):
    hit = _reference(gap, tol)
    return np.where(hit >= 0, hit, len(gap))


def _cases() -> list[dict]:
    tol = 1e-3
    steps = np.arange(9)[:, None]
    gap = np.hstack(
        [
            10.0**-steps,  # reaches tol at step 3 and stays below
            np.full((9, 1), 0.5),  # never reaches it
            np.array([[1, 0.1, 1e-4, 0.02, 0.01, 1e-5, 1e-6, 1e-7, 1e-8]]).T,  # dips, climbs back
            np.array([[1, 0.5, 0.1, 0.01, tol, 1e-4, 1e-5, 1e-6, 1e-7]]).T,  # lands exactly on tol
            np.full((9, 1), 1e-9),  # starts below tol
        ]
    )
    rng = np.random.default_rng(7)
    noisy = np.exp(-0.4 * np.arange(40)[:, None] + rng.normal(0, 1.5, (40, 6)))
    return [dict(gap=gap, tol=tol), dict(gap=noisy, tol=1e-4)]


def steps_to_tolerance(user_fn: Callable) -> CheckResult:
    r"""Check ``user_fn(gap, tol)``: ``gap`` has shape ``(steps + 1, runs)`` (row 0 is the
    start) and the answer, shape ``(runs,)``, is for each run the first step :math:`t` with
    :math:`\text{gap}_t \le \text{tol}`, or -1 if the run never gets there."""
    mistakes = [
        Mistake(
            _argmax_only,
            "a run that never reaches tol gets 0 from argmax (the index of the "
            "first True, and 0 when there is none); give those runs -1.",
        ),
        Mistake(
            _one_based,
            "you count from 1; row 0 is the start, so a run that is within tol "
            "at row t took t steps.",
        ),
        Mistake(
            _steps_above,
            "you counted the steps spent above tol; a run that dips below, "
            "climbs back and dips again must report its first passage.",
        ),
        Mistake(_strict, "a gap exactly equal to tol has reached it: compare with <=, not <."),
        Mistake(
            _never_is_length, "a run that never reaches tol must give -1, not the number of rows."
        ),
    ]
    return compare("steps_to_tolerance", user_fn, _reference, _cases(), mistakes)
