r"""Chapter 3's explorable: heavy-ball momentum's :math:`\alpha` and :math:`\rho` on the
ill-conditioned quadratic :math:`f = \tfrac12(x_1^2 + 100 x_2^2)` (:math:`\kappa = 100`).

Three views of one configuration: its path (with plain gradient descent at the same
:math:`\alpha` for comparison), its loss, and its place on the map of measured rates with
the theoretical stability boundary :math:`\alpha\lambda_{\max} < 2(1 + \rho)`.
"""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from .. import problems
from ..fits import average_rate
from ..optimizers import Momentum
from ..run import run
from ._embed import Explorable
from ._layout import contour_lines, flattened, runs_table, slider

KAPPA = 100.0
#: 10 values, none on a stability boundary: GD's α = 2/λ_max = 0.02 and heavy ball's
#: α = 2(1 + ρ)/λ_max (multiples of 0.001 on this ρ grid) fall between them.
ALPHAS = np.round(np.arange(0.0035, 0.0395 + 1e-9, 0.004), 4)
RHOS = np.round(np.arange(0.0, 0.95 + 1e-9, 0.05), 2)  #: 20 values; ρ = 0 is GD
STEPS = 60  #: drawn
RATE_STEPS = 400  #: measured, for the rate map


def configurations() -> tuple[np.ndarray, np.ndarray]:
    """Every (α, ρ) pair of the grid, as two arrays of length 400."""
    a, r = np.meshgrid(ALPHAS, RHOS, indexing="ij")
    return a.ravel(), r.ravel()


@functools.cache  # the chapter's hidden claims read the same runs
def data() -> tuple[list[dict], pd.DataFrame]:
    """The drawn runs (one batched run of every configuration) and the rate map."""
    problem = problems.quadratic(KAPPA)
    a, r = configurations()
    result = run(Momentum(lr=a[:, None], momentum=r[:, None]), problem, steps=RATE_STEPS, tol=None)
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    path = result.path[: STEPS + 1]  # (T + 1, K, 2)
    loss = np.clip(result.loss[: STEPS + 1], 1e-8, 1e6)
    rows = runs_table(
        {"a": a, "r": r},
        {
            "t": np.tile(np.arange(STEPS + 1), (len(a), 1)),
            "x1": np.clip(path[..., 0].T, 2 * x_lo, 2 * x_hi),
            "x2": np.clip(path[..., 1].T, 2 * y_lo, 2 * y_hi),
            "logf": np.log10(loss.T),
        },
        {"t": 0, "x1": 2, "x2": 2, "logf": 2},
    )
    distance = np.linalg.norm(result.path, axis=-1)
    rate = average_rate(distance, result.stop_step)
    diverged = result.outcome == "diverged"
    da, dr = (ALPHAS[1] - ALPHAS[0]) / 2, (RHOS[1] - RHOS[0]) / 2
    rates = pd.DataFrame(
        {
            "a": a,
            "r": r,
            "a0": (a - da).round(5),
            "a1": (a + da).round(5),
            "r0": (r - dr).round(3),
            "r1": (r + dr).round(3),
            "rate": np.where(diverged, 1.05, np.minimum(rate, 1.05)).round(3),
        }
    )
    return rows, rates


def momentum() -> Explorable:
    """Drag α and ρ and watch the path, the loss and the rate map."""
    problem = problems.quadratic(KAPPA)
    rows, rates = data()
    alpha = slider("alpha", "learning rate α", ALPHAS, value=0.0155)
    rho = slider("rho", "momentum ρ", RHOS, value=0.9)
    near = "abs(datum.a - alpha) < 1e-6"
    chosen = f"{near} && abs(datum.r - rho) < 1e-6"
    gd = f"{near} && datum.r == 0"
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    x = alt.X("x1:Q", title="x₁", scale=alt.Scale(domain=[x_lo, x_hi]))
    y = alt.Y("x2:Q", title="x₂", scale=alt.Scale(domain=[y_lo, y_hi]))
    contours = (
        alt.Chart(contour_lines(problem, levels=[0.5, 2, 8, 32, 128]))
        .mark_line(color="#cccccc", strokeWidth=1, clip=True)
        .encode(x=x, y=y, detail="level:N", order="k:Q")
    )
    series = ["t", "x1", "x2", "logf"]
    heavy = flattened("momentum_runs", chosen, series, "path").mark_line(color="#d62728", clip=True)
    plain = flattened("momentum_runs", gd, series, "gd").mark_line(
        color="#555555", strokeDash=[4, 3], clip=True
    )
    paths = contours + plain.encode(x=x, y=y, order="t:Q") + heavy.encode(x=x, y=y, order="t:Q")
    paths = paths.properties(width=260, height=210, title="Path: momentum (red), GD (dashed)")
    t = alt.X("t:Q", title="step t")
    logf = alt.Y("logf:Q", title="log₁₀ f(θ_t)", scale=alt.Scale(domain=[-8, 6]))
    losses = (
        flattened("momentum_runs", gd, series, "gd_loss")
        .mark_line(color="#555555", strokeDash=[4, 3])
        .encode(x=t, y=logf)
        + flattened("momentum_runs", chosen, series, "loss")
        .mark_line(color="#d62728")
        .encode(x=t, y=logf)
    ).properties(width=220, height=210, title="Loss, log scale")
    a_scale = alt.Scale(domain=[float(ALPHAS[0] - 0.002), float(ALPHAS[-1] + 0.002)], nice=False)
    r_scale = alt.Scale(domain=[-0.025, 0.975], nice=False)
    cells = (
        alt.Chart(rates, name="rates")
        .mark_rect()
        .encode(
            x=alt.X("a0:Q", title="learning rate α", scale=a_scale),
            x2="a1:Q",
            y=alt.Y("r0:Q", title="momentum ρ", scale=r_scale),
            y2="r1:Q",
            color=alt.condition(
                "datum.rate > 1",
                alt.value("#b0b0b0"),
                alt.Color(
                    "rate:Q",
                    title="rate per step",
                    legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=200),
                    scale=alt.Scale(scheme="viridis", domain=[0.8, 1.0], reverse=True, clamp=True),
                ),
            ),
            tooltip=["a:Q", "r:Q", "rate:Q"],
        )
    )
    here = (
        alt.Chart(rates, name="chosen")
        .transform_filter(chosen)
        .mark_rect(fill=None, stroke="#d62728", strokeWidth=3)
        .encode(
            x=alt.X("a0:Q", scale=a_scale), x2="a1:Q", y=alt.Y("r0:Q", scale=r_scale), y2="r1:Q"
        )
    )
    frontier = pd.DataFrame({"r": [-0.025, 0.975]})
    frontier["a"] = 2 * (1 + frontier["r"]) / KAPPA
    edge = (
        alt.Chart(frontier, name="frontier")
        .mark_line(color="black", strokeWidth=2, clip=True)
        .encode(x=alt.X("a:Q", scale=a_scale), y=alt.Y("r:Q", scale=r_scale))
    )
    stability = (cells + here + edge).properties(
        width=380, height=220, title="Measured rate (grey: diverged); line: αλ_max = 2(1 + ρ)"
    )
    chart = (
        alt.vconcat(alt.hconcat(paths, losses), stability)
        .add_params(alpha, rho)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_title(fontSize=13)
    )
    return Explorable(
        "momentum",
        chart,
        "Momentum's path, loss and rate for chosen α and ρ",
        datasets={"momentum_runs": rows},
    )
