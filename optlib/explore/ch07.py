r"""Chapter 7's explorable: six optimizers side by side on five test problems.

Pick an optimizer, a problem and a learning rate :math:`\alpha`; the chart draws the run's
path on the problem's contours and says how it ended, as :func:`optlib.run` reports it:
converged (the gradient norm fell to :math:`10^{-6}`), diverged, or still running after
as many steps as the chapter's figure of that problem runs (at most 500). Below the path,
the outcome of every optimizer at every learning rate on that problem shows where each
one works.

Every run uses exact gradients (GD is ``optlib.SGD`` without noise) and torch's defaults for
every hyperparameter but :math:`\alpha` (momentum :math:`\rho = 0.9` for Momentum and
Nesterov). A path is drawn through the steps of :func:`drawn_steps`: every step at first,
geometrically spaced later, so the first steps are visible and the file stays small;
an oscillation late in a run is drawn coarser than it is.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import altair as alt
import numpy as np
import pandas as pd

from .. import problems
from ..optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSProp
from ..plot import COLORS
from ..run import run
from ._embed import Explorable
from ._layout import contour_lines, flattened, slider

OPTIMIZERS = {
    "GD": SGD,
    "Momentum": Momentum,
    "Nesterov": Nesterov,
    "AdaGrad": AdaGrad,
    "RMSProp": RMSProp,
    "Adam": Adam,
}
#: Each problem under the name the chapter uses, with the window drawn (4 : 3, as the
#: chart; Beale's is the chapter's window around its start (0.7, 1.4)) and the number of
#: steps the chapter's figure of it runs, at most 500 (the chapter runs Rosenbrock 1000).
PROBLEMS = {
    "Beale": (replace(problems.beale, window=((-0.5, 5.5), (-2.0, 2.5))), 400),
    "Rosenbrock": (replace(problems.rosenbrock, window=((-2.2, 2.2), (-0.8, 2.5))), 500),
    "saddle x² − y²": (replace(problems.saddle, window=((-2.0, 2.0), (-1.5, 1.5))), 80),
    "Himmelblau": (replace(problems.himmelblau, window=((-5.6, 5.6), (-4.2, 4.2))), 300),
    "exponential bowl": (
        replace(problems.exponential_bowl, window=((-2.0, 4.0), (-0.25, 4.25))),
        200,
    ),
}
#: log₁₀ α from 10⁻⁴ to 1 in quarter decades (17 values).
LOG_LRS = np.round(np.arange(-4.0, 0.0 + 1e-9, 0.25), 2)
TOL = 1e-6  #: a run converges when ‖∇f‖ ≤ TOL (optlib.run's rule)
TWIN = 1e-9  #: each run has a twin with α(1 + TWIN), to tell where it turns chaotic
PARTED = 1e-6  #: twins part where a coordinate differs by more than PARTED × (1 + |x|)
WIDTH, HEIGHT = 440, 330  #: the path's panel, 4 : 3 like the windows


def drawn_steps(stop_step: int, steps: int, points: int = 40) -> np.ndarray:
    """The steps at which a path that stopped at ``stop_step`` is drawn: 0, then about
    ``points`` geometrically spaced steps up to ``steps`` (every step at first), cut at the
    stop step, which is always drawn."""
    grid = np.unique(np.round(np.geomspace(1, steps, points)).astype(int))
    return np.concatenate([[0], grid[grid < stop_step], [stop_step]])


def status(outcome: str, stop_step: int, drawn_to: int | None = None) -> str:
    """What a run's outcome says, in words; ``drawn_to`` is the last step drawn of a
    chaotic run (see :func:`data`)."""
    if outcome == "converged":
        said = f"converged at step {stop_step} (‖∇f‖ ≤ 10⁻⁶)"
    elif outcome == "diverged":
        said = f"diverged at step {stop_step}"
    else:
        said = f"max_steps: still running after {stop_step} steps"
    if drawn_to is None:
        return said
    return f"{said}; chaotic, drawn to step {drawn_to}"


def levels(problem: problems.Problem, count: int = 8) -> np.ndarray:
    """Contour levels where the eye needs them: log-spaced in f − f* between the 2nd and
    the 90th percentile over the window (linear for the saddle, which has no minimum)."""
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, 60), np.linspace(y_lo, y_hi, 60))
    f = problem(np.stack([X, Y], -1))
    if not np.isfinite(problem.f_min):
        return np.linspace(*np.quantile(f, [0.05, 0.95]), count)
    lo, hi = np.quantile(f - problem.f_min, [0.02, 0.9])
    return problem.f_min + np.geomspace(lo, hi, count)


def contour_table(points: int = 50) -> list[dict]:
    """One row per contour piece of every problem: its problem index p, its number c and
    its vertices."""
    rows = []
    for p, (problem, _) in enumerate(PROBLEMS.values()):
        lines = contour_lines(problem, levels(problem), points=points)
        for _, piece in lines.groupby("level", sort=False):
            rows.append(
                {
                    "p": p,
                    "c": len(rows),
                    "x1": piece["x1"].round(2).tolist(),
                    "x2": piece["x2"].round(2).tolist(),
                }
            )
    return rows


def parting_step(path: np.ndarray, twin: np.ndarray, tol: float = PARTED) -> int | None:
    """The first step at which the points of two paths (shape ``(T + 1, 2)``) differ by
    more than ``tol`` × (1 + |x|) in a coordinate, or None. Points that are both infinite
    do not part."""
    with np.errstate(invalid="ignore"):
        apart = np.abs(path - twin) > tol * (1 + np.abs(path))
    steps = np.flatnonzero(apart.any(axis=-1))
    return int(steps[0]) if len(steps) else None


@functools.cache  # the chapter's hidden claims read the same runs
def data() -> tuple[list[dict], pd.DataFrame]:
    """Every (optimizer, problem, α): the drawn path and the outcome, from one batched
    run per optimizer and problem over all α and their twins α(1 + 10⁻⁹).

    A run is *chaotic* where it parts from its twin: from there on, its points depend on
    round-off (they differ between CPUs), so its path is drawn only to the last drawn step
    before that. (The step where the twins part may itself move by a step or two between
    CPUs; the drawn steps are spaced widely enough there that the picture does not.)
    """
    lrs = 10.0**LOG_LRS
    twins = np.concatenate([lrs, lrs * (1 + TWIN)])
    rows, outcomes = [], []
    for o, make in enumerate(OPTIMIZERS.values()):
        for p, (problem, steps) in enumerate(PROBLEMS.values()):
            result = run(make(lr=twins[:, None]), problem, steps=steps, tol=TOL)
            (x_lo, x_hi), (y_lo, y_hi) = problem.window
            dx, dy = x_hi - x_lo, y_hi - y_lo
            for k, e in enumerate(LOG_LRS):
                outcome, stop = result.outcome[k], int(result.stop_step[k])
                parts = parting_step(result.path[:, k], result.path[:, len(lrs) + k])
                shown = drawn_steps(stop, steps)
                if parts is not None:
                    shown = shown[shown < parts]
                xy = result.path[shown, k]
                xy = xy[np.isfinite(xy).all(axis=1)]  # a diverged run's last point may be inf
                # Clipped to a window's width beyond the window (the line leaves the chart
                # there) and rounded to what the eye can see.
                x1 = np.clip(xy[:, 0], x_lo - dx, x_hi + dx).round(2)
                x2 = np.clip(xy[:, 1], y_lo - dy, y_hi + dy).round(2)
                rows.append({"o": o, "p": p, "e": float(e), "x1": x1.tolist(), "x2": x2.tolist()})
                drawn_to = None if parts is None else int(shown[-1])
                label = status(outcome, stop, drawn_to)
                outcomes.append((o, p, e, outcome, stop, parts is not None, label))
    columns = ["o", "p", "e", "outcome", "stop", "chaotic", "label"]
    return rows, pd.DataFrame(outcomes, columns=columns)


def side_by_side() -> Explorable:
    """Pick an optimizer, a problem and α; watch the path, its outcome, and every
    optimizer's outcome at every α on that problem."""
    rows, outcomes = data()
    names, labels = list(OPTIMIZERS), list(PROBLEMS)
    optimizer = alt.param(
        name="optimizer",
        value=names.index("GD"),
        bind=alt.binding_select(options=list(range(len(names))), labels=names, name="optimizer "),
    )
    problem = alt.param(
        name="problem",
        value=labels.index("Rosenbrock"),
        bind=alt.binding_select(options=list(range(len(labels))), labels=labels, name="problem "),
    )
    log_lr = slider("loglr", "log₁₀ learning rate", LOG_LRS, value=-3.0)
    same_problem = "datum.p == problem"
    chosen = f"{same_problem} && datum.o == optimizer && abs(datum.e - loglr) < 1e-6"

    windows = [problem_.window for problem_, _ in PROBLEMS.values()]
    x_domain = alt.ExprRef(expr=f"{[list(w[0]) for w in windows]}[problem]")
    y_domain = alt.ExprRef(expr=f"{[list(w[1]) for w in windows]}[problem]")
    x = alt.X(
        "x1:Q",
        title="x₁",
        scale=alt.Scale(domain=x_domain, nice=False, zero=False),
        axis=alt.Axis(tickCount=7),
    )
    y = alt.Y("x2:Q", title="x₂", scale=alt.Scale(domain=y_domain, nice=False, zero=False))
    # Each line is drawn in the order of its vertices, numbered k after flattening.
    in_order = alt.Order("k:Q")

    contours = (
        flattened("side_by_side_contours", same_problem, ["x1", "x2"], "contours")
        .transform_window(k="row_number()")
        .mark_line(color="#c8c8c8", strokeWidth=1, clip=True)
        .encode(x=x, y=y, order=in_order, detail="c:N")
    )
    minima = pd.DataFrame(
        [
            (p, round(float(m[0]), 2), round(float(m[1]), 2))
            for p, (problem_, _) in enumerate(PROBLEMS.values())
            for m in problem_.minima
        ],
        columns=["p", "x1", "x2"],
    )
    stars = (
        alt.Chart(minima, name="minima")
        .transform_filter(same_problem)
        .mark_point(shape="cross", color="black", size=80, filled=True)
        .encode(x=x, y=y)
    )
    colour = alt.ExprRef(expr=f"{[COLORS[n if n != 'GD' else 'SGD'] for n in names]}[optimizer]")
    path = (
        flattened("side_by_side_runs", chosen, ["x1", "x2"], "path")
        .transform_window(k="row_number()")
        .mark_line(
            color=colour, strokeWidth=2, clip=True, point=alt.OverlayMarkDef(size=14, color=colour)
        )
        .encode(x=x, y=y, order=in_order)
    )
    title = alt.TitleParams(
        alt.ExprRef(
            expr=f"{names}[optimizer] + ' on ' + {labels}[problem] + ', α = ' + "
            "format(pow(10, loglr), '.3~g') + ', up to ' + "
            f"{[steps for _, steps in PROBLEMS.values()]}[problem] + ' steps'"
        ),
        anchor="start",
    )
    panel = (contours + stars + path).properties(width=WIDTH, height=HEIGHT)
    said = (
        alt.Chart(outcomes, name="status")
        .transform_filter(chosen)
        .mark_text(align="left", x=0, y=0, fontSize=13)
        .encode(text="label:N")
    )
    outcome_colours = alt.Scale(
        domain=["converged", "max_steps", "diverged"], range=["#009E73", "#d9d9d9", "#D55E00"]
    )
    e_axis = alt.X(
        "e:O",
        title="log₁₀ learning rate",
        axis=alt.Axis(labelExpr="datum.value % 1 == 0 ? datum.label : ''", labelAngle=0),
    )
    o_axis = alt.Y("o:O", title=None, axis=alt.Axis(labelExpr=f"{names}[datum.value]"))
    grid = (
        alt.Chart(outcomes, name="outcomes")
        .transform_filter(same_problem)
        .mark_rect(stroke="white")
        .encode(
            x=e_axis,
            y=o_axis,
            color=alt.Color(
                "outcome:N", title=None, scale=outcome_colours, legend=alt.Legend(orient="right")
            ),
            tooltip=["label:N"],
        )
    )
    here = (
        alt.Chart(outcomes, name="chosen")
        .transform_filter(chosen)
        .mark_rect(fill=None, stroke="black", strokeWidth=2.5)
        .encode(x=e_axis, y=o_axis)
    )
    dots = (
        alt.Chart(outcomes, name="chaotic")
        .transform_filter(f"{same_problem} && datum.chaotic")
        .mark_circle(color="black", size=12, opacity=1)
        .encode(x=e_axis, y=o_axis, tooltip=["label:N"])
    )
    overview = (grid + dots + here).properties(
        width=WIDTH - 80, height=6 * 16, title="Every optimizer and α on this problem (•: chaotic)"
    )
    chart = (
        alt.vconcat(said, panel, overview, spacing=14, title=title)
        .add_params(optimizer, problem, log_lr)
        .resolve_legend(color="independent")
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_title(fontSize=13)
        .configure_legend(labelFontSize=11)
    )
    return Explorable(
        "side_by_side",
        chart,
        "Six optimizers on five problems: the path and outcome for a chosen α",
        datasets={"side_by_side_runs": rows, "side_by_side_contours": contour_table()},
    )
