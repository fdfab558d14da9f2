"""The explorables of chapters 7 (side_by_side) and 8 (schedules), as a reader uses them.

The same protocol as tests/test_explorables.py: each explorable is embedded in an offline
page, every control is reached with Tab and set by keyboard to at least three values (both
ends included), the redraw is timed, and the drawn marks are read back from the Vega view
and compared with optlib's numbers for that one configuration, recomputed here.
"""

from __future__ import annotations

import numpy as np
import pytest
from sitecheck import browser
from test_explorables import (
    drawn,
    exploring,
    focus_by_tab,
    move_to,
)

import optlib
from optlib.explore import ch07, ch08


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def choose(page, name: str, label: str, index: int) -> float:
    """Move the focused select to option ``index`` with the arrow keys; return the time in
    ms from the last key press to the end of the view's redraw."""
    now = int(page.evaluate("() => document.activeElement.selectedIndex"))
    key = "ArrowDown" if index > now else "ArrowUp"
    for _ in range(abs(index - now) - 1):
        page.keyboard.press(key)
    elapsed = 0.0
    if index != now:
        page.evaluate("() => { window.optlibT0 = performance.now(); }")
        page.keyboard.press(key)
        elapsed = page.evaluate(
            f"async () => {{ await window.optlibViews[{name!r}].runAsync();"
            " return performance.now() - window.optlibT0; }"
        )
    got = int(page.evaluate("() => document.activeElement.selectedIndex"))
    assert got == index, f"{name}: {label} is option {got}, wanted {index}"
    return elapsed


def signal(page, name: str, param: str):
    return page.evaluate(f"() => window.optlibViews[{name!r}].signal({param!r})")


# -- chapter 7: side by side ------------------------------------------------------------------
def expected_run(o: int, p: int, e: float) -> tuple[np.ndarray, str]:
    """The drawn path of one configuration and its status, from its own run (with its twin,
    to tell where it turns chaotic)."""
    make = list(ch07.OPTIMIZERS.values())[o]
    problem, steps = list(ch07.PROBLEMS.values())[p]
    lr = 10.0**e
    result = optlib.run(
        make(lr=np.array([[lr], [lr * (1 + ch07.TWIN)]])), problem, steps=steps, tol=ch07.TOL
    )
    stop, outcome = int(result.stop_step[0]), str(result.outcome[0])
    parts = ch07.parting_step(result.path[:, 0], result.path[:, 1])
    shown = ch07.drawn_steps(stop, steps)
    if parts is not None:
        shown = shown[shown < parts]
    xy = result.path[shown, 0]
    xy = xy[np.isfinite(xy).all(axis=1)]
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    dx, dy = x_hi - x_lo, y_hi - y_lo
    xy = np.stack(
        [np.clip(xy[:, 0], x_lo - dx, x_hi + dx), np.clip(xy[:, 1], y_lo - dy, y_hi + dy)], -1
    )
    label = ch07.status(outcome, stop, None if parts is None else int(shown[-1]))
    return xy, label


def check_side_by_side(page, name: str) -> None:
    o, p, e = (signal(page, name, s) for s in ("optimizer", "problem", "loglr"))
    want, label = expected_run(o, p, e)
    rows = sorted(drawn(page, name, "path"), key=lambda r: r["k"])
    got = np.array([[r["x1"], r["x2"]] for r in rows])
    config = f"{list(ch07.OPTIMIZERS)[o]} on {list(ch07.PROBLEMS)[p]} at log10 lr {e}"
    assert got.shape == want.shape, (config, got.shape, want.shape)
    np.testing.assert_allclose(got, want, atol=6e-3, err_msg=config)
    assert [r["label"] for r in drawn(page, name, "status")] == [label], config
    cells = drawn(page, name, "outcomes")
    assert len(cells) == len(ch07.OPTIMIZERS) * len(ch07.LOG_LRS), config
    assert {c["p"] for c in cells} == {p}, config
    (here,) = drawn(page, name, "chosen")
    assert label.startswith(
        {"converged": "converged", "diverged": "diverged", "max_steps": "max_steps"}[
            here["outcome"]
        ]
    ), (config, here)
    contours = drawn(page, name, "contours")
    assert contours and {c["p"] for c in contours} == {p}, config
    # The axes follow the problem: the x scale spans the problem's window.
    window = list(ch07.PROBLEMS.values())[p][0].window
    domain = page.evaluate(
        f"() => {{ const v = window.optlibViews[{name!r}];"
        " const names = Object.keys(v._runtime.scales).filter(n => n.endsWith('_x'));"
        " return names.map(n => v.scale(n).domain()); }"
    )
    assert list(window[0]) in [[round(a, 6) for a in d] for d in domain], (config, domain)


