"""The machinery of the exercise checkers.

A checker calls the reader's function on a few cases, compares with the reference and,
when they differ, tries the known mistakes one by one: if the reader's answer matches a
mistake, the feedback names it in words rather than printing two arrays.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..optimizers import Optimizer

#: The axes of a checker's answer that lists iterates: shape ``(steps + 1, n)``.
ITERATES = ("iterate", "coordinate")


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
    axes: Sequence[str] | None = None,
) -> CheckResult:
    """Compare ``user_fn`` with ``reference`` on every case (keyword arguments).

    Each case is passed to both functions as fresh copies, so a function that changes its
    inputs in place cannot spoil the comparison. ``axes`` names the axes of the answer,
    e.g. ``("iterate", "coordinate")`` for iterates of shape ``(steps + 1, 2)``: a generic
    message then points at "iterate t, coordinate i", the first entry that differs.
    """
    if not callable(user_fn):
        return CheckResult(False, f"✗ {name}: expected a function, got {type(user_fn).__name__}")
    wrong_names = _parameter_names(user_fn, cases[0]) if cases else None
    if wrong_names:
        return CheckResult(False, f"✗ {name}: {wrong_names}")
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
            got_dtype = np.asarray(got).dtype
            got_a = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return CheckResult(
                False, f"✗ {name}: case {i} returned {type(got).__name__}, not an array of numbers"
            )
        if got_a.shape != want_a.shape:
            return CheckResult(
                False, f"✗ {name}: case {i} returned shape {got_a.shape}, expected {want_a.shape}"
            )
        return CheckResult(
            False,
            f"✗ {name}: case {i} differs from the reference; "
            + _difference(got_a, want_a, got_dtype, rtol, atol, axes),
        )
    return CheckResult(True, f"✓ {name}: all {len(cases)} cases match the reference")


def _parameter_names(user_fn: Callable[..., Any], case: dict[str, Any]) -> str | None:
    """``None`` if ``user_fn`` accepts the case's keyword arguments, else what to rename."""
    try:
        signature = inspect.signature(user_fn)
    except (TypeError, ValueError):  # no signature to read (a builtin): just call it
        return None
    try:
        signature.bind(**case)
        return None
    except TypeError:
        pass
    named = [
        p.name
        for p in signature.parameters.values()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    missing = [n for n in case if n not in named]
    unknown = [
        n
        for n in named
        if n not in case and signature.parameters[n].default is inspect.Parameter.empty
    ]
    detail = []
    if missing:
        detail.append("it has no parameter " + ", ".join(missing))
    if unknown:
        detail.append("the checker does not pass " + ", ".join(unknown))
    return (
        f"your function's parameters are ({', '.join(named)}), but the checker calls it with "
        f"the keyword arguments ({', '.join(case)}): use these names"
        + (f" ({'; '.join(detail)})." if detail else ".")
    )


def _difference(
    got: np.ndarray,
    want: np.ndarray,
    got_dtype: np.dtype,
    rtol: float,
    atol: float,
    axes: Sequence[str] | None,
) -> str:
    """Where the first differing entry is, and both values with enough digits to differ."""
    with np.errstate(invalid="ignore"):
        differs = ~np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    flat = int(np.argmax(differs.ravel())) if differs.any() else 0
    where = tuple(int(k) for k in np.unravel_index(flat, want.shape)) if want.ndim else ()
    if not where:
        place = ""
    elif axes is not None and len(axes) == len(where):
        place = "first at " + ", ".join(f"{a} {k}" for a, k in zip(axes, where, strict=True))
        place += ": "
    else:
        place = f"first at index {where}: "
    mine, ref = _distinct(float(got[where]), float(want[where]))
    message = f"{place}you have {mine}, expected {ref}"
    if np.issubdtype(got_dtype, np.floating) and np.finfo(got_dtype).bits < 64:
        message += (
            f" (your answer is {got_dtype}, which keeps only about "
            f"{np.finfo(got_dtype).precision} significant digits: compute in float64)"
        )
    return message


def _distinct(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` printed with the fewest significant digits (at least 6) that differ."""
    for digits in range(6, 18):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right:
            return left, right
    return repr(a), repr(b)


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
