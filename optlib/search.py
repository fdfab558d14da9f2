r"""Hyperparameter search: grid, random, quasi-random and coarse-to-fine (chapter 9).

A **search space** maps each hyperparameter's name to a :class:`Range`, either
:func:`uniform` or :func:`log_uniform` (uniform in :math:`\log_{10}`, the right scale for a
learning rate). An **objective** takes the hyperparameters as keyword arguments and returns
a score, lower is better (pass ``minimize=False`` for accuracies).

With ``batched=True`` (the default) the objective is called **once** with an array of shape
``(n,)`` per hyperparameter, one entry per configuration, and must return ``n`` scores. This
is how optlib runs sweeps: the arrays become hyperparameters of shape ``(n, 1, ...)`` that
broadcast against ``n`` copies of the parameters. With ``batched=False`` it is called once per
configuration with plain floats.

Every search returns a tidy :class:`pandas.DataFrame` with one row per configuration: a
``trial`` number, one column per hyperparameter and the ``score`` (plus the ``round`` of a
coarse-to-fine search). Random draws come from ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

Objective = Callable[..., float | np.ndarray]


@dataclass(frozen=True)
class Range:
    """An interval ``[low, high]`` of one hyperparameter, searched linearly or in log10."""

    low: float
    high: float
    log: bool = False

    def __post_init__(self) -> None:
        low, high = float(self.low), float(self.high)
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"a range needs finite low < high; got [{self.low!r}, {self.high!r}]")
        if self.log and low <= 0:
            raise ValueError(f"a log range needs low > 0, in (0, inf); got low={self.low!r}")

    def to_scale(self, x: np.ndarray) -> np.ndarray:
        """The coordinate the search is uniform in: :math:`\\log_{10} x` or :math:`x`."""
        return np.log10(x) if self.log else np.asarray(x, dtype=float)

    def from_scale(self, u: np.ndarray) -> np.ndarray:
        return 10.0**u if self.log else np.asarray(u, dtype=float)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        """Draw values uniformly in the search scale."""
        lo, hi = self.to_scale(self.low), self.to_scale(self.high)
        return self.from_scale(rng.uniform(lo, hi, size))

    def grid(self, points: int) -> np.ndarray:
        """``points`` values evenly spaced in the search scale, both ends included."""
        if isinstance(points, bool) or not isinstance(points, int | np.integer) or points < 1:
            raise ValueError(f"points must be an integer in [1, inf); got {points!r}")
        lo, hi = self.to_scale(self.low), self.to_scale(self.high)
        if points == 1:
            return self.from_scale(np.array([(lo + hi) / 2]))
        return self.from_scale(np.linspace(lo, hi, points))


def uniform(low: float, high: float) -> Range:
    """Values spread evenly between ``low`` and ``high``."""
    return Range(low, high, log=False)


def log_uniform(low: float, high: float) -> Range:
    """Values spread evenly in :math:`\\log_{10}`: every decade gets the same share."""
    return Range(low, high, log=True)


Space = Mapping[str, Range]


# -- configurations -------------------------------------------------------------------------
def grid_configs(
    space: Mapping[str, Range | Sequence[float] | np.ndarray], points: int | Mapping[str, int] = 5
) -> pd.DataFrame:
    """Every combination of ``points`` values per hyperparameter (the first name varies
    slowest). A hyperparameter may also be given as an explicit list of values."""
    _check_space(space, allow_values=True)
    axes = []
    for name, dim in space.items():
        if isinstance(dim, Range):
            k = points[name] if isinstance(points, Mapping) else points
            axes.append(dim.grid(k))
        else:
            axes.append(np.asarray(dim, dtype=float))
    mesh = np.meshgrid(*axes, indexing="ij")
    return _frame({name: m.ravel() for name, m in zip(space, mesh, strict=True)})


def random_configs(space: Space, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` configurations drawn independently, each hyperparameter in its own scale."""
    _check_space(space)
    _check_count("n", n)
    return _draw(space, n, np.random.default_rng(seed))


