"""The built site in a real browser, offline: every page renders with nothing from outside.

Uses the site built by the README's test command (``_build/html``, or ``$OPTLIB_SITE_DIR``;
built here if missing), serves it on 127.0.0.1 and opens every page once in Debian's
chromium (tests/sitecheck.py). A screenshot of every page goes to ``_build/screenshots/``
(next to the site) for people to look at: the first screen, or the whole page with
``OPTLIB_SCREENSHOTS=full``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitecheck import (
    PageResult,
    browser,
    check_page,
    click_next,
    html_pages,
    search,
    serve,
    site_dir,
    toc_pages,
)


@pytest.fixture(scope="module")
def site() -> Path:
    return site_dir()


@pytest.fixture(scope="module")
def base_url(site: Path):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def results(site: Path, base_url: str, chromium) -> dict[str, PageResult]:
    """Every page opened once, with a screenshot each."""
    shots = site.parent / "screenshots"
    shutil.rmtree(shots, ignore_errors=True)
    return {
        rel: check_page(chromium, base_url + rel, shots / Path(rel).with_suffix(".jpg"))
        for rel in html_pages(site)
    }


def test_every_page_renders_offline(site: Path, results: dict[str, PageResult], chromium) -> None:
    assert {"index.html", "intro.html", "search.html"} <= set(results), sorted(results)
    bad = {rel: r.problems for rel, r in results.items() if r.problems}
    report = "\n".join(f"{rel}:\n  " + "\n  ".join(p) for rel, p in bad.items())
    assert not bad, f"{len(bad)} of {len(results)} pages have problems:\n{report}"
    assert not chromium.blocked, f"requests to other hosts: {chromium.blocked}"
    assert len(list((site.parent / "screenshots").rglob("*.jpg"))) == len(results)


def test_next_buttons_walk_the_whole_book_in_order(results: dict[str, PageResult]) -> None:
    expected = toc_pages()
    missing = [p for p in expected if p not in results]
    assert not missing, f"pages of _toc.yml missing from the build: {missing}"
    walk = [results["index.html"].path]
    while (nxt := results[walk[-1]].next_page) is not None and len(walk) <= len(results):
        walk.append(nxt)
    assert walk == expected


def test_a_reader_clicking_next_leaves_the_intro(base_url: str, chromium) -> None:
    assert click_next(chromium, base_url + "intro.html") == toc_pages()[1]


def test_intro_sidebar_links_every_page(results: dict[str, PageResult]) -> None:
    missing = set(toc_pages()[1:]) - set(results["intro.html"].nav_links)
    assert not missing, f"the intro's sidebar does not link {sorted(missing)}"


def test_search_finds_momentum(site: Path, base_url: str, chromium) -> None:
    found = search(chromium, base_url, "momentum")
    assert found, "searching the site for 'momentum' returned nothing"
    if (site / "chapters" / "03_momentum.html").is_file():
        assert "chapters/03_momentum.html" in found, found


BAD_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>A broken page</title></head><body>
<p>Display math that nothing typesets: $$x^2$$</p>
<p><span class="math notranslate nohighlight">\\(y^2\\)</span></p>
<img src="missing.png" alt="an image that is not there">
<img src="https://example.com/logo.png" alt="an image from another host">
<script>console.error("deliberate console error")</script>
<script>functionThatDoesNotExist()</script>
</body></html>
"""


def test_checker_catches_a_broken_page(tmp_path: Path, chromium) -> None:
    """The checks above can fail: each fault of a deliberately broken page is reported."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    with serve(tmp_path / "site") as url:
        result = check_page(chromium, url + "bad.html", tmp_path / "bad.jpg", timeout_ms=3000)
    text = "\n".join(result.problems)
    for expected in [
        "console error: deliberate console error",
        "console error: uncaught ReferenceError: functionThatDoesNotExist is not defined",
        f"failed request: {url}missing.png (HTTP 404)",
        "image not loaded: missing.png",
        "image not loaded: https://example.com/logo.png",
        "request to another host (blocked): https://example.com/logo.png",
        "MathJax never started",
        "1 of 1 math elements not rendered",
        "raw $$ in the text: 'Display math that nothing typesets: $$x^2$$'",
    ]:
        assert expected in text, f"the checker missed {expected!r}; it reported:\n{text}"
    assert (tmp_path / "bad.jpg").stat().st_size > 0