def test_side_by_side_draws_optlibs_run_for_every_control(chromium, tmp_path):
    name = "side_by_side"
    with exploring(chromium, tmp_path, name) as (page, times):
        check_side_by_side(page, name)
        n_opt, n_prob = len(ch07.OPTIMIZERS), len(ch07.PROBLEMS)
        focus_by_tab(page, name, "optimizer")
        for index in (0, n_opt - 1, 2):  # GD, Adam, Nesterov
            times.append(choose(page, name, "optimizer", index))
            check_side_by_side(page, name)
        focus_by_tab(page, name, "problem")
        for index in (0, n_prob - 1, 2):  # Beale, the exponential bowl, the saddle
            times.append(choose(page, name, "problem", index))
            check_side_by_side(page, name)
        label = "log₁₀ learning rate"
        focus_by_tab(page, name, label)
        for e in (0.0, -4.0, -1.5):
            times.append(move_to(page, name, label, e, 0.25))
            check_side_by_side(page, name)
        # A chaotic run: RMSProp on Rosenbrock at α = 0.1, drawn until it parts from its twin.
        focus_by_tab(page, name, "optimizer")
        times.append(choose(page, name, "optimizer", 4))
        focus_by_tab(page, name, "problem")
        times.append(choose(page, name, "problem", 1))
        focus_by_tab(page, name, label)
        times.append(move_to(page, name, label, -1.0, 0.25))
        check_side_by_side(page, name)
        assert "chaotic" in drawn(page, name, "status")[0]["label"]


def test_side_by_side_steps_and_status():
    assert list(ch07.drawn_steps(5, 300)) == [0, 1, 2, 3, 4, 5]
    steps = ch07.drawn_steps(300, 300)
    assert steps[0] == 0 and steps[-1] == 300 and np.all(np.diff(steps) > 0)
    assert list(steps[:11]) == list(range(11))  # every early step
    assert len(steps) <= 41
    path = np.zeros((6, 2))
    twin = path.copy()
    assert ch07.parting_step(path, twin) is None
    twin[4, 1] = 1e-5
    assert ch07.parting_step(path, twin) == 4
    both = np.full((3, 2), np.inf)
    assert ch07.parting_step(both, both.copy()) is None
    assert ch07.status("converged", 12) == "converged at step 12 (‖∇f‖ ≤ 10⁻⁶)"
    assert ch07.status("diverged", 3) == "diverged at step 3"
    assert ch07.status("max_steps", 80, 61).endswith("chaotic, drawn to step 61")


def test_side_by_side_has_no_outcome_on_a_knife_edge():
    """A learning rate 0.1 % off gives every configuration the same outcome: none sits on a
    stability boundary."""
    _, outcomes = ch07.data()
    original = ch07.LOG_LRS
    try:
        for factor in (1 - 1e-3, 1 + 1e-3):
            ch07.LOG_LRS = original + np.log10(factor)
            _, moved = ch07.data()
            assert (moved["outcome"] == outcomes["outcome"]).all(), factor
    finally:
        ch07.LOG_LRS = original
    assert set(outcomes["outcome"]) == {"converged", "diverged", "max_steps"}


# -- chapter 8: schedules ---------------------------------------------------------------------
def exact_second_moment(alphas: np.ndarray) -> np.ndarray:
    """E‖θ_t‖² for t = 0 … T, one coordinate and one step at a time."""
    start = optlib.problems.quadratic(10).start
    moments = [float(x) ** 2 for x in start]
    out = [sum(moments)]
    for alpha in alphas:
        moments = [
            (1 - alpha * lam) ** 2 * m + alpha**2 * ch08.SIGMA**2
            for lam, m in zip(ch08.LAMBDAS, moments, strict=True)
        ]
        out.append(sum(moments))
    return np.array(out)


