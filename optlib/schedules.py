r"""Learning-rate schedules as plain functions of the step (chapter 8).

A schedule is a function :math:`\alpha(t)` of :math:`t`, the number of steps already taken
(:math:`t = 0, 1, 2, \dots`). Every optlib optimizer accepts one for ``lr`` and calls it with
:math:`t - 1` on its step :math:`t`, so the first update uses :math:`\alpha(0)`:

.. code-block:: python

    opt = optlib.SGD(lr=schedules.cosine(0.1, t_max=500))

The factories below build schedules. Their hyperparameters may be numpy arrays that
broadcast with each other (and with ``t``, which may itself be an array of steps, handy for
plotting): a ``(n, 1)``-shaped ``lr`` is ``n`` schedules in one function, for ``n``
configurations run at once. Bad arguments raise ``ValueError`` naming the valid range.

torch's schedulers multiply the rate in place, epoch by epoch; these are the closed forms
of the same curves, so a schedule has no state and the value at step :math:`t` never
depends on how it was reached.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .optimizers.base import Hyper, check_range

Steps = int | np.ndarray
Schedule = Callable[[Steps], Hyper]


def constant(lr: Hyper) -> Schedule:
    r""":math:`\alpha_t = \alpha_0`: the same rate at every step."""
    lr = check_range("lr", lr, 0.0)

    def schedule(t: Steps) -> Hyper:
        return _value(lr + 0.0 * _steps(t))

    return _named(schedule, "constant")


def inverse_time(lr: Hyper, decay: Hyper) -> Schedule:
    r""":math:`\alpha_t = \dfrac{\alpha_0}{1 + k\,t}` with :math:`k` = ``decay`` :math:`\ge 0`.

    The rate halves at :math:`t = 1/k` and keeps falling like :math:`1/t`, slowly enough that
    :math:`\sum_t \alpha_t` diverges (SGD can still travel any distance) while
    :math:`\sum_t \alpha_t^2` converges (the gradient noise it adds up stays finite): Robbins
    and Monro's conditions. The sign is a plus: with :math:`1 - k\,t` the rate *grows*,
    becomes infinite at :math:`t = 1/k` and negative after it.
    """
    lr = check_range("lr", lr, 0.0)
    decay = check_range("decay", decay, 0.0, low_inclusive=True)

    def schedule(t: Steps) -> Hyper:
        return _value(lr / (1 + decay * _steps(t)))

    return _named(schedule, "inverse_time")


def step_decay(lr: Hyper, step_size: Hyper, gamma: Hyper = 0.1) -> Schedule:
    r""":math:`\alpha_t = \alpha_0\, \gamma^{\lfloor t / s \rfloor}`: multiply by :math:`\gamma`
    every :math:`s` = ``step_size`` steps (torch's ``StepLR``), with :math:`0 < \gamma \le 1`."""
    lr = check_range("lr", lr, 0.0)
    step_size = _count("step_size", step_size)
    gamma = check_range("gamma", gamma, 0.0, 1.0, high_inclusive=True)

    def schedule(t: Steps) -> Hyper:
        return _value(lr * gamma ** (_steps(t) // step_size))

    return _named(schedule, "step_decay")


def exponential(lr: Hyper, gamma: Hyper) -> Schedule:
    r""":math:`\alpha_t = \alpha_0\, \gamma^{t}` with :math:`0 < \gamma \le 1` (torch's
    ``ExponentialLR``). The rates sum to at most :math:`\alpha_0 / (1-\gamma)`, so the
    iterates stop moving after a few multiples of :math:`1/(1-\gamma)` steps, converged or not."""
    lr = check_range("lr", lr, 0.0)
    gamma = check_range("gamma", gamma, 0.0, 1.0, high_inclusive=True)

    def schedule(t: Steps) -> Hyper:
        return _value(lr * gamma ** _steps(t))

    return _named(schedule, "exponential")


def cosine(lr: Hyper, t_max: Hyper, eta_min: Hyper = 0.0) -> Schedule:
    r"""Cosine annealing from :math:`\alpha_0` down to :math:`\eta_{\min}` over ``t_max`` steps:

    .. math::
        \alpha_t = \eta_{\min} + \tfrac12(\alpha_0 - \eta_{\min})
        \bigl(1 + \cos(\pi\, \min(t, T) / T)\bigr), \qquad T = t_{\max}.

    For :math:`t \le T` this is the closed form of torch's ``CosineAnnealingLR``, where
    :math:`\eta_{\min}` is an absolute rate in :math:`[0, \alpha_0]` (optax's
    ``cosine_decay_schedule`` takes a fraction ``alpha`` of :math:`\alpha_0` instead). After
    :math:`T` torch's formula climbs back up, a cosine having period :math:`2T`; here the rate
    stays at :math:`\eta_{\min}`, as in optax. (Restarts on purpose are SGDR's idea.)

    A schedule value of exactly 0 is accepted (an optimizer's step is then zero; only a
    negative or non-finite value raises ``ValueError``), so with ``eta_min=0`` the steps
    after ``t_max`` do nothing: run at most ``t_max`` steps, whose last one uses
    :math:`\alpha_{T-1} > 0`.
    """
    lr = check_range("lr", lr, 0.0)
    t_max = _count("t_max", t_max)
    eta_min = check_range("eta_min", eta_min, 0.0, low_inclusive=True)
    if np.any(np.asarray(eta_min) > np.asarray(lr)):
        raise ValueError("eta_min must be in [0, lr]: the schedule anneals down to it")

    def schedule(t: Steps) -> Hyper:
        progress = np.minimum(_steps(t), t_max) / t_max
        return _value(eta_min + (lr - eta_min) * (1 + np.cos(np.pi * progress)) / 2)

    return _named(schedule, "cosine")


def warmup(schedule: Schedule | Hyper, warmup_steps: Hyper, start_factor: Hyper = 0.1) -> Schedule:
    r"""Linear warm-up for ``warmup_steps`` = :math:`W` steps, then ``schedule`` from its start:

    .. math::
        \alpha_t = \begin{cases}
            \alpha^{\text{base}}_0 \bigl(s + (1 - s)\, t / W\bigr) & t < W \\
            \alpha^{\text{base}}_{t - W} & t \ge W
        \end{cases}

    with :math:`s` = ``start_factor`` in :math:`(0, 1]`. This is torch's ``LinearLR`` followed
    by the base scheduler in a ``SequentialLR``. ``schedule`` may also be a plain rate.
    """
    base = schedule if callable(schedule) else constant(schedule)
    warmup_steps = _count("warmup_steps", warmup_steps)
    start_factor = check_range("start_factor", start_factor, 0.0, 1.0, high_inclusive=True)

    def warmed(t: Steps) -> Hyper:
        t = _steps(t)
        ramp = base(0) * (start_factor + (1 - start_factor) * t / warmup_steps)
        return _value(np.where(t < warmup_steps, ramp, base(np.maximum(t - warmup_steps, 0))))

    return _named(warmed, f"warmup+{getattr(base, '__name__', 'schedule')}")


# -- helpers --------------------------------------------------------------------------------
def _steps(t: Steps) -> np.ndarray:
    """``t`` as an integer array, or ``ValueError`` unless every entry is a whole number >= 0."""
    arr = np.asarray(t)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind != "f" or not np.all(np.isfinite(arr) & (arr == np.round(arr))):
            raise ValueError(f"t must be a whole number of steps >= 0; got {t!r}")
        arr = arr.astype(np.int64)
    if np.any(arr < 0):
        raise ValueError(f"t must be a whole number of steps >= 0; got {t!r}")
    return arr


def _count(name: str, value: Hyper) -> Hyper:
    """A number of steps: a whole number >= 1 (or an array of them)."""
    arr = np.asarray(value, dtype=float)
    if arr.size == 0 or not np.all(np.isfinite(arr) & (arr >= 1) & (arr == np.round(arr))):
        raise ValueError(f"{name} must be a whole number of steps in [1, inf); got {value!r}")
    return int(arr) if arr.ndim == 0 else arr.astype(np.int64)


def _value(x: np.ndarray) -> Hyper:
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def _named(fn: Schedule, name: str) -> Schedule:
    # Optimizer.hyperparameters() labels a schedule-valued lr by its __name__.
    fn.__name__ = fn.__qualname__ = name
    return fn
