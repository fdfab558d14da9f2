r"""A fair comparison of optimizers on one problem (chapter 7).

A single run of each optimizer with hand-picked settings mostly measures how well the
settings were picked. The protocol here removes the usual biases:

1. **Tune every optimizer alike, on held-out starts.** Each one runs every learning rate of
   a log grid at once (an ``lr`` of shape ``(n, 1, 1)`` against params of shape
   ``(n, S, 2)``) from ``S`` *tuning starts*, for exactly the **reporting horizon**
   :math:`T`, and keeps the rate with the lowest **median** final loss gap
   :math:`f(\theta_T) - f^*` over those starts. The tuning starts are drawn from the same
   distribution as the evaluation starts but from their own seed, so the rate is neither
   fitted to the starts it is judged on nor to one start that may not look like them; the
   median keeps one unlucky start from deciding. Tuning on a shorter horizon than the one
   reported favours optimizers that start fast and then stall.
2. **Report distributions, not one lucky run.** The tuned optimizer then runs from
   ``n_starts`` seeded evaluation starts (one batched run), and the result gives the median
   and interquartile band of the loss gap at every step, the success rate (the fraction of
   runs whose gap reaches ``tol``), the divergence rate, and the steps to ``tol`` *among the
   successful runs* (always shown beside the success rate: alone, it flatters a method
   that rarely succeeds).

A run that diverges counts as an infinite gap from the step it diverged on, so the
quantiles are order statistics (:func:`upper_quantile`), never an interpolation with ``inf``.
Passing ``tune_starts=problem.start`` gives the one-start protocol, for contrast: the
ranking of optimizers depends on the tuning protocol (Choi et al. 2019; Sivaprasad et al.
2020; Schmidt et al. 2021).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .optimizers.base import Optimizer
from .plot import color
from .problems import Problem
from .run import DIVERGED, RunResult, run

#: Makes an optimizer from a learning rate (a float or an array), e.g. ``optlib.Adam``.
Factory = Callable[..., Optimizer]


def steps_to_tolerance(gap: np.ndarray, tol: float) -> np.ndarray:
    r"""The first step :math:`t` at which ``gap[t] <= tol``, for each run; -1 if never.

    ``gap`` has shape ``(steps + 1, *batch)``, row 0 being the start; the result has shape
    ``batch``. The *first* passage counts, even if a run later climbs back above ``tol``.
    """
    gap = np.asarray(gap, dtype=float)
    if gap.ndim < 1 or len(gap) < 1:
        raise ValueError(
            f"gap must have shape (steps + 1, ...) with at least one row; got {gap.shape}"
        )
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0; got {tol!r}")
    reached = gap <= tol
    return np.where(reached.any(axis=0), reached.argmax(axis=0), -1)


def upper_quantile(values: np.ndarray, q: float | list[float], axis: int = -1) -> np.ndarray:
    """Quantiles as order statistics rounded up (numpy's ``method="higher"``).

    Diverged runs count as ``inf``, and interpolating between two of them gives ``nan``;
    an order statistic never does. Rounding up errs on the pessimistic side: the median of
    16 runs is the 9th best, so it is ``inf`` as soon as half of the runs diverged.
    """
    return np.quantile(np.asarray(values, dtype=float), q, axis=axis, method="higher")


def loss_gap(result: RunResult, problem: Problem) -> np.ndarray:
    r""":math:`f(\theta_t) - f^*` for every step and run of ``result``, shape
    ``(steps + 1, *batch)``.

    From the step a run diverged on, its gap is ``inf``.
    """
    if not np.isfinite(problem.f_min):
        raise ValueError(f"problem {problem.name!r} has no finite minimum value f_min")
    gap = result.loss - problem.f_min
    steps = np.arange(len(gap)).reshape(-1, *([1] * (gap.ndim - 1)))
    diverged = (result.outcome == DIVERGED) & (steps >= result.stop_step)
    return np.where(diverged | ~np.isfinite(gap), np.inf, gap)


def tune_lr(
    factory: Factory,
    problem: Problem,
    lrs: np.ndarray,
    steps: int,
    starts: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Run every learning rate of ``lrs`` at once from every point of ``starts``.

    ``starts`` has shape ``(2,)`` (one start) or ``(S, 2)``; default ``problem.start``.
    Each learning rate is scored by the median of its final loss gaps over the starts (an
    order statistic rounded up: ``inf`` once half of its runs diverged). Returns the
    learning rate with the lowest score (the smallest one among ties) and the scores of
    all of them, shape ``(len(lrs),)``.
    """
    lrs = _check_grid(lrs)
    starts = np.asarray(problem.start if starts is None else starts, dtype=float)
    if starts.ndim not in (1, 2) or starts.shape[-1:] != (2,) or starts.size == 0:
        raise ValueError(f"starts must have shape (2,) or (S, 2); got {starts.shape}")
    points = np.broadcast_to(starts.reshape(-1, 2), (len(lrs), starts.size // 2, 2))
    result = run(factory(lr=lrs[:, None, None]), problem, points, steps, tol=None)
    score = upper_quantile(loss_gap(result, problem)[-1], 0.5, axis=1)
    if not np.isfinite(score).any():
        raise ValueError(
            f"every learning rate in lrs diverged on at least half of the starts for "
            f"{result.optimizer} on {problem.name}; extend the grid towards smaller values"
        )
    return float(lrs[np.argmin(score)]), score


def random_starts(
    problem: Problem,
    n_starts: int,
    seed: int = 0,
    box: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> np.ndarray:
    """Points drawn uniformly in ``box`` (default the problem's window), shape (n_starts, 2)."""
    if isinstance(n_starts, bool) or int(n_starts) != n_starts or n_starts < 1:
        raise ValueError(f"n_starts must be an integer >= 1; got {n_starts!r}")
    (x0, x1), (y0, y1) = box or problem.window
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"box must be ((x_lo, x_hi), (y_lo, y_hi)) with lo < hi; got {box!r}")
    rng = np.random.default_rng(seed)
    return rng.uniform([x0, y0], [x1, y1], size=(int(n_starts), 2))


@dataclass
class Comparison:
    """The result of :func:`compare`: tuned rates, the runs' loss gaps and their summaries."""

    problem: str
    steps: int
    tol: float
    lrs: np.ndarray  #: the learning-rate grid, shape (n,)
    tuning: pd.DataFrame  #: median final gap over the tuning starts (rows: lr, columns: optimizer)
    best_lr: dict[str, float]  #: the tuned learning rate of each optimizer
    tune_starts: np.ndarray  #: the tuning starts, shape (S, 2)
    starts: np.ndarray  #: the evaluation starts, shape (n_starts, 2)
    gaps: dict[str, np.ndarray]  #: f(θ_t) − f* per optimizer, shape (steps + 1, n_starts)

    @property
    def bands(self) -> pd.DataFrame:
        """One row per optimizer and step: the quartiles of the gap over the starts."""
        frames = []
        for name, gap in self.gaps.items():
            q25, median, q75 = upper_quantile(gap, [0.25, 0.5, 0.75], axis=1)
            frames.append(
                pd.DataFrame(
                    {
                        "optimizer": name,
                        "step": np.arange(len(gap)),
                        "q25": q25,
                        "median": median,
                        "q75": q75,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    @property
    def table(self) -> pd.DataFrame:
        """One row per optimizer: its tuned lr, success and divergence rates, and the steps to
        ``tol`` among the successful runs (``nan`` if none succeeded)."""
        rows = []
        for name, gap in self.gaps.items():
            hit = steps_to_tolerance(gap, self.tol)
            ok = hit >= 0
            success_steps = hit[ok] if ok.any() else np.array([np.nan])
            rows.append(
                {
                    "optimizer": name,
                    "lr": self.best_lr[name],
                    "lr on grid border": self.best_lr[name] in (self.lrs[0], self.lrs[-1]),
                    "success rate": ok.mean(),
                    "diverged": np.isinf(gap[-1]).mean(),
                    "median steps to tol, among successes": np.median(success_steps),
                    "worst steps to tol, among successes": success_steps.max(),
                    "median final gap": upper_quantile(gap[-1], 0.5),
                }
            )
        return pd.DataFrame(rows).set_index("optimizer")

    def plot(self, title: str | None = None) -> Figure:
        """One panel per optimizer: the median gap against steps and the interquartile band,
        over the other optimizers' medians in grey; the panel's title gives the tuned lr and
        the share of runs that diverged.

        The axis spans from ``tol / 1e4`` to 10 times the highest finite median, so that the
        early quartiles of runs about to diverge do not stretch it over dozens of decades.
        Values outside are drawn at its edges; ``inf`` (diverged runs) leaves at the top.
        """
        bands = {name: band for name, band in self.bands.groupby("optimizer", sort=False)}
        medians = np.concatenate([band["median"].to_numpy() for band in bands.values()])
        low, high = self.tol / 1e4, 10 * medians[np.isfinite(medians)].max(initial=self.tol)

        def clipped(values: pd.Series) -> np.ndarray:
            return np.clip(values.to_numpy(), low, 10 * high)

        cols = min(3, len(bands))
        rows = -(-len(bands) // cols)
        fig, axes = plt.subplots(
            rows, cols, figsize=(3.7 * cols, 2.9 * rows), sharex=True, sharey=True, squeeze=False
        )
        table = self.table
        for ax, (name, band) in zip(axes.flat, bands.items(), strict=False):
            for other, other_band in bands.items():
                if other != name:
                    ax.plot(other_band["step"], clipped(other_band["median"]), color="0.8", lw=0.8)
            ax.fill_between(
                band["step"],
                clipped(band["q25"]),
                clipped(band["q75"]),
                color=color(name),
                alpha=0.25,
                lw=0,
                label="quartiles",
            )
            ax.plot(
                band["step"], clipped(band["median"]), color=color(name), lw=1.6, label="median"
            )
            ax.axhline(self.tol, color="grey", ls=":", lw=1, label=f"tol = {self.tol:g}")
            diverged = table.loc[name, "diverged"]
            ax.set_title(
                f"{name}: lr = {self.best_lr[name]:.3g}, {diverged:.0%} diverged", fontsize=9
            )
            ax.set(yscale="log", ylim=(low, high))
        for ax in axes.flat[len(bands) :]:
            ax.set_visible(False)
        for ax in axes[-1]:
            ax.set_xlabel("step $t$")
        for ax in axes[:, 0]:
            ax.set_ylabel(r"$f(\theta_t) - f^*$")
        axes[0, 0].plot([], [], color="0.8", lw=0.8, label="other medians")
        axes[0, 0].legend(fontsize=7, loc="lower left")
        n = len(self.starts)
        fig.suptitle(title or f"{self.problem}: median and quartiles over {n} starts")
        # Fixed margins in inches (every panel has the same size): tight_layout would measure
        # every label to find them, which costs as much as drawing the figure.
        width, height = fig.get_size_inches()
        fig.subplots_adjust(
            left=0.8 / width,
            right=1 - 0.15 / width,
            bottom=0.55 / height,
            top=1 - 0.6 / height,
            wspace=0.08,
            hspace=0.25,
        )
        return fig


def compare(
    factories: Mapping[str, Factory],
    problem: Problem,
    lrs: np.ndarray,
    steps: int,
    n_starts: int = 16,
    seed: int = 0,
    tol: float = 1e-6,
    box: tuple[tuple[float, float], tuple[float, float]] | None = None,
    tune_starts: int | np.ndarray = 16,
    tune_seed: int = 1,
) -> Comparison:
    """Tune each optimizer's lr on held-out starts, then run it from the evaluation starts.

    Parameters
    ----------
    factories:
        Label → a callable making the optimizer from ``lr=...``: a class such as
        ``optlib.Adam``, or e.g. ``lambda lr: optlib.Momentum(lr=lr, momentum=0.99)``.
    lrs:
        The learning-rate grid, positive and increasing (typically ``np.logspace``).
    steps:
        The horizon, the same for tuning and for reporting.
    n_starts, seed, box:
        The evaluation starts: ``n_starts`` points uniform in ``box`` (default the window),
        drawn from ``np.random.default_rng(seed)``.
    tune_starts, tune_seed:
        The tuning starts. An integer draws that many points from the same box with
        ``np.random.default_rng(tune_seed)``, which must differ from ``seed``; an array of
        shape ``(2,)`` or ``(S, 2)`` gives them explicitly (``problem.start`` is the
        one-start protocol). Each rate is scored by its median final gap over them
        (:func:`tune_lr`).
    tol:
        A run succeeds when its loss gap reaches ``tol``.
    """
    if not factories:
        raise ValueError("factories must name at least one optimizer")
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a finite number > 0; got {tol!r}")
    lrs = _check_grid(lrs)
    starts = random_starts(problem, n_starts, seed, box)
    if isinstance(tune_starts, int | np.integer) and not isinstance(tune_starts, bool):
        if tune_seed == seed:
            raise ValueError(
                f"tune_seed must differ from seed ({seed}): the tuning starts must be held out"
            )
        tune_starts = random_starts(problem, int(tune_starts), tune_seed, box)
    tune_starts = np.asarray(tune_starts, dtype=float).reshape(-1, 2)
    tuning, best, gaps = {}, {}, {}
    for name, factory in factories.items():  # one batched run per optimizer and stage
        best[name], tuning[name] = tune_lr(factory, problem, lrs, steps, tune_starts)
        result = run(factory(lr=best[name]), problem, starts, steps, tol=None)
        gaps[name] = loss_gap(result, problem)
    return Comparison(
        problem=problem.name,
        steps=int(steps),
        tol=float(tol),
        lrs=lrs,
        tuning=pd.DataFrame(tuning, index=pd.Index(lrs, name="lr")),
        best_lr=best,
        tune_starts=tune_starts,
        starts=starts,
        gaps=gaps,
    )


def _check_grid(lrs: np.ndarray) -> np.ndarray:
    lrs = np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or len(lrs) < 2:
        raise ValueError(f"lrs must be a 1-D grid of at least 2 learning rates; got {lrs.shape}")
    if not (np.all(np.isfinite(lrs)) and np.all(lrs > 0) and np.all(np.diff(lrs) > 0)):
        raise ValueError("lrs must be finite, > 0 and strictly increasing")
    return lrs