def expected_schedule(s: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """α_1 … α_T of one (schedule, setting), and the mean of ‖θ_t‖² over the seeds of its
    noisy run. optlib.run draws the noise of the whole batch at once, so the run is repeated
    over a batch of the explorable's shape in which every row follows this one schedule;
    the row of this configuration then sees exactly its noise."""
    _, values, make = list(ch08.SCHEDULES.values())[s]
    schedule = make(values[k])
    alphas = np.array([schedule(t) for t in range(ch08.STEPS)], dtype=float)
    n = len(ch08.SCHEDULES) * len(ch08.SETTINGS)
    problem = optlib.problems.quadratic(10)
    result = optlib.run(
        optlib.SGD(lr=lambda t: np.full((n, 1, 1), alphas[t])),
        problem,
        np.broadcast_to(problem.start, (n, ch08.SEEDS, 2)),
        steps=ch08.STEPS,
        tol=None,
        noise=ch08.SIGMA,
        seed=ch08.SEED,
    )
    row = s * len(ch08.SETTINGS) + k
    return alphas, (result.path[:, row] ** 2).sum(axis=-1).mean(axis=-1)


def check_schedules(page, name: str) -> None:
    s, k = signal(page, name, "schedule"), signal(page, name, "setting")
    alphas, measured = expected_schedule(s, k)
    exact = exact_second_moment(alphas)
    config = f"{list(ch08.SCHEDULES)[s]}, setting {k}"
    rate = sorted(drawn(page, name, "rate"), key=lambda r: r["t"])
    t = np.array([r["t"] for r in rate])
    assert list(t) == list(range(0, ch08.STEPS + 1, ch08.EVERY)), config
    np.testing.assert_allclose(
        [r["a"] for r in rate], alphas[np.maximum(t, 1) - 1], atol=6e-7, err_msg=config
    )
    curves = drawn(page, name, "moments")
    for curve, want in (("m", measured), ("r", exact)):
        rows = sorted((r for r in curves if r["curve"] == curve), key=lambda r: r["t"])
        assert [r["t"] for r in rows] == list(t), (config, curve)
        np.testing.assert_allclose(
            [r["log"] for r in rows], np.log10(want[t]), atol=6e-4, err_msg=f"{config} {curve}"
        )
    (text,) = drawn(page, name, "parameter")
    value = list(ch08.SCHEDULES.values())[s][1][k]
    assert text["text"].endswith(f"= {value:g}"), (config, text)


def test_schedules_draw_optlibs_rates_and_moments_for_every_control(chromium, tmp_path):
    name = "schedules"
    with exploring(chromium, tmp_path, name) as (page, times):
        check_schedules(page, name)
        focus_by_tab(page, name, "schedule")
        for index in (0, len(ch08.SCHEDULES) - 1, 2):  # constant, warm-up + cosine, exponential
            times.append(choose(page, name, "schedule", index))
            check_schedules(page, name)
        label = "its parameter, setting"
        focus_by_tab(page, name, label)
        for k in (0, 7, 5):
            times.append(move_to(page, name, label, k, 1))
            check_schedules(page, name)


def test_second_moment_matches_the_closed_form_and_the_floor():
    alpha, lambdas, sigma, start = 0.05, (1.0, 10.0), 1.0, np.array([-2.5, 1.0])
    steps = np.arange(401)
    got = ch08.second_moment(np.full((400, 1), alpha), lambdas, sigma, start)[:, 0]
    want = 0.0
    for lam, x0 in zip(lambdas, start, strict=True):
        fixed = alpha * sigma**2 / (lam * (2 - alpha * lam))
        want = want + fixed + (1 - alpha * lam) ** (2 * steps) * (x0**2 - fixed)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert ch08.floor(alpha, lambdas, sigma) == pytest.approx(want[-1], rel=1e-12)
    alphas = np.array([[0.05, 0.01], [0.02, 0.0]])  # two configurations at once
    both = ch08.second_moment(alphas, lambdas, sigma, start)
    for c in range(2):
        np.testing.assert_allclose(both[:, c], exact_second_moment(alphas[:, c]), rtol=1e-12)


def test_schedules_rates_come_from_optlib_schedules():
    table = ch08.rates()
    assert table.shape == (ch08.STEPS, len(ch08.SCHEDULES) * len(ch08.SETTINGS))
    for s, (_, values, make) in enumerate(ch08.SCHEDULES.values()):
        for k, value in enumerate(values):
            schedule = make(value)
            want = [schedule(t) for t in range(ch08.STEPS)]
            np.testing.assert_allclose(table[:, s * len(values) + k], want, rtol=1e-15, atol=0)
    assert table.max() <= ch08.ALPHA0 and table.min() >= 0


def test_measured_mean_agrees_with_the_recursion():
    """The docstring's claim: within 0.25 in log10 at every drawn step, RMS below 0.05."""
    rows, _ = ch08.data()
    gap = np.array([r["m"] for r in rows]) - np.array([r["r"] for r in rows])
    assert np.abs(gap).max() < 0.25
    assert np.sqrt((gap**2).mean()) < 0.05


def test_schedule_rates_are_off_every_rounding_knife_edge():
    """Every drawn rate keeps its rounded value under a relative change of 1e-12, far more
    than round-off (rates such as 0.05/1.28 = 0.0390625 are ties at 6 decimals, which the
    explorable rounds up)."""
    rows, _ = ch08.data()
    drawn_t = np.maximum(np.array(rows[0]["t"], dtype=int), 1) - 1
    raw = ch08.rates().T[:, drawn_t]
    rounded = np.array([r["a"] for r in rows])
    np.testing.assert_allclose(rounded, raw, atol=5e-7 + 1e-15)
    for factor in (1 - 1e-12, 1 + 1e-12):
        assert np.array_equal(np.round(raw * factor * (1 + ch08.TIE_UP), 6), rounded)
