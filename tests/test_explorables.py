"""The explorables (optlib.explore), as a reader uses them: in Debian's chromium, offline.

Each explorable is embedded in a page served from 127.0.0.1 with the vendored Vega files,
the way the site serves it. For each one the test sets every control to at least three
values (both ends included) by keyboard, times the redraw, and reads back what Vega drew:
the drawn rows must be optlib's numbers for that configuration, recomputed here one
configuration at a time (not from the explorable's own precomputed table). The chapter
pages that carry them are checked by tests/test_site.py (no console error, no request to
another host) and tests/test_budgets.py (page weight).
"""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from sitecheck import browser, serve

import optlib
from optlib.explore import ALL
from optlib.explore._embed import FIGURES, LIBRARIES

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "_vendor" / "vega"
SCREENSHOTS = ROOT / "_build" / "explorable-screenshots"  # test_site.py clears _build/screenshots
#: A slider must redraw within this many milliseconds (issue: "within 100 ms").
REDRAW_MS = 100

EXPLORABLES = {name: make() for name, make in ALL.items()}

# Collect the rows drawn by the chart called `mark` (Vega-Lite names its marks
# "<name>_marks", or "<name>_<layer>_marks" inside a layer) in the view's scenegraph.
DRAWN_JS = """([name, mark]) => {
  const out = [];
  const ours = (n) => n === mark + "_marks" || /^\\d+_marks$/.test(n.slice(mark.length + 1))
    && n.startsWith(mark + "_");
  const walk = (node) => {
    if (!node) return;
    if (node.marktype && node.name && ours(node.name)) {
      node.items.forEach((it) => out.push(it.datum));
    }
    (node.items || []).forEach(walk);
  };
  walk(window.optlibViews[name].scenegraph().root);
  return JSON.parse(JSON.stringify(out));
}"""


def page_for(tmp: Path, name: str) -> Path:
    """A page that holds one explorable, with the vendored libraries where the site has them."""
    site = tmp / "site"
    shutil.copytree(VENDOR, site / "_static" / "vega")
    html = EXPLORABLES[name].html()
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en" data-content_root="./"><head><meta charset="utf-8">'
        f"<title>{name}</title></head><body><h1>{name}</h1><p>before</p>{html}"
        "<p>after</p></body></html>",
        encoding="utf-8",
    )
    return site


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def open_explorable(chromium, tmp_path: Path, name: str):
    site = page_for(tmp_path, name)
    server = serve(site)
    url = server.__enter__()
    page = chromium.context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else 0)
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []

    def route(route, request):
        if request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(url + "index.html")
    page.wait_for_function(f"window.optlibViews && window.optlibViews[{name!r}]", timeout=30000)
    return page, server, errors, outside


@contextmanager
def exploring(chromium, tmp_path: Path, name: str):
    """Open the explorable ``name`` (see :func:`open_explorable`) and yield its page with a
    list for the redraw times the test measures. On the way out it saves screenshots of the
    view as it opened and as the test left it, and fails on a redraw slower than REDRAW_MS,
    a console error or warning, or a request to another host."""
    page, server, errors, outside = open_explorable(chromium, tmp_path, name)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-default.png"), full_page=True)
        times: list[float] = []
        yield page, times
        page.screenshot(path=str(SCREENSHOTS / f"{name}-moved.png"), full_page=True)
        assert times and max(times) < REDRAW_MS, f"redraw took {times} ms"
        assert not errors, errors
        assert not outside, outside
    finally:
        page.close()
        server.__exit__(None, None, None)


def focus_by_tab(page, name: str, label: str) -> None:
    """Reach the control labelled ``label`` with the Tab key, from the text before it."""
    page.click("h1")
    for _ in range(50):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => document.activeElement.closest('.vega-bind')"
            "?.querySelector('.vega-bind-name')?.textContent.trim() || ''"
        )
        if text.startswith(label):
            return
    raise AssertionError(f"{name}: Tab never reached the control {label!r}")


# Time, in the page, the redraw after the focused control's value changes from its
# neighbour `other` back to its current value: the input event, Vega's dataflow and the SVG.
REDRAW_JS = """async ([name, other]) => {
  const el = document.activeElement, view = window.optlibViews[name], target = el.value;
  const times = [];
  for (let i = 0; i < 3; i++) {
    el.value = other; el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true})); await view.runAsync();
    const start = performance.now();
    el.value = target; el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true})); await view.runAsync();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1];
}"""


def redraw_ms(page, name: str, other: str) -> float:
    """The median of three redraws of the focused control's view (see REDRAW_JS)."""
    return page.evaluate(REDRAW_JS, [name, other])


