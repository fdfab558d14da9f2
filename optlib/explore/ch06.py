r"""Chapter 6's explorable: Adam's :math:`\beta_1`, :math:`\beta_2` and bias correction.

On a noisy gradient of mean 1, Adam's first moment :math:`m_t` (the EWMA of chapter 5, with
decay :math:`\beta_1`) starts near zero and :math:`\hat m_t = m_t / (1-\beta_1^t)` does not;
the step :math:`|\theta_t - \theta_{t-1}|/\alpha` should be about 1. Without bias correction,
the first step is :math:`(1-\beta_1)/\sqrt{1-\beta_2}` instead: 3.16 at the defaults.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..optimizers import Adam
from ._embed import Explorable
from ._layout import averages_panel, flattened, runs_table, slider
from .ch05 import moving_average

BETA1S = np.round(np.arange(0.0, 0.95 + 1e-9, 0.05), 2)  #: 20 values
BETA2S = (0.9, 0.99, 0.999)
STEPS = 40


def gradients(steps: int = STEPS, seed: int = 1) -> np.ndarray:
    """The gradients g_1 … g_steps Adam is fed: mean 1, noise sd 0.3."""
    return 1.0 + 0.3 * np.random.default_rng(seed).standard_normal(steps)


def step_sizes(bias_correction: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """|θ_t − θ_{t−1}| / α for every (β1, β2), one batched optlib.Adam run per flag."""
    b1, b2 = (a.ravel() for a in np.meshgrid(BETA1S, BETA2S, indexing="ij"))
    theta = np.zeros((len(b1), 1))
    opt = Adam(lr=1.0, betas=(b1[:, None], b2[:, None]), bias_correction=bias_correction)
    steps = np.empty((len(b1), STEPS))
    for t, g in enumerate(gradients()):
        before = theta.copy()
        opt.step(theta, np.full_like(theta, g))
        steps[:, t] = np.abs(theta - before)[:, 0]
    return b1, b2, steps


def data() -> tuple[pd.DataFrame, list[dict], list[dict]]:
    g = gradients()
    t = np.arange(1, STEPS + 1)
    m = moving_average(g, BETA1S)
    moments = runs_table(
        {"b1": BETA1S},
        {"t": np.tile(t, (len(BETA1S), 1)), "m": m, "mhat": m / (1 - BETA1S[:, None] ** t)},
        {"t": 0, "m": 3, "mhat": 3},
    )
    steps = []
    for flag in (True, False):
        b1, b2, size = step_sizes(flag)
        steps += runs_table(
            {"b1": b1, "b2": b2, "bc": np.full(len(b1), float(flag))},
            {"t": np.tile(t, (len(b1), 1)), "step": size},
            {"t": 0, "step": 3},
        )
    points = pd.DataFrame({"t": t, "g": g.round(3)})
    return points, moments, steps


def adam_moments() -> Explorable:
    """Drag β1, pick β2, switch bias correction, and watch m, m̂ and the first steps."""
    points, moments, steps = data()
    beta1 = slider("beta1", "β₁", BETA1S, value=0.9)
    beta2 = alt.param(
        name="beta2",
        value=0.999,
        bind=alt.binding_select(options=list(BETA2S), name="β₂ "),
    )
    correction = alt.param(
        name="correction",
        value="on",
        bind=alt.binding_radio(options=["on", "off"], name="bias correction "),
    )
    t = alt.X("t:Q", title="step t")
    same_b1 = "abs(datum.b1 - beta1) < 1e-6"
    left = averages_panel(
        points,
        "g",
        "adam_moments",
        same_b1,
        ("gradient", "m", "mhat"),
        "Gradients; m_t (blue) and m̂_t (red, dashed)",
        width=270,
        dot_size=14,
    )
    chosen = (
        f"{same_b1} && abs(datum.b2 - beta2) < 1e-9 && datum.bc == (correction == 'on' ? 1 : 0)"
    )
    size = flattened("adam_steps", chosen, ["t", "step"], "steps").mark_line(
        color="#2ca02c", point=True
    )
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(y="y:Q")
    right = (
        size.encode(
            x=t,
            y=alt.Y("step:Q", title="|θ_t − θ_{t−1}| / α", scale=alt.Scale(domain=[0, 4])),
        )
        + one
    ).properties(width=210, height=220, title="Adam's step, relative to α")
    chart = (
        alt.hconcat(left, right)
        .add_params(beta1, beta2, correction)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_title(fontSize=13)
    )
    return Explorable(
        "adam_moments",
        chart,
        "Adam's moments and steps for chosen β₁, β₂ and bias correction",
        datasets={"adam_moments": moments, "adam_steps": steps},
    )
