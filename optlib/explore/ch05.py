r"""Chapter 5's explorable: the decay :math:`\beta` of an exponentially weighted moving
average (EWMA), :math:`m_t = \beta m_{t-1} + (1-\beta) s_t`, :math:`m_0 = 0`.

Unrolled, :math:`m_t = \sum_k (1-\beta)\beta^k s_{t-k}`: the weights :math:`(1-\beta)\beta^k`
fall by a factor :math:`e` over about :math:`1/(1-\beta)` steps, the average's window. Started
at zero, the average is biased low at first (:math:`m_1 = (1-\beta)s_1`), which dividing by
:math:`1-\beta^t` undoes (Adam's bias correction, chapter 6).
"""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from ._embed import Explorable
from ._layout import averages_panel, flattened, runs_table, slider

BETAS = np.round(np.arange(0.50, 0.99 + 1e-9, 0.01), 2)  #: 50 values
STEPS = 150
JUMP = 75  #: the signal's mean jumps from 1 to 3 here
LAGS = 60  #: weights drawn for k = 0 … LAGS − 1


def signal(steps: int = STEPS, seed: int = 0) -> np.ndarray:
    """A noisy signal s_1 … s_steps: mean 1, then 3 from step ``JUMP``; noise sd 0.5."""
    rng = np.random.default_rng(seed)
    mean = np.where(np.arange(1, steps + 1) < JUMP, 1.0, 3.0)
    return mean + 0.5 * rng.standard_normal(steps)


def moving_average(s: np.ndarray, betas: np.ndarray) -> np.ndarray:
    """m_t = β m_{t−1} + (1 − β) s_t from m_0 = 0, for every β at once: shape (len(betas), T)."""
    betas = np.asarray(betas, dtype=float)[:, None]
    m = np.zeros((len(betas), len(s)))
    previous = np.zeros((len(betas), 1))
    for t, value in enumerate(s):
        previous = betas * previous + (1 - betas) * value
        m[:, t : t + 1] = previous
    return m


@functools.cache  # the chapter's hidden claims read the same runs
def data() -> tuple[pd.DataFrame, list[dict], list[dict], pd.DataFrame]:
    """The signal, the averages for every β (plain and bias-corrected), the weights
    (1 − β)βᵏ, and the window 1/(1 − β) with its label."""
    s = signal()
    t = np.arange(1, STEPS + 1)
    m = moving_average(s, BETAS)
    corrected = m / (1 - BETAS[:, None] ** t)
    rows = runs_table(
        {"b": BETAS},
        {"t": np.tile(t, (len(BETAS), 1)), "m": m, "mhat": corrected},
        {"t": 0, "m": 3, "mhat": 3},
    )
    k = np.arange(LAGS)
    weights = runs_table(
        {"b": BETAS},
        {"k": np.tile(k, (len(BETAS), 1)), "w": (1 - BETAS[:, None]) * BETAS[:, None] ** k},
        {"k": 0, "w": 4},
    )
    window = pd.DataFrame({"b": BETAS, "window": (1 / (1 - BETAS)).round(1)})
    window["label"] = [
        f"window 1/(1 − β) = {w:g} steps; m₁ = {1 - b:.2f}·s₁ before correction"
        for b, w in zip(BETAS, window["window"], strict=True)
    ]
    points = pd.DataFrame({"t": t, "s": s.round(3)})
    return points, rows, weights, window


def ewma() -> Explorable:
    """Drag β and watch the average, its bias at the start, and its weights."""
    points, rows, weights, window_table = data()
    beta = slider("beta", "decay β", BETAS, value=0.9)
    chosen = "abs(datum.b - beta) < 1e-6"
    left = averages_panel(
        points,
        "s",
        "ewma_runs",
        chosen,
        ("signal", "ewma", "corrected"),
        "EWMA m_t (blue), bias-corrected m̂_t (red, dashed)",
        width=290,
        dot_size=12,
    )
    bars = (
        flattened("ewma_weights", chosen, ["k", "w"], "weights")
        .mark_bar(color="#1f77b4")
        .encode(
            x=alt.X("k:Q", title="lag k (steps back)"),
            y=alt.Y("w:Q", title="weight (1 − β)βᵏ", scale=alt.Scale(domain=[0, 0.5])),
        )
    )
    chosen_window = alt.Chart(window_table, name="window").transform_filter(chosen)
    window = chosen_window.mark_rule(color="#d62728", strokeWidth=2).encode(x="window:Q")
    label = chosen_window.mark_text(align="left", x=0, y=-8, fontSize=11).encode(text="label:N")
    right = (bars + window).properties(width=190, height=220, title="Weights; red rule: window")
    chart = (
        alt.vconcat(alt.hconcat(left, right), label)
        .add_params(beta)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_title(fontSize=13)
    )
    return Explorable(
        "ewma",
        chart,
        "An EWMA of a noisy signal for a chosen β",
        datasets={"ewma_runs": rows, "ewma_weights": weights},
    )
