"""Claims the prose makes, checked where they are computed, and numbers printed portably.

The book's sentences state numbers ("under 1 % of the runs diverge", "the measured rate
matches (κ−1)/(κ+1) to 3 digits"). Each such sentence is backed by a :func:`claim` in a
collapsed cell next to the computation, so that a notebook whose numbers drift away from
its text fails, with the sentence in the message, instead of contradicting itself.

Printed numbers must be the same on every CPU. numpy's SIMD kernels and OpenBLAS's
per-CPU kernels change the last bits of a result, so:

* :func:`sig` prints a number to a few significant digits, and refuses (raises) when the
  number lies so close to a rounding boundary that another CPU could print the other
  neighbour: such a printout is on a knife-edge and needs fewer digits.
* :func:`bound` prints a quantity that is pure round-off as the upper bound it stays under
  ("below 1e-14"), never as its digits.
"""

from __future__ import annotations

import math

import numpy as np

#: Relative perturbation that a printed digit must survive: far above float64 round-off
#: accumulated over a run (1e-16 per operation), far below any digit the book prints.
PORTABLE_RTOL = 1e-9


class ClaimError(AssertionError):
    """A sentence of the book no longer holds for the numbers the notebook computed."""


def claim(statement: str, holds: bool | np.bool_, measured: object = None) -> None:
    """Check that ``statement``, a sentence of the prose, holds.

    ``holds`` is the test itself (for example ``frac_diverged < 0.01``); ``measured`` is
    shown in the message when it fails, so the reader sees what was computed instead.
    """
    if not bool(holds):
        detail = "" if measured is None else f" (measured: {measured})"
        raise ClaimError(f"the book says {statement!r}, but that no longer holds{detail}")


def claim_close(
    statement: str, measured: float, expected: float, rtol: float = 0.0, atol: float = 0.0
) -> None:
    """Check that ``measured`` agrees with ``expected`` to the tolerance that ``statement``
    states (``|measured − expected| <= atol + rtol·|expected|``)."""
    if rtol < 0 or atol < 0 or (rtol == 0 and atol == 0):
        raise ValueError("claim_close needs rtol >= 0 and atol >= 0, not both 0")
    ok = abs(measured - expected) <= atol + rtol * abs(expected)
    claim(statement, ok, f"{measured!r} against {expected!r}")


def sig(x: float, digits: int = 3, rtol: float = PORTABLE_RTOL) -> str:
    """``x`` with ``digits`` significant digits, as every CPU prints it.

    Raises ``ValueError`` if a relative change of ``rtol`` in ``x`` could change the
    printed text: the value is on a rounding knife-edge, so print fewer digits.
    """
    if not isinstance(digits, int) or digits < 1:
        raise ValueError(f"digits must be an integer >= 1; got {digits!r}")
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.{digits}g}"
    if x != 0:
        low, high = x * (1 - rtol), x * (1 + rtol)
        if f"{low:.{digits}g}" != text or f"{high:.{digits}g}" != text:
            raise ValueError(
                f"{x!r} printed to {digits} significant digits is on a rounding knife-edge: "
                f"another CPU may print a different last digit; print fewer digits"
            )
    return text


def fixed(x: float, decimals: int = 2, rtol: float = PORTABLE_RTOL) -> str:
    """``x`` with ``decimals`` digits after the point (``f"{x:.{decimals}f}"``), refusing
    a knife-edge in the same way as :func:`sig`."""
    if not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be an integer >= 0; got {decimals!r}")
    x = float(x)
    text = f"{x:.{decimals}f}"
    if math.isfinite(x) and x != 0:
        low, high = x * (1 - rtol), x * (1 + rtol)
        if f"{low:.{decimals}f}" != text or f"{high:.{decimals}f}" != text:
            raise ValueError(
                f"{x!r} printed with {decimals} decimals is on a rounding knife-edge; "
                f"print fewer decimals"
            )
    return text


def bound(x: float, limit: float) -> str:
    """A round-off-sized quantity printed as the bound it stays under: "below 1e-14".

    Round-off differs from one CPU to the next, so its digits are never printed. The
    author chooses ``limit`` with room to spare (a factor of 10 or more above what is
    measured); it is checked like a :func:`claim`, and the text is the same everywhere.
    """
    x, limit = abs(float(x)), float(limit)
    if not (math.isfinite(limit) and limit > 0):
        raise ValueError(f"limit must be finite and > 0; got {limit!r}")
    claim(f"below {limit:g}", x < limit, f"{x:.3g}")
    return f"below {limit:g}"
