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
from pathlib import Path

import numpy as np
import pytest
from sitecheck import browser, serve

import optlib
from optlib.explore import ALL
from optlib.explore._embed import FIGURES, LIBRARIES

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "_vendor" / "vega"
SCREENSHOTS = ROOT / "_build" / "screenshots" / "explorables"
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


def focus_by_tab(page, name: str, label: str) -> None:
    """Reach the control labelled ``label`` with the Tab key, from the text before it."""
    page.click("h1")
    for _ in range(50):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => document.activeElement.closest('label')?.textContent.trim() || ''"
        )
        if text.startswith(label):
            return
    raise AssertionError(f"{name}: Tab never reached the control {label!r}")


def move_to(page, name: str, label: str, target: float, step: float) -> float:
    """Move the focused range input to ``target`` with the arrow keys; return the time in
    ms from the last key press to the end of the view's redraw."""
    value = float(page.evaluate("() => document.activeElement.value"))
    key = "ArrowRight" if target > value else "ArrowLeft"
    presses = round(abs(target - value) / step)
    for _ in range(presses - 1):
        page.keyboard.press(key)
    elapsed = 0.0
    if presses:
        page.evaluate("() => { window.optlibT0 = performance.now(); }")
        page.keyboard.press(key)
        elapsed = page.evaluate(
            f"async () => {{ await window.optlibViews[{name!r}].runAsync();"
            " return performance.now() - window.optlibT0; }"
        )
    now = float(page.evaluate("() => document.activeElement.value"))
    assert abs(now - target) < step / 2, f"{name}: {label} is {now}, wanted {target}"
    return elapsed


def drawn(page, name: str, mark: str) -> list[dict]:
    return page.evaluate(DRAWN_JS, [name, mark])


# -- step size (chapter 1) ---------------------------------------------------------------
def expected_step_size_path(alpha: float) -> np.ndarray:
    from optlib.explore.ch01 import LAMBDAS, STEPS

    problem = optlib.problems.quadratic(LAMBDAS[1] / LAMBDAS[0])
    result = optlib.run(optlib.SGD(lr=alpha), problem, steps=STEPS, tol=None)
    (x_lo, x_hi), (y_lo, y_hi) = problem.window
    # A run that stops (here: diverges) keeps its last point for the remaining steps.
    path = np.concatenate(
        [result.path, np.repeat(result.path[-1:], STEPS + 1 - len(result.path), 0)]
    )
    return np.stack(
        [np.clip(path[:, 0], 2 * x_lo, 2 * x_hi), np.clip(path[:, 1], 2 * y_lo, 2 * y_hi)], -1
    )


def test_step_size_draws_optlibs_path_for_every_alpha(chromium, tmp_path):
    name, label = "step_size", "learning rate α"
    page, server, errors, outside = open_explorable(chromium, tmp_path, name)
    try:
        focus_by_tab(page, name, label)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-default.png"), full_page=True)
        times = []
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
        page.screenshot(path=str(SCREENSHOTS / f"{name}-moved.png"), full_page=True)
        assert max(times) < REDRAW_MS, f"redraw took {times} ms"
        assert not errors, errors
        assert not outside, outside
    finally:
        page.close()
        server.__exit__(None, None, None)


# -- every explorable ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXPLORABLES))
def test_data_stays_within_budget(name):
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
