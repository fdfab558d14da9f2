"""Checkers for the exercises: ``optlib.check.<exercise>(your_function)``.

Each returns a :class:`CheckResult` that reads "✓ …" or "✗ …" with the mistake in words.
"""

from .ch01 import gradient_descent
from .ch02 import sgd_epoch
from .ch03 import momentum_descent, nesterov_descent
from .ch04 import adagrad
from .ch05 import rmsprop
from .ch06 import adam
from .ch07 import steps_to_tolerance
from .ch08 import cosine_schedule
from .ch09 import log_uniform_sample
from .ch10 import dense_backward, softmax_cross_entropy_grad
from .core import CheckResult, Mistake, compare

__all__ = [
    "CheckResult",
    "Mistake",
    "compare",
    "gradient_descent",
    "sgd_epoch",
    "momentum_descent",
    "nesterov_descent",
    "adagrad",
    "rmsprop",
    "adam",
    "steps_to_tolerance",
    "cosine_schedule",
    "log_uniform_sample",
    "softmax_cross_entropy_grad",
    "dense_backward",
]
