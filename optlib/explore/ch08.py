r"""Chapter 8's explorable: a learning-rate schedule and SGD's noise floor under it.

SGD runs on :math:`f = \tfrac12(x_1^2 + 10 x_2^2)` (curvatures :math:`\lambda = 1, 10`) with
Gaussian gradient noise :math:`\sigma = 1`, for 500 steps from 128 seeds, under a chosen
schedule. The chart draws the schedule's rate :math:`\alpha_t` (the rate of step
:math:`t`) and, under it, the squared distance to the minimum :math:`\|\theta_t\|^2`: its
mean over the seeds (measured, with optlib.run) and its expectation from the exact
recursion, per coordinate,

.. math::
    \mathbb{E}[\theta_{t,i}^2] = (1 - \alpha_t\lambda_i)^2\, \mathbb{E}[\theta_{t-1,i}^2]
    + \alpha_t^2\sigma^2 ,

with the floor of the constant rate :math:`\alpha_0`,
:math:`\sum_i \alpha_0\sigma^2 / (\lambda_i(2 - \alpha_0\lambda_i))`, for reference. The two
curves agree to within the spread of a mean over 128 seeds, so they lie on top of each other
up to the measured one's jitter: at every drawn step of every configuration the measured
mean is within a factor of 1.8 of the exact value (0.25 in log₁₀), and typically within
about 10 % (an RMS below 0.05 in log₁₀). The tests check both. With a constant rate the
distance stalls at the floor; a decaying schedule takes it below.

Every schedule starts at :math:`\alpha_0 = 0.05` (the constant one is set by its value)
and has one parameter of its own, which the slider moves over 8 settings, from the mildest
to the strongest decay (for warm-up + cosine, from the shortest to the longest warm-up).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from .. import problems
from .. import schedules as lr_schedules
from ..optimizers import SGD
from ..run import run
from ._embed import Explorable
from ._layout import flattened, runs_table, slider

LAMBDAS = (1.0, 10.0)
SIGMA = 1.0
ALPHA0 = 0.05
STEPS = 500
SEEDS = 128
SEED = 1  #: optlib.run's noise seed
EVERY = 4  #: steps between drawn points
TIE_UP = 1e-9  #: a rate within this (relative) of a rounding tie is rounded up
SETTINGS = np.arange(8)
WIDTH = 560


def _warmup_cosine(w: np.ndarray) -> lr_schedules.Schedule:
    return lr_schedules.warmup(lr_schedules.cosine(ALPHA0, t_max=STEPS - w), warmup_steps=w)


#: Each schedule: its parameter's name (as the text shows it), its 8 values, and the
#: schedule for a column of values (shape (8, 1)).
SCHEDULES: dict[str, tuple[str, list[float], Callable[[np.ndarray], lr_schedules.Schedule]]] = {
    "constant": (
        "α",
        [0.05, 0.04, 0.03, 0.02, 0.015, 0.01, 0.007, 0.005],
        lr_schedules.constant,
    ),
    "step decay": (
        "×γ every 125 steps, γ",
        [0.9, 0.7, 0.5, 0.3, 0.2, 0.1, 0.05, 0.01],
        lambda v: lr_schedules.step_decay(ALPHA0, step_size=125, gamma=v),
    ),
    "exponential": (
        "×γ every step, γ",
        [0.9998, 0.999, 0.998, 0.996, 0.99, 0.98, 0.96, 0.9],
        lambda v: lr_schedules.exponential(ALPHA0, gamma=v),
    ),
    "inverse time": (
        "α₀ / (1 + kt), k",
        [0.001, 0.002, 0.004, 0.01, 0.02, 0.04, 0.1, 0.2],
        lambda v: lr_schedules.inverse_time(ALPHA0, decay=v),
    ),
    "cosine": (
        f"down to η_min over {STEPS} steps, η_min / α₀",
        [0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.0],
        lambda v: lr_schedules.cosine(ALPHA0, t_max=STEPS, eta_min=v * ALPHA0),
    ),
    "warm-up + cosine": (
        "linear warm-up from α₀/10, then cosine to 0; warm-up steps W",
        [5, 10, 25, 50, 75, 100, 150, 250],
        _warmup_cosine,
    ),
}


def rates() -> np.ndarray:
    """Every configuration's rate at every step, from optlib.schedules: shape (T, 48), row
    t − 1 holding α_t, configurations schedule by schedule, setting by setting."""
    steps = np.arange(STEPS)
    table = [
        np.broadcast_to(make(np.array(values, dtype=float)[:, None])(steps), (len(values), STEPS))
        for _, values, make in SCHEDULES.values()
    ]
    return np.concatenate(table).T


def second_moment(
    alphas: np.ndarray, lambdas: tuple[float, ...], sigma: float, start: np.ndarray
) -> np.ndarray:
    r"""The exact :math:`\mathbb{E}\|\theta_t\|^2` of SGD with gradient noise ``sigma`` on
    :math:`\tfrac12\sum_i \lambda_i x_i^2` from ``start``, for t = 0 … T.

    ``alphas`` has shape (T, C): the rate α_t of each step t = 1 … T for C configurations.
    Returns shape (T + 1, C), the sum over coordinates of
    :math:`\mathbb{E}[\theta_{t,i}^2] = (1 - \alpha_t\lambda_i)^2\,\mathbb{E}[\theta_{t-1,i}^2]
    + \alpha_t^2\sigma^2`.
    """
    alphas = np.asarray(alphas, dtype=float)
    lam = np.asarray(lambdas, dtype=float)
    moment = np.broadcast_to(np.asarray(start, dtype=float) ** 2, (alphas.shape[1], len(lam)))
    out = np.empty((alphas.shape[0] + 1, alphas.shape[1]))
    out[0] = moment.sum(axis=-1)
    for t, alpha in enumerate(alphas, start=1):
        a = alpha[:, None]
        moment = (1 - a * lam) ** 2 * moment + a**2 * sigma**2
        out[t] = moment.sum(axis=-1)
    return out


def floor(alpha: float, lambdas: tuple[float, ...], sigma: float) -> float:
    r"""The stationary :math:`\mathbb{E}\|\theta\|^2` of SGD with the constant rate
    ``alpha``: :math:`\sum_i \alpha\sigma^2 / (\lambda_i (2 - \alpha\lambda_i))`."""
    lam = np.asarray(lambdas, dtype=float)
    return float(np.sum(alpha * sigma**2 / (lam * (2 - alpha * lam))))


@functools.cache  # the chapter's hidden claims read the same runs
def data() -> tuple[list[dict], pd.DataFrame]:
    """One batched noisy run of every (schedule, setting) over the seeds, and the texts."""
    problem = problems.quadratic(LAMBDAS[1] / LAMBDAS[0])
    alphas = rates()  # (T, n)
    n = alphas.shape[1]
    starts = np.broadcast_to(problem.start, (n, SEEDS, 2))

    def schedule(steps_taken: int) -> np.ndarray:  # every configuration's α, shape (n, 1, 1)
        return alphas[steps_taken][:, None, None]

    result = run(SGD(lr=schedule), problem, starts, steps=STEPS, tol=None, noise=SIGMA, seed=SEED)
    t = np.arange(0, STEPS + 1, EVERY)
    measured = (result.path[t] ** 2).sum(axis=-1).mean(axis=-1)  # (drawn steps, n)
    exact = second_moment(alphas, LAMBDAS, SIGMA, problem.start)[t]
    rows = runs_table(
        {
            "s": np.repeat(np.arange(len(SCHEDULES)), len(SETTINGS)),
            "k": np.tile(SETTINGS, len(SCHEDULES)),
        },
        {
            "t": np.tile(t, (n, 1)),
            # α_t (drawn at t = 1 for t = 0). Many rates are ties at 6 decimals (0.05/1.28 =
            # 0.0390625), which round-off on another CPU could round either way: TIE_UP
            # rounds every one of them up.
            "a": alphas[np.maximum(t, 1) - 1].T * (1 + TIE_UP),
            "m": np.log10(measured.T),
            "r": np.log10(exact.T),
        },
        {"t": 0, "a": 6, "m": 3, "r": 3},
    )
    texts = pd.DataFrame(
        [
            (s, k, f"{name}: {parameter} = {value:g}")
            for s, (name, (parameter, values, _)) in enumerate(SCHEDULES.items())
            for k, value in zip(SETTINGS, values, strict=True)
        ],
        columns=["s", "k", "text"],
    )
    return rows, texts


def schedules() -> Explorable:
    """Pick a schedule and a setting of its parameter; watch α_t and E‖θ_t‖² under it."""
    rows, texts = data()
    names = list(SCHEDULES)
    schedule = alt.param(
        name="schedule",
        value=names.index("step decay"),
        bind=alt.binding_select(options=list(range(len(names))), labels=names, name="schedule "),
    )
    setting = slider("setting", "its parameter, setting", SETTINGS, value=3)
    chosen = "datum.s == schedule && datum.k == setting"
    series = ["t", "a", "m", "r"]
    t = alt.X("t:Q", title="step t", scale=alt.Scale(domain=[0, STEPS], nice=False))
    rate = (
        flattened("schedules_runs", chosen, series, "rate")
        .transform_calculate(step="max(datum.t, 1)")
        .mark_line(color="#0072B2", strokeWidth=2)
        .encode(
            x=alt.X("step:Q", title=None, scale=alt.Scale(domain=[0, STEPS], nice=False)),
            y=alt.Y("a:Q", title="rate α_t", scale=alt.Scale(domain=[0, ALPHA0])),
        )
        .properties(width=WIDTH, height=110, title="The rate α_t of step t")
    )
    labels = {"m": f"mean over {SEEDS} seeds (optlib.run)", "r": "exact recursion"}
    legend = alt.Legend(orient="top", labelExpr=f"{labels}[datum.value]", labelLimit=300)
    moments = (
        flattened("schedules_runs", chosen, series, "moments")
        .transform_fold(["m", "r"], as_=["curve", "log"])
        .transform_calculate(value="pow(10, datum.log)")
        .mark_line()
        .encode(
            x=t,
            y=alt.Y(
                "value:Q",
                title="‖θ_t‖², squared distance",
                scale=alt.Scale(type="log", domain=[1e-3, 10]),
                axis=alt.Axis(format="~g"),
            ),
            color=alt.Color(
                "curve:N",
                title=None,
                scale=alt.Scale(domain=list(labels), range=["#E69F00", "#000000"]),
                legend=alt.Legend(orient="top", labelExpr=f"{labels}[datum.value]", labelLimit=300),
            ),
            strokeDash=alt.StrokeDash(
                "curve:N",
                title=None,
                scale=alt.Scale(domain=list(labels), range=[[1, 0], [5, 3]]),
                legend=legend,
            ),
        )
    )
    level = floor(ALPHA0, LAMBDAS, SIGMA)
    reference = pd.DataFrame(
        {"y": [round(level, 4)], "label": [f"floor of the constant α₀ = {ALPHA0:g}"]}
    )
    rule = (
        alt.Chart(reference, name="floor")
        .mark_rule(color="#777777", strokeDash=[2, 2])
        .encode(y="y:Q")
    )
    rule_label = (
        alt.Chart(reference, name="floor_label")
        .mark_text(align="right", baseline="bottom", dx=-2, dy=-2, color="#555555", fontSize=11)
        .encode(x=alt.datum(STEPS), y="y:Q", text="label:N")
    )
    lower = (moments + rule + rule_label).properties(
        width=WIDTH, height=230, title="SGD with gradient noise σ = 1 on ½(x₁² + 10x₂²)"
    )
    said = (
        alt.Chart(texts, name="parameter")
        .transform_filter(chosen)
        .mark_text(align="left", x=0, y=0, fontSize=13)
        .encode(text="text:N")
    )
    chart = (
        alt.vconcat(said, rate, lower, spacing=12)
        .add_params(schedule, setting)
        .resolve_legend(color="independent", strokeDash="independent")
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_title(fontSize=13, anchor="start")
        .configure_legend(labelFontSize=11)
    )
    return Explorable(
        "schedules",
        chart,
        "A learning-rate schedule and SGD's noise floor under it",
        datasets={"schedules_runs": rows},
    )