def quasi_random_configs(
    space: Space, n: int, seed: int = 0, method: str = "halton"
) -> pd.DataFrame:
    """``n`` configurations from a scrambled low-discrepancy sequence of
    :mod:`scipy.stats.qmc`, ``"halton"`` or ``"sobol"`` (whose balance needs ``n`` a power of
    2), each hyperparameter in its own scale.

    The points cover the box more evenly than independent draws: no two crowd together and
    no large region is left empty, which is why the Deep Learning Tuning Playbook recommends
    quasi-random search for the exploration phase of tuning.
    """
    from scipy.stats import qmc  # imported here: only this search needs scipy

    _check_space(space)
    _check_count("n", n)
    engines = {"halton": qmc.Halton, "sobol": qmc.Sobol}
    if method not in engines:
        raise ValueError(f"method must be 'halton' or 'sobol'; got {method!r}")
    if method == "sobol" and n & (n - 1):
        raise ValueError(f"a Sobol sequence needs n a power of 2 (its balance); got n={n}")
    unit = engines[method](d=len(space), scramble=True, seed=seed).random(n)
    columns = {}
    for (name, dim), u in zip(space.items(), unit.T, strict=True):
        lo, hi = dim.to_scale(dim.low), dim.to_scale(dim.high)
        columns[name] = dim.from_scale(lo + (hi - lo) * u)
    return _frame(columns)


def evaluate(objective: Objective, configs: pd.DataFrame, batched: bool = True) -> pd.DataFrame:
    """Score every row of ``configs``; returns a copy with a ``score`` column."""
    names = [c for c in configs.columns if c not in ("trial", "round", "score")]
    if batched:
        scores = np.asarray(objective(**{k: configs[k].to_numpy() for k in names}), dtype=float)
        if scores.shape != (len(configs),):
            raise ValueError(
                f"a batched objective must return one score per configuration, shape "
                f"({len(configs)},); got shape {scores.shape}"
            )
    else:
        rows = configs[names].to_dict("records")
        scores = np.array([float(objective(**row)) for row in rows])
    out = configs.copy()
    out["score"] = scores
    return out


# -- searches -------------------------------------------------------------------------------
def grid_search(
    objective: Objective,
    space: Mapping[str, Range | Sequence[float] | np.ndarray],
    points: int | Mapping[str, int] = 5,
    batched: bool = True,
) -> pd.DataFrame:
    """Evaluate the full grid of :func:`grid_configs`."""
    return evaluate(objective, grid_configs(space, points), batched)


def random_search(
    objective: Objective, space: Space, n: int, seed: int = 0, batched: bool = True
) -> pd.DataFrame:
    """Evaluate ``n`` configurations drawn by :func:`random_configs`."""
    return evaluate(objective, random_configs(space, n, seed), batched)


