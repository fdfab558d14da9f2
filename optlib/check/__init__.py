"""Checkers for the exercises: ``optlib.check.<exercise>(your_function)``.

Each returns a :class:`CheckResult` that reads "✓ …" or "✗ …" with the mistake in words.
"""

from .ch01 import gradient_descent
from .core import CheckResult, Mistake, compare

__all__ = ["CheckResult", "Mistake", "compare", "gradient_descent"]
