"""optlib: the small numpy library behind the course "How deep networks are trained".

Its modules follow the book: ``problems`` (test functions), ``optimizers`` (one module per
update rule), ``run`` (batched runs with a status per run), ``plot`` and ``animation`` (one
colour per optimizer), ``compare`` (the fair comparison protocol), ``schedules`` (learning
rates as functions of the step), ``search`` (grid, random and coarse-to-fine), ``data`` and
``models`` (digits and networks), ``fits`` (rates and times measured from runs), ``stats``
(paired tests between classifiers), ``timing`` (wall time without the bookkeeping),
``check`` (exercise checkers) and ``claims`` (the prose's numbers, checked where they are
computed, and printed portably).

Two modules are imported on demand, because they bring large libraries: ``optlib.explore``
(the interactive figures, with Altair) and ``optlib.tune`` (search at scale, with Optuna).
"""

from . import (
    animation,
    check,
    claims,
    compare,
    data,
    fits,
    models,
    plot,
    problems,
    schedules,
    search,
    stats,
    timing,
)
from .optimizers import ALL, SGD, AdaGrad, Adam, AdamW, Momentum, Nesterov, Optimizer, RMSProp
from .problems import Problem, quadratic
from .run import RunResult, run

__version__ = "0.1.0"

__all__ = [
    "ALL",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "AdamW",
    "Optimizer",
    "Problem",
    "quadratic",
    "RunResult",
    "run",
    "animation",
    "check",
    "claims",
    "compare",
    "data",
    "models",
    "plot",
    "problems",
    "schedules",
    "search",
    "fits",
    "stats",
    "timing",
]
