"""Figures used across the book, with one fixed colour per optimizer.

The colours are the Okabe–Ito palette, chosen to stay distinguishable for readers with
the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm

from .problems import Problem
from .run import RunResult

#: One colour per optimizer, the same in every chapter.
COLORS: dict[str, str] = {
    "SGD": "#000000",
    "Momentum": "#0072B2",
    "Nesterov": "#56B4E9",
    "AdaGrad": "#009E73",
    "RMSProp": "#E69F00",
    "Adam": "#D55E00",
    "AdamW": "#CC79A7",
}
#: Other labels: colour-blind-safe, all dark enough to read on white (no yellow).
_EXTRA = ["#999999", "#117733", "#332288", "#882255", "#44AA99"]


def color(name: str) -> str:
    """The colour of an optimizer (by class name; "GD", SGD's rule with exact gradients,
    shares SGD's); other labels get stable extra colours."""
    if name == "GD":
        name = "SGD"
    if name in COLORS:
        return COLORS[name]
    return _EXTRA[sum(map(ord, name)) % len(_EXTRA)]


def contour(
    problem: Problem,
    ax: Axes | None = None,
    resolution: int = 200,
    levels: int = 30,
    log: bool = True,
    window: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> Axes:
    """Draw ``problem``'s contours in its window, with log-spaced levels and minima marked.

    Log levels show the detail near the minimum that linear levels hide. Problems that go
    below zero (the saddle) are drawn with linear levels.
    """
    ax = ax or plt.subplots(figsize=(5.5, 4.5))[1]
    (x0, x1), (y0, y1) = window or problem.window
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = problem.f(np.stack([X, Y], -1))
    shift = Z - (problem.f_min if np.isfinite(problem.f_min) else 0.0)
    if log and np.all(shift > -1e-12):
        shift = np.maximum(shift, 0) + 1e-3
        lv = np.logspace(np.log10(shift.min()), np.log10(shift.max()), levels)
        ax.contour(X, Y, shift, levels=lv, norm=LogNorm(), cmap="viridis", linewidths=0.7)
    else:
        ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=0.7)
    if len(problem.minima):
        ax.plot(
            *problem.minima.T,
            "*",
            color="#CC0000",
            ms=12,
            mec="white",
            mew=0.8,
            label="minimum",
            ls="none",
        )
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x_1$", ylabel="$x_2$", title=problem.name)
    return ax


def trajectories(
    problem: Problem,
    paths: Mapping[str, np.ndarray | RunResult],
    ax: Axes | None = None,
    title: str | None = None,
    markers: bool = True,
    **contour_kw,
) -> Axes:
    """Contours of ``problem`` with one path per label, coloured by :func:`color`.

    Each path is an array of shape ``(steps, 2)`` or a single-run :class:`RunResult`.
    """
    ax = contour(problem, ax, **contour_kw)
    for label, path in paths.items():
        xy = path.path.reshape(len(path.path), -1, 2)[:, 0] if isinstance(path, RunResult) else path
        xy = np.asarray(xy)
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            "-",
            color=color(label),
            lw=1.6,
            label=label,
            marker="o" if markers else None,
            ms=2.5,
        )
        ax.plot(*xy[0], "o", color=color(label), mfc="white", ms=6)
    ax.plot([], [], "o", color="grey", mfc="white", label="start")
    ax.legend(loc="best", fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def loss_curves(
    curves: Mapping[str, np.ndarray | RunResult],
    ax: Axes | None = None,
    title: str = "Loss against steps",
    log: bool = True,
    ylabel: str = r"loss $f(\theta_t) - f^*$",
    f_min: float = 0.0,
) -> Axes:
    """One loss curve per label against the step; ``f_min`` is subtracted for a log axis."""
    ax = ax or plt.subplots(figsize=(6, 3.8))[1]
    for label, curve in curves.items():
        y = curve.loss.reshape(len(curve.loss), -1)[:, 0] if isinstance(curve, RunResult) else curve
        ax.plot(np.asarray(y) - f_min, color=color(label), label=label, lw=1.6)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="step $t$", ylabel=ylabel, title=title)
    ax.legend(fontsize=9)
    return ax


def heatmap(
    values: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    ax: Axes | None = None,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
    cbar_label: str = "",
    log_x: bool = False,
    log_y: bool = False,
    log_values: bool = False,
    **imshow_kw,
) -> Axes:
    """A heat map of ``values[i, j]`` at ``(x[j], y[i])`` on a regular (or log-regular) grid."""
    ax = ax or plt.subplots(figsize=(6, 4.5))[1]
    values = np.asarray(values, dtype=float)
    if values.shape != (len(y), len(x)):
        raise ValueError(f"values must have shape (len(y), len(x)) = {(len(y), len(x))}")
    ex = np.log10(x) if log_x else np.asarray(x)
    ey = np.log10(y) if log_y else np.asarray(y)
    norm = LogNorm() if log_values else None
    mesh = ax.pcolormesh(_edges(ex), _edges(ey), values, norm=norm, shading="flat", **imshow_kw)
    cbar = ax.figure.colorbar(mesh, ax=ax)
    cbar.set_label(cbar_label)
    ax.set(
        xlabel=f"log10 {xlabel}" if log_x else xlabel,
        ylabel=f"log10 {ylabel}" if log_y else ylabel,
        title=title,
    )
    return ax


def _edges(centers: np.ndarray) -> np.ndarray:
    c = np.asarray(centers, dtype=float)
    if len(c) == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[2 * c[0] - mid[0]], mid, [2 * c[-1] - mid[-1]]])


def use_book_style() -> None:
    """The settings every chapter starts with: a resolution at which small labels stay
    legible (100 dpi; each page keeps within its 3 MB budget), readable fonts and a light
    grid."""
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.framealpha": 0.85,
        }
    )