def radio_redraw_ms(page, name: str) -> float:
    """The median of three redraws after checking another radio button of the focused group
    and then the focused one again."""
    return page.evaluate(
        """async ([name]) => {
          const el = document.activeElement, view = window.optlibViews[name];
          const other = [...el.closest(".vega-bind").querySelectorAll("input")]
            .find((o) => o !== el);
          const times = [];
          for (let i = 0; i < 3; i++) {
            other.click(); await view.runAsync();
            const start = performance.now();
            el.click(); await view.runAsync();
            times.push(performance.now() - start);
          }
          return times.sort((a, b) => a - b)[1];
        }""",
        [name],
    )


def move_to(page, name: str, label: str, target: float, step: float) -> float:
    """Move the focused range input to ``target`` with the arrow keys; return the time in
    ms the view takes to redraw for that value (:func:`redraw_ms`, from a neighbour)."""
    value = float(page.evaluate("() => document.activeElement.value"))
    key = "ArrowRight" if target > value else "ArrowLeft"
    for _ in range(round(abs(target - value) / step)):
        page.keyboard.press(key)
    page.evaluate(f"async () => {{ await window.optlibViews[{name!r}].runAsync(); }}")
    now = float(page.evaluate("() => document.activeElement.value"))
    assert abs(now - target) < step / 2, f"{name}: {label} is {now}, wanted {target}"
    neighbour = target + step if key == "ArrowLeft" else target - step
    return redraw_ms(page, name, repr(round(neighbour, 10)))


def choose(page, name: str, label: str, target: str) -> float:
    """Move the focused select or radio group to the option ``target`` with the arrow keys;
    return the time in ms the view takes to redraw for that option."""
    kind = page.evaluate("() => document.activeElement.type")
    current = "() => document.activeElement.value"
    if kind == "select-one":
        options = page.evaluate("() => [...document.activeElement.options].map((o) => o.value)")
    elif kind == "radio":
        options = page.evaluate(
            "() => [...document.activeElement.closest('.vega-bind').querySelectorAll('input')]"
            ".map((o) => o.value)"
        )
    else:
        raise AssertionError(f"{name}: {label} is a {kind}, not a select or radio group")
    if target not in options:
        raise AssertionError(f"{name}: {label} has no option {target!r}: {options}")
    delta = options.index(target) - options.index(page.evaluate(current))
    key = (
        ("ArrowDown" if kind == "select-one" else "ArrowRight")
        if delta > 0
        else ("ArrowUp" if kind == "select-one" else "ArrowLeft")
    )
    for _ in range(abs(delta)):
        page.keyboard.press(key)
    page.evaluate(f"async () => {{ await window.optlibViews[{name!r}].runAsync(); }}")
    assert page.evaluate(current) == target, f"{name}: {label} did not move to {target!r}"
    if kind == "radio":  # a radio's value is fixed; time a switch of the checked option
        return 0.0 if len(options) < 2 else radio_redraw_ms(page, name)
    other = options[options.index(target) - 1] if options.index(target) else options[1]
    return redraw_ms(page, name, other)


def drawn(page, name: str, mark: str) -> list[dict]:
    return page.evaluate(DRAWN_JS, [name, mark])


def padded(history: np.ndarray, steps: int) -> np.ndarray:
    """A single run's history over ``steps`` steps: a run that stopped (converged or
    diverged) keeps its last row, as a batched run records it."""
    missing = steps + 1 - len(history)
    return np.concatenate([history, np.repeat(history[-1:], missing, axis=0)])


def series(rows: list[dict], *fields: str) -> np.ndarray:
    """The drawn rows in step order, as an array of ``fields``."""
    rows = sorted(rows, key=lambda r: r["t"])
    return np.array([[r[f] for f in fields] for r in rows], dtype=float)


# -- step size (chapter 1) ---------------------------------------------------------------
def expected_step_size_path(alpha: float) -> np.ndarray:
    from optlib.explore.ch01 import LAMBDAS, STEPS

    problem = optlib.problems.quadratic(LAMBDAS[1] / LAMBDAS[0])
    result = optlib.run(optlib.SGD(lr=alpha), problem, steps=STEPS, tol=None)
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    path = padded(result.path, STEPS)
    return np.stack(
        [np.clip(path[:, 0], 2 * x_lo, 2 * x_hi), np.clip(path[:, 1], 2 * y_lo, 2 * y_hi)], -1
    )