def coarse_to_fine(
    objective: Objective,
    space: Space,
    n: int,
    rounds: int = 3,
    seed: int = 0,
    keep: float = 0.1,
    minimize: bool = True,
    batched: bool = True,
) -> pd.DataFrame:
    r"""Random search in rounds, each one zoomed in on the best region found so far.

    Round 0 draws ``n`` configurations from ``space``. After each round the box is shrunk,
    dimension by dimension in its search scale, to the span of the best ``keep`` fraction of
    all configurations scored so far, padded by 10 % of the current width on each side and
    clipped to ``space``. A hyperparameter that matters is pinned down; one that does not
    keeps a wide span, because good scores turn up all along it, provided enough
    configurations are kept (the span of a handful of them is partly luck).

    The box of every round, ``{name: (low, high)}``, is in ``result.attrs["boxes"]``.
    """
    _check_space(space)
    _check_count("n", n)
    _check_count("rounds", rounds)
    if not 0 < keep <= 1:
        raise ValueError(f"keep must be a fraction in (0, 1]; got {keep!r}")
    rng = np.random.default_rng(seed)
    box = {name: (r.low, r.high) for name, r in space.items()}
    boxes, frames = [], []
    for r in range(rounds):
        boxes.append(dict(box))
        sub = {name: Range(*box[name], log=space[name].log) for name in space}
        scored = evaluate(objective, _draw(sub, n, rng), batched)
        scored.insert(1, "round", r)
        frames.append(scored)
        so_far = pd.concat(frames, ignore_index=True)
        order = np.argsort(_badness(so_far["score"], minimize), kind="stable")
        best_rows = so_far.iloc[order[: max(1, math.ceil(keep * len(so_far)))]]
        for name, dim in space.items():
            u = dim.to_scale(best_rows[name].to_numpy())
            lo, hi = dim.to_scale(np.array(box[name]))
            pad = 0.1 * (hi - lo)
            full_lo, full_hi = dim.to_scale(np.array([dim.low, dim.high]))
            new = np.clip([u.min() - pad, u.max() + pad], full_lo, full_hi)
            box[name] = tuple(float(v) for v in dim.from_scale(new))
    out = pd.concat(frames, ignore_index=True)
    out["trial"] = np.arange(len(out))
    out.attrs["boxes"] = boxes
    return out


# -- reading the results --------------------------------------------------------------------
def best(results: pd.DataFrame, minimize: bool = True) -> pd.Series:
    """The best row (a diverged run, with a non-finite score, is never the best)."""
    if len(results) == 0:
        raise ValueError("results is empty: there is no best configuration")
    return results.iloc[int(np.argmin(_badness(results["score"], minimize)))]


def at_border(
    results: pd.DataFrame, space: Space, minimize: bool = True, margin: float = 0.05
) -> dict[str, str]:
    """Hyperparameters whose best value lies within ``margin`` (a fraction of the range, in its
    search scale) of an end of ``space``: ``{"lr": "high"}`` means "widen the range upwards,
    the optimum may lie beyond it". An empty dict: the best is inside on every axis."""
    _check_space(space)
    if not 0 <= margin < 0.5:
        raise ValueError(f"margin must be a fraction in [0, 0.5); got {margin!r}")
    row = best(results, minimize)
    out = {}
    for name, dim in space.items():
        lo, hi = dim.to_scale(np.array([dim.low, dim.high]))
        where = (float(dim.to_scale(row[name])) - lo) / (hi - lo)
        if where <= margin:
            out[name] = "low"
        elif where >= 1 - margin:
            out[name] = "high"
    return out


# -- helpers --------------------------------------------------------------------------------
def _draw(space: Space, n: int, rng: np.random.Generator) -> pd.DataFrame:
    return _frame({name: dim.sample(rng, n) for name, dim in space.items()})


def _frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"trial": np.arange(n), **columns})


def _badness(scores: pd.Series, minimize: bool) -> np.ndarray:
    s = scores.to_numpy(dtype=float)
    s = s if minimize else -s
    return np.where(np.isfinite(s), s, np.inf)


def _check_space(space: Mapping, allow_values: bool = False) -> None:
    if not isinstance(space, Mapping) or not space:
        raise ValueError("space must be a non-empty dict mapping names to ranges")
    reserved = {"trial", "round", "score"} & set(space)
    if reserved:
        raise ValueError(f"hyperparameter names must not be {sorted(reserved)} (result columns)")
    for name, dim in space.items():
        if isinstance(dim, Range):
            continue
        if not allow_values:
            raise ValueError(f"space[{name!r}] must be uniform(...) or log_uniform(...)")
        values = np.asarray(dim, dtype=float)
        if values.ndim != 1 or len(values) == 0 or not np.all(np.isfinite(values)):
            raise ValueError(f"space[{name!r}] must be a range or a non-empty list of numbers")


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be an integer in [1, inf); got {value!r}")
