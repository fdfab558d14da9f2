"""Explorables: the book's key ideas as interactive figures that need no kernel.

Each function computes, batched, every state its controls can reach, and returns an
:class:`Explorable`: a Vega-Lite chart (built with Altair) whose sliders only choose which
precomputed rows are drawn. What the reader sees is what optlib computed.

============================  =========  ==============================================
function                      chapter    controls
============================  =========  ==============================================
:func:`step_size`             1          α
:func:`momentum`              3          α, ρ
:func:`ewma`                  5          β
:func:`adam_moments`          6          β₁, β₂, bias correction on/off
:func:`side_by_side`          7          optimizer, problem, α
:func:`schedules`             8          schedule, a setting of its parameter
============================  =========  ==============================================
"""

from collections.abc import Callable

from ._embed import Explorable
from .ch01 import step_size
from .ch03 import momentum
from .ch05 import ewma
from .ch06 import adam_moments
from .ch07 import side_by_side
from .ch08 import schedules

#: Every explorable by name, as its function (the name is also its figure's file name).
ALL: dict[str, Callable[[], Explorable]] = {
    "step_size": step_size,
    "momentum": momentum,
    "ewma": ewma,
    "adam_moments": adam_moments,
    "side_by_side": side_by_side,
    "schedules": schedules,
}

__all__ = [
    "ALL",
    "Explorable",
    "adam_moments",
    "ewma",
    "momentum",
    "schedules",
    "side_by_side",
    "step_size",
]
