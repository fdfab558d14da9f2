"""Pieces every explorable uses: a slider over a precomputed grid, contour lines."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from ..problems import Problem


def slider(name: str, label: str, grid: np.ndarray, value: float) -> alt.Parameter:
    """A range input that moves over the evenly spaced ``grid`` and starts at ``value``.

    The chart filters its precomputed rows on ``abs(datum.key - name) < 1e-6``, so the
    grid's values must be rounded as the data's are.
    """
    grid = np.asarray(grid, dtype=float)
    steps = np.diff(grid)
    if grid.ndim != 1 or len(grid) < 2 or not np.allclose(steps, steps[0], rtol=1e-6):
        raise ValueError(f"grid for {name} must be 1-D and evenly spaced")
    if not np.isclose(grid, value).any():
        raise ValueError(f"value {value} of {name} is not on its grid")
    return alt.param(
        name=name,
        value=value,
        # The browser allows min + n·step up to max; (max − min)/step computed in floating
        # point may fall just short of an integer, so max gets a thousandth of a step more.
        bind=alt.binding_range(
            min=float(grid[0]),
            max=float(grid[-1] + steps[0] / 1000),
            step=float(steps[0]),
            name=label + " ",
        ),
    )


def contour_lines(problem: Problem, levels: Sequence[float], points: int = 120) -> pd.DataFrame:
    """Contour lines of ``problem`` at ``levels`` over its window, traced by contourpy
    (matplotlib's contour algorithm): columns level ("value/piece"), k (the order along
    the piece), x1, x2."""
    from contourpy import contour_generator

    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    xs, ys = np.linspace(x_lo, x_hi, points), np.linspace(y_lo, y_hi, points)
    X, Y = np.meshgrid(xs, ys)
    Z = problem(np.stack([X, Y], -1))
    gen = contour_generator(X, Y, Z)
    rows = []
    for level in levels:
        for piece, line in enumerate(gen.lines(level)):
            for k, (x1, x2) in enumerate(line):
                rows.append((f"{level:g}/{piece}", k, round(x1, 3), round(x2, 3)))
    return pd.DataFrame(rows, columns=["level", "k", "x1", "x2"])


def runs_table(
    keys: dict[str, np.ndarray], series: dict[str, np.ndarray], decimals: dict[str, int]
) -> list[dict]:
    """One row per configuration: its keys, and each series as a list over time.

    ``keys`` maps a name to shape ``(K,)``; ``series`` maps a name to shape ``(K, T)``;
    each series is rounded to ``decimals[name]`` places (what the eye can see). A chart
    filters the rows of the chosen configuration and flattens the lists (see
    :func:`flattened`), so each number is written once, with no repeated keys.
    """
    k = {len(v) for v in keys.values()} | {len(v) for v in series.values()}
    if len(k) != 1:
        raise ValueError(f"keys and series must have the same number of configurations; got {k}")
    rows = []
    for i in range(k.pop()):
        row = {name: float(values[i]) for name, values in keys.items()}
        for name, values in series.items():
            row[name] = [float(v) for v in np.round(values[i], decimals[name])]
        rows.append(row)
    return rows


def flattened(dataset: str, chosen: str, series: list[str], name: str) -> alt.Chart:
    """A chart (called ``name``) of the rows of ``dataset`` (a table of :func:`runs_table`,
    given to the :class:`Explorable` by name) that satisfy the expression ``chosen``, with
    the lists ``series`` flattened into one datum per time step."""
    chart = alt.Chart(alt.NamedData(name=dataset), name=name)
    return chart.transform_filter(chosen).transform_flatten(series)


def averages_panel(
    points: pd.DataFrame,
    value: str,
    dataset: str,
    chosen: str,
    names: tuple[str, str, str],
    title: str,
    width: int,
    dot_size: int,
) -> alt.LayerChart:
    """Noisy values (grey dots, column ``value`` of ``points``) with their moving average
    ``m`` (blue) and its bias-corrected form ``mhat`` (red, dashed), both from the rows of
    ``dataset`` that satisfy ``chosen``; ``names`` are the three marks' names."""
    t = alt.X("t:Q", title="step t")
    raw = (
        alt.Chart(points, name=names[0])
        .mark_circle(color="#999999", size=dot_size)
        .encode(x=t, y=alt.Y(f"{value}:Q", title="value"))
    )
    series = ["t", "m", "mhat"]
    plain = flattened(dataset, chosen, series, names[1]).mark_line(color="#1f77b4")
    corrected = flattened(dataset, chosen, series, names[2]).mark_line(
        color="#d62728", strokeDash=[5, 3]
    )
    layers = raw + plain.encode(x=t, y="m:Q") + corrected.encode(x=t, y="mhat:Q")
    return layers.properties(width=width, height=220, title=title)
