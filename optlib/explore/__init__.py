"""Explorables: the book's key ideas as interactive figures that need no kernel.

Each function computes, batched, every state its controls can reach, and returns an
:class:`Explorable`: a Vega-Lite chart (built with Altair) whose sliders only choose which
precomputed rows are drawn. What the reader sees is what optlib computed.

============================  =========  ==============================================
function                      chapter    controls
============================  =========  ==============================================
:func:`step_size`             1          α
============================  =========  ==============================================
"""

from collections.abc import Callable

from ._embed import Explorable
from .step_size import step_size

#: Every explorable by name, as its function (the name is also its figure's file name).
ALL: dict[str, Callable[[], Explorable]] = {
    "step_size": step_size,
}

__all__ = ["ALL", "Explorable", "step_size"]
