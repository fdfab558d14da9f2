"""The optimizers of the book, one module per chapter; torch.optim's names and defaults."""

from .adagrad import AdaGrad
from .adagrad_full import FullMatrixAdaGrad
from .adam import Adam, AdamW
from .base import Optimizer, check_range
from .momentum import Momentum, Nesterov
from .rmsprop import RMSProp
from .sgd import SGD

ALL = (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, AdamW)

__all__ = [
    "ALL",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "FullMatrixAdaGrad",
    "RMSProp",
    "Adam",
    "AdamW",
    "Optimizer",
    "check_range",
]
