"""optlib: the small numpy library behind the course "How deep networks are trained".

Its modules follow the book: ``problems`` (test functions), ``optimizers`` (one module per
update rule), ``run`` (batched runs with a status per run), ``plot`` (one colour per
optimizer), ``check`` (exercise checkers), ``data`` and ``models`` (digits and networks).
"""

from . import check, data, models, plot, problems
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
    "check",
    "data",
    "models",
    "plot",
    "problems",
]
