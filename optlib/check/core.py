"""The machinery of the exercise checkers.

A checker calls the reader's function on a few cases, compares with the reference and,
when they differ, tries the known mistakes one by one: if the reader's answer matches a
mistake, the feedback names it in words rather than printing two arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..optimizers import Optimizer


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: ``fn`` computes it, ``explanation`` says what went wrong."""

    fn: Callable[..., Any]
    explanation: str


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a checker. It shows as its message in a notebook."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message


def _close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def compare(
    name: str,
    user_fn: Callable[..., Any],
    reference: Callable[..., Any],
    cases: Sequence[dict[str, Any]],
    mistakes: Sequence[Mistake] = (),
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> CheckResult:
    """Compare ``user_fn`` with ``reference`` on every case (keyword arguments).

    Each case is passed to both functions as fresh copies, so a function that changes its
    inputs in place cannot spoil the comparison.
    """
    if not callable(user_fn):
        return CheckResult(False, f"✗ {name}: expected a function, got {type(user_fn).__name__}")
    for i, case in enumerate(cases, 1):
        want = reference(**_copy(case))
        try:
            with np.errstate(all="ignore"):
                got = user_fn(**_copy(case))
        except Exception as exc:  # the reader's code: report, don't crash the notebook
            return CheckResult(False, f"✗ {name}: case {i} raised {type(exc).__name__}: {exc}")
        if _close(got, want, rtol, atol):
            continue
        for mistake in mistakes:
            with np.errstate(all="ignore"):
                wrong = mistake.fn(**_copy(case))
            if _close(got, wrong, rtol, atol):
                return CheckResult(False, f"✗ {name}: {mistake.explanation}")
        want_a = np.asarray(want, dtype=float)
        try:
            got_a = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return CheckResult(
                False, f"✗ {name}: case {i} returned {type(got).__name__}, not an array of numbers"
            )
        if got_a.shape != want_a.shape:
            return CheckResult(
                False, f"✗ {name}: case {i} returned shape {got_a.shape}, expected {want_a.shape}"
            )
        where = np.unravel_index(np.nanargmax(np.abs(got_a - want_a)), want_a.shape)
        return CheckResult(
            False,
            f"✗ {name}: case {i} differs from the reference; at index {tuple(map(int, where))} "
            f"you have {got_a[where]:.6g}, expected {want_a[where]:.6g}",
        )
    return CheckResult(True, f"✓ {name}: all {len(cases)} cases match the reference")


def _copy(case: dict[str, Any]) -> dict[str, Any]:
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in case.items()}


def iterates(
    opt: Optimizer, grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, steps: int
) -> np.ndarray:
    r"""The points :math:`x_0, x_1, \dots, x_{steps}` that ``opt`` visits from ``x0``, shape
    ``(steps + 1, *x0.shape)``: the answers of the checkers, computed by optlib itself."""
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(steps):
        opt.step(x, grad(x))
        xs.append(x.copy())
    return np.array(xs)
