r"""Chapter 9: sample a learning rate on a log scale.

The reader writes ``log_uniform_sample(low, high, n, seed)``: ``n`` values whose base-10
logarithm is uniform on :math:`[\log_{10} \text{low}, \log_{10} \text{high}]`, drawn with
``rng = np.random.default_rng(seed)`` and one call of ``rng.uniform`` (the way
:func:`optlib.search.log_uniform` samples). :data:`MISTAKES` lists the slips it recognises.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .core import CheckResult, Mistake, compare


def _reference(low, high, n, seed):
    rng = np.random.default_rng(seed)
    return 10.0 ** rng.uniform(np.log10(low), np.log10(high), n)


def _linear(low, high, n, seed):
    return np.random.default_rng(seed).uniform(low, high, n)


def _bounds_as_exponents(low, high, n, seed):
    return 10.0 ** np.random.default_rng(seed).uniform(low, high, n)


def _mixed_bases(low, high, n, seed):
    return np.exp(np.random.default_rng(seed).uniform(np.log10(low), np.log10(high), n))


def _log_of_uniform(low, high, n, seed):
    return np.log10(np.random.default_rng(seed).uniform(low, high, n))


#: The known wrong answers, each with the feedback the reader gets.
MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        _linear,
        "your samples are uniform on the linear scale, so nearly all of them land in the top "
        "decade; draw the exponent uniformly instead: 10 ** rng.uniform(log10(low), "
        "log10(high), n).",
    ),
    Mistake(
        _bounds_as_exponents,
        "you drew the exponent between low and high themselves; draw it between log10(low) "
        "and log10(high).",
    ),
    Mistake(
        _mixed_bases,
        "you mixed bases: the exponent is in log10 but you raised e to it; use 10 ** u (or "
        "np.log with np.exp throughout).",
    ),
    Mistake(
        _log_of_uniform,
        "you returned log10 of linear samples: sample the exponent uniformly and return 10 ** "
        "exponent, the rates themselves.",
    ),
)


def log_uniform_sample(user_fn: Callable) -> CheckResult:
    """Check ``user_fn(low, high, n, seed)`` against log-uniform sampling over a few ranges."""
    cases = [
        dict(low=1e-4, high=1.0, n=1000, seed=0),
        dict(low=1e-6, high=1e-2, n=50, seed=7),
        dict(low=0.5, high=2.0, n=20, seed=3),
    ]
    return compare("log_uniform_sample", user_fn, _reference, cases, MISTAKES)
