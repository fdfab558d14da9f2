r"""Chapter 1's explorable: the step size :math:`\alpha` of gradient descent on
:math:`f = \tfrac12(x_1^2 + 10 x_2^2)`.

In direction :math:`i` each step multiplies the distance to the minimum by
:math:`1 - \alpha\lambda_i`, so the bars :math:`|1 - \alpha\lambda_i|` say everything: both
below 1 and positive, the path creeps (small :math:`\alpha`) or glides; a negative factor
makes that coordinate flip sign every step; a bar above 1 diverges.
"""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from .. import problems
from ..optimizers import SGD
from ..run import run
from ._embed import Explorable
from ._layout import contour_lines, slider

LAMBDAS = (1.0, 10.0)
ALPHAS = np.round(np.arange(0.01, 0.25 + 1e-9, 0.005), 3)  #: 49 values, all four regimes
STEPS = 25


def regime(alpha: float, lambdas: tuple[float, ...] = LAMBDAS) -> str:
    """The regime of gradient descent with step ``alpha`` on a quadratic of curvatures
    ``lambdas``, from the factors :math:`1 - \\alpha\\lambda_i`."""
    factors = [1 - alpha * lam for lam in lambdas]
    if max(abs(f) for f in factors) >= 1:
        return "diverges: a factor |1 − αλ| is at least 1"
    if min(factors) < 0:
        return "converges, x₂ flips sign every step (1 − αλ₂ < 0)"
    if alpha < 0.05:
        return "converges, but creeps: both factors close to 1"
    return "converges without oscillation"


@functools.cache  # the chapter's hidden claims read the same runs
def data(steps: int = STEPS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The paths for every α (one batched run) and the factors |1 − αλᵢ|."""
    problem = problems.quadratic(LAMBDAS[1] / LAMBDAS[0])
    result = run(SGD(lr=ALPHAS[:, None]), problem, steps=steps, tol=None)
    x_lo, x_hi = problem.window[0]
    y_lo, y_hi = problem.window[1]
    path = result.path  # (steps + 1, K, 2); a diverged run repeats its last point
    t = np.repeat(np.arange(steps + 1), len(ALPHAS))
    paths = pd.DataFrame(
        {
            "a": np.tile(ALPHAS, steps + 1),
            "t": t,
            # Clipped to a little beyond the window: the eye sees nothing finer.
            "x1": np.clip(path[..., 0].ravel(), 2 * x_lo, 2 * x_hi).round(3),
            "x2": np.clip(path[..., 1].ravel(), 2 * y_lo, 2 * y_hi).round(3),
        }
    )
    factors = pd.DataFrame(
        [
            {"a": a, "direction": f"x{'₁₂'[i]} (λ = {lam:g})", "factor": round(abs(1 - a * lam), 3)}
            for a in ALPHAS
            for i, lam in enumerate(LAMBDAS)
        ]
    )
    factors["regime"] = [regime(a) for a in factors["a"]]
    return paths, factors


def step_size() -> Explorable:
    """Drag α and watch the path and the two factors |1 − αλᵢ|."""
    problem = problems.quadratic(LAMBDAS[1] / LAMBDAS[0])
    paths, factors = data()
    alpha = slider("alpha", "learning rate α", ALPHAS, value=0.1)
    chosen = f"abs(datum.a - {alpha.name}) < 1e-6"
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    x = alt.X("x1:Q", title="x₁", scale=alt.Scale(domain=[x_lo, x_hi]))
    y = alt.Y("x2:Q", title="x₂", scale=alt.Scale(domain=[y_lo, y_hi]))
    contours = (
        alt.Chart(contour_lines(problem, levels=[0.5, 2, 5, 10, 20]))
        .mark_line(color="#bbbbbb", strokeWidth=1, clip=True)
        .encode(x=x, y=y, detail="level:N", order="k:Q")
    )
    line = (
        alt.Chart(paths, name="path")
        .transform_filter(chosen)
        .mark_line(color="#1f77b4", clip=True)
        .encode(x=x, y=y, order="t:Q")
    )
    dots = (
        alt.Chart(paths, name="iterates")
        .transform_filter(chosen)
        .mark_circle(color="#1f77b4", size=30, clip=True)
        .encode(x=x, y=y, tooltip=["t:Q", "x1:Q", "x2:Q"])
    )
    left = (contours + line + dots).properties(
        width=330, height=240, title="Gradient descent on ½(x₁² + 10x₂²), 25 steps"
    )
    bars = (
        alt.Chart(factors, name="factors")
        .transform_filter(chosen)
        .mark_bar()
        .encode(
            x=alt.X("direction:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("factor:Q", title="|1 − αλ| per step", scale=alt.Scale(domain=[0, 1.6])),
            color=alt.Color("direction:N", legend=None),
            tooltip=["direction:N", "factor:Q"],
        )
    )
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(y="y:Q")
    label = (
        alt.Chart(factors, name="regime")
        .transform_filter(chosen)
        .transform_filter("datum.direction[1] == '₁'")
        .mark_text(align="left", x=0, y=-8, fontSize=11)
        .encode(text="regime:N")
    )
    right = (bars + one).properties(width=170, height=240, title="Factor per direction")
    chart = (
        alt.vconcat(alt.hconcat(left, right), label)
        .add_params(alpha)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_title(fontSize=13)
    )
    return Explorable("step_size", chart, "Gradient descent's path for a chosen step size α")
