r"""Chapter 8: write cosine annealing.

The reader writes ``cosine_schedule(t, lr, t_max, eta_min)``, the rate at step ``t`` (an
integer or an integer array):

.. math::
    \alpha_t = \eta_{\min} + \tfrac12(\alpha_0 - \eta_{\min})
    \bigl(1 + \cos(\pi \min(t, T) / T)\bigr),

torch's ``CosineAnnealingLR`` with an absolute :math:`\eta_{\min}`, held after :math:`T`
(as :func:`optlib.schedules.cosine`). :data:`MISTAKES` lists the slips it recognises.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .core import CheckResult, Mistake, compare


def _reference(t, lr, t_max, eta_min):
    progress = np.minimum(t, t_max) / t_max
    return eta_min + (lr - eta_min) * (1 + np.cos(np.pi * progress)) / 2


def _relative_floor(t, lr, t_max, eta_min):
    return _reference(t, lr, t_max, eta_min * lr)


def _counted_from_one(t, lr, t_max, eta_min):
    return _reference(t + 1, lr, t_max, eta_min)


def _periodic(t, lr, t_max, eta_min):
    return eta_min + (lr - eta_min) * (1 + np.cos(np.pi * t / t_max)) / 2


def _no_half(t, lr, t_max, eta_min):
    return eta_min + (lr - eta_min) * (1 + np.cos(np.pi * np.minimum(t, t_max) / t_max))


def _no_one(t, lr, t_max, eta_min):
    return eta_min + (lr - eta_min) * np.cos(np.pi * np.minimum(t, t_max) / t_max)


def _upside_down(t, lr, t_max, eta_min):
    return _reference(t, eta_min, t_max, lr)


#: The known wrong answers, each with the feedback the reader gets.
MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        _relative_floor,
        "your floor is eta_min·lr: you read eta_min as a fraction of lr (optax's alpha); "
        "here, as in torch, it is the absolute rate the schedule ends at.",
    ),
    Mistake(
        _counted_from_one,
        "your schedule is one step ahead: t counts the steps already taken, so the value at "
        "t = 0 must be lr itself (use π·t/t_max, not π·(t + 1)/t_max).",
    ),
    Mistake(
        _periodic,
        "after t_max your rate climbs back up (a cosine is periodic, as torch's formula is); "
        "hold eta_min for t ≥ t_max, e.g. with np.minimum(t, t_max).",
    ),
    Mistake(
        _no_half,
        "your rate starts at 2·lr − eta_min: the factor (1 + cos) runs from 2 to 0, so halve it.",
    ),
    Mistake(
        _no_one,
        "your rate falls below eta_min to 2·eta_min − lr: use (1 + cos(…))/2, which runs from "
        "1 to 0, not cos(…), which runs from 1 to −1.",
    ),
    Mistake(
        _upside_down,
        "your schedule rises from eta_min to lr; it must start at lr and end at eta_min.",
    ),
)


def cosine_schedule(user_fn: Callable) -> CheckResult:
    """Check ``user_fn(t, lr, t_max, eta_min)`` against cosine annealing on arrays of steps
    that run past ``t_max``, with and without a floor."""
    cases = [
        dict(t=np.arange(151), lr=0.1, t_max=100, eta_min=0.01),
        dict(t=np.arange(40), lr=1.0, t_max=25, eta_min=0.0),
        dict(t=np.array([0, 7, 13, 50]), lr=0.5, t_max=13, eta_min=0.2),
    ]
    return compare("cosine_schedule", user_fn, _reference, cases, MISTAKES)