def test_step_size_draws_optlibs_path_for_every_alpha(chromium, tmp_path):
    name, label = "step_size", "learning rate α"
    with exploring(chromium, tmp_path, name) as (page, times):
        focus_by_tab(page, name, label)
        for alpha in (0.25, 0.01, 0.15):
            times.append(move_to(page, name, label, alpha, 0.005))
            rows = sorted(drawn(page, name, "path"), key=lambda r: r["t"])
            got = np.array([[r["x1"], r["x2"]] for r in rows])
            want = expected_step_size_path(alpha)
            assert got.shape == want.shape, (alpha, got.shape)
            np.testing.assert_allclose(got, want, atol=6e-4, err_msg=f"α = {alpha}")
            bars = {r["direction"][:2]: r["factor"] for r in drawn(page, name, "factors")}
            assert bars == pytest.approx(
                {"x₁": abs(1 - alpha), "x₂": abs(1 - 10 * alpha)}, abs=6e-4
            )


# -- momentum (chapter 3) ------------------------------------------------------------------
def expected_momentum(alpha: float, rho: float) -> tuple[np.ndarray, float]:
    """One momentum run alone: its drawn path and log-loss, and its measured rate."""
    from optlib.explore.ch03 import KAPPA, RATE_STEPS, STEPS

    problem = optlib.problems.quadratic(KAPPA)
    result = optlib.run(
        optlib.Momentum(lr=alpha, momentum=rho), problem, steps=RATE_STEPS, tol=None
    )
    path, loss = padded(result.path, RATE_STEPS), padded(result.loss, RATE_STEPS)
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    drawn_part = np.column_stack(
        [
            np.clip(path[: STEPS + 1, 0], 2 * x_lo, 2 * x_hi),
            np.clip(path[: STEPS + 1, 1], 2 * y_lo, 2 * y_hi),
            np.log10(np.clip(loss[: STEPS + 1], 1e-8, 1e6)),
        ]
    )
    if result.outcome == "diverged":
        return drawn_part, 1.05
    d = np.linalg.norm(result.path, axis=-1)
    return drawn_part, min(float((d[-1] / d[0]) ** (1 / (len(d) - 1))), 1.05)


def test_momentum_draws_optlibs_runs_for_every_alpha_and_rho(chromium, tmp_path):
    name = "momentum"
    with exploring(chromium, tmp_path, name) as (page, times):
        for alpha, rho in ((0.0395, 0.0), (0.0035, 0.95), (0.0315, 0.65), (0.0195, 0.3)):
            focus_by_tab(page, name, "learning rate α")
            times.append(move_to(page, name, "learning rate α", alpha, 0.004))
            focus_by_tab(page, name, "momentum ρ")
            times.append(move_to(page, name, "momentum ρ", rho, 0.05))
            want, rate = expected_momentum(alpha, rho)
            got = series(drawn(page, name, "path"), "x1", "x2", "logf")
            np.testing.assert_allclose(got, want, atol=6e-3, err_msg=f"α={alpha}, ρ={rho}")
            gd, _ = expected_momentum(alpha, 0.0)
            np.testing.assert_allclose(
                series(drawn(page, name, "gd"), "x1", "x2"), gd[:, :2], atol=6e-3
            )
            (cell,) = drawn(page, name, "chosen")
            assert cell["rate"] == pytest.approx(rate, abs=6e-4), (alpha, rho)


# -- EWMA (chapter 5) ------------------------------------------------------------------------
def test_ewma_draws_the_unrolled_average_for_every_beta(chromium, tmp_path):
    from optlib.explore.ch05 import STEPS, signal

    name, label = "ewma", "decay β"
    s = signal()
    with exploring(chromium, tmp_path, name) as (page, times):
        focus_by_tab(page, name, label)
        for beta in (0.99, 0.5, 0.8):
            times.append(move_to(page, name, label, beta, 0.01))
            t = np.arange(1, STEPS + 1)
            # The unrolled sum, m_t = Σ_k (1 − β) β^k s_{t−k}: another route to the average.
            m = np.array([np.sum((1 - beta) * beta ** np.arange(n) * s[:n][::-1]) for n in t])
            got = series(drawn(page, name, "ewma"), "m", "mhat")
            np.testing.assert_allclose(got[:, 0], m, atol=6e-4)
            np.testing.assert_allclose(got[:, 1], m / (1 - beta**t), atol=6e-4)
            weights = sorted(drawn(page, name, "weights"), key=lambda r: r["k"])
            k = np.array([w["k"] for w in weights])
            np.testing.assert_allclose([w["w"] for w in weights], (1 - beta) * beta**k, atol=6e-5)
            (rule,) = drawn(page, name, "window")[:1]
            assert rule["window"] == pytest.approx(1 / (1 - beta), abs=0.06)


# -- Adam's moments (chapter 6) ----------------------------------------------------------------
def expected_adam_steps(beta1: float, beta2: float, correction: bool) -> np.ndarray:
    from optlib.explore.ch06 import gradients

    theta = np.zeros(1)
    opt = optlib.Adam(lr=1.0, betas=(beta1, beta2), bias_correction=correction)
    sizes = []
    for g in gradients():
        before = theta.copy()
        opt.step(theta, np.array([g]))
        sizes.append(abs(theta[0] - before[0]))
    return np.array(sizes)


def test_adam_moments_draws_optlibs_steps_for_every_control(chromium, tmp_path):
    name = "adam_moments"
    with exploring(chromium, tmp_path, name) as (page, times):
        for beta1, beta2, correction in (
            (0.95, "0.9", "off"),
            (0.0, "0.999", "on"),
            (0.5, "0.99", "off"),
            (0.9, "0.999", "off"),
        ):
            focus_by_tab(page, name, "β₁")
            times.append(move_to(page, name, "β₁", beta1, 0.05))
            focus_by_tab(page, name, "β₂")
            times.append(choose(page, name, "β₂", beta2))
            focus_by_tab(page, name, "bias correction")
            times.append(choose(page, name, "bias correction", correction))
            want = expected_adam_steps(beta1, float(beta2), correction == "on")
            got = series(drawn(page, name, "steps"), "step")[:, 0]
            np.testing.assert_allclose(got, want, atol=6e-4, err_msg=str((beta1, beta2)))
            moments = series(drawn(page, name, "m"), "m", "mhat")
            assert moments[0, 0] == pytest.approx((1 - beta1) * moments[0, 1], abs=2e-3)
        assert expected_adam_steps(0.9, 0.999, False)[0] == pytest.approx(0.1 / 0.001**0.5)


# -- every explorable ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXPLORABLES))
def test_spec_is_valid_vega_lite_within_the_data_budget(name):
    EXPLORABLES[name].spec(validate=True)
    spec = EXPLORABLES[name].spec_json()
    assert len(spec.encode()) <= 500_000, f"{name}: {len(spec) // 1000} kB of spec"


@pytest.mark.parametrize("name", sorted(EXPLORABLES))
def test_static_png_is_the_current_default_view(name):
    recorded = json.loads((FIGURES / "explorables.json").read_text())
    assert EXPLORABLES[name].png_path().exists(), "run scripts/explorable_pngs.py"
    assert recorded.get(name) == EXPLORABLES[name].spec_hash(), "run scripts/explorable_pngs.py"


@pytest.mark.parametrize("name", sorted(EXPLORABLES))
def test_each_control_has_a_visible_label(name):
    params = [p for p in EXPLORABLES[name].spec().get("params", []) if "bind" in p]
    assert params, f"{name} has no controls"
    for param in params:
        assert param["bind"].get("name", "").strip(), f"{name}: {param['name']} has no label"


def test_the_vendored_libraries_are_the_pinned_ones():
    versions = (VENDOR / "VERSIONS").read_text().split()
    assert versions == [f"{pkg}@{v}" for pkg, (v, _) in LIBRARIES.items()]
    for _, file in LIBRARIES.values():
        assert (VENDOR / file).stat().st_size > 10_000


# -- the pieces, without a browser -------------------------------------------------------------
def test_moving_average_is_the_unrolled_sum():
    from optlib.explore.ch05 import moving_average

    s = np.random.default_rng(3).standard_normal(30)
    betas = np.array([0.0, 0.5, 0.9])
    m = moving_average(s, betas)
    for b, row in zip(betas, m, strict=True):
        unrolled = [np.sum((1 - b) * b ** np.arange(n) * s[:n][::-1]) for n in range(1, 31)]
        np.testing.assert_allclose(row, unrolled, rtol=1e-12, atol=1e-15)


def test_slider_refuses_an_uneven_grid_or_a_start_off_it():
    from optlib.explore._layout import slider

    with pytest.raises(ValueError, match="evenly spaced"):
        slider("a", "α", np.array([0.1, 0.2, 0.4]), 0.1)
    with pytest.raises(ValueError, match="not on its grid"):
        slider("a", "α", np.array([0.1, 0.2, 0.3]), 0.25)
    bind = slider("a", "α", np.array([0.5, 0.51, 0.52]), 0.5).param.bind.to_dict()
    assert bind["max"] > 0.52 and bind["step"] == pytest.approx(0.01)  # the last value is reachable


def test_runs_table_rounds_each_series_and_checks_lengths():
    from optlib.explore._layout import runs_table

    rows = runs_table({"a": np.array([1.0, 2.0])}, {"x": np.array([[0.12345, 1.0]] * 2)}, {"x": 2})
    assert rows == [{"a": 1.0, "x": [0.12, 1.0]}, {"a": 2.0, "x": [0.12, 1.0]}]
    with pytest.raises(ValueError, match="same number"):
        runs_table({"a": np.array([1.0])}, {"x": np.zeros((2, 3))}, {"x": 1})
