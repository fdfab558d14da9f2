"""Check a built site in a real browser, offline: the machinery behind tests/test_site.py.

The site is served from a folder on 127.0.0.1 and opened in Debian's chromium, driven by
Playwright (never a downloaded browser). Every request to another host is blocked and
counted, so a page that needs the internet to render fails here. :func:`check_page` opens
one page and returns its problems in words: console errors, uncaught exceptions, failed
requests, outside requests, math that MathJax did not render and images that did not load.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
#: Headless, and off the network: no background services, updates, sync or QUIC.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
]
BUILD_COMMAND = ["jupyter-book", "build", ".", "--all", "-W", "-n", "--keep-going"]
#: Screenshots show each page's first screen; OPTLIB_SCREENSHOTS=full takes whole pages
#: (several seconds each for a long chapter).
FULL_PAGE = os.environ.get("OPTLIB_SCREENSHOTS") == "full"


# -- the built site ----------------------------------------------------------------------
def site_dir() -> Path:
    """The built site: ``$OPTLIB_SITE_DIR`` if set, else ``_build/html``, built if missing."""
    env = os.environ.get("OPTLIB_SITE_DIR")
    site = Path(env) if env else ROOT / "_build" / "html"
    if (site / "index.html").is_file():
        return site
    if env:
        pytest.fail(f"OPTLIB_SITE_DIR={env} holds no built site (no index.html)")
    command = [str(Path(sys.executable).with_name(BUILD_COMMAND[0])), *BUILD_COMMAND[1:]]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode or not (site / "index.html").is_file():
        pytest.fail(
            f"no built site at {site}, and building it failed ({' '.join(BUILD_COMMAND)}, "
            f"exit code {proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}"
        )
    return site


def html_pages(site: Path) -> list[str]:
    """Every HTML page of the site as a path relative to it (Sphinx's ``_*`` folders aside)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not any(part.startswith("_") for part in p.relative_to(site).parts[:-1])
    )


@functools.cache
def parsed(html_file: Path) -> BeautifulSoup:
    """A built page, parsed once per test session (budgets and accessibility share it)."""
    return BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")


def toc_pages() -> list[str]:
    """The pages of the table of contents in reading order, as built HTML paths.

    The table is ``_toc.yml``, or ``$OPTLIB_TOC`` for a site built with ``--toc``.
    """
    toc = Path(os.environ.get("OPTLIB_TOC", ROOT / "_toc.yml"))
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    files = [data["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key, []))

    walk(data.get("parts", []) + data.get("chapters", []))
    return [str(Path(f).with_suffix("")) + ".html" for f in files]


# -- serving ------------------------------------------------------------------------------
class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # Let chromium cache the theme's and MathJax's scripts across pages (the test is
        # faster); each page is still requested and checked.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# -- the browser -------------------------------------------------------------------------
@dataclass
class Browser:
    """One chromium (a persistent context with a fresh profile) and the requests to other
    hosts than 127.0.0.1 that it blocked outside any page's own routing (e.g. from workers;
    :func:`check_page` attributes the others to their page)."""

    context: object
    blocked: list[str] = field(default_factory=list)

    def _route(self, route: object, request: object) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            self.blocked.append(request.url)
            route.abort("blockedbyclient")


def is_local(url: str) -> bool:
    return urlsplit(url).hostname == "127.0.0.1"


@contextmanager
def browser() -> Iterator[Browser]:
    """Launch Debian's chromium headless with a fresh profile; only 127.0.0.1 is reachable."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`; "
            "`python3 tasks.py test` does it). The test never downloads a browser."
        )
    with tempfile.TemporaryDirectory(prefix="optlib-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            service_workers="block",
        )
        b = Browser(context)
        context.route("**/*", b._route)
        try:
            yield b
        finally:
            context.close()


def is_redirect(url: str) -> bool:
    """Whether the page at ``url`` (on our own server) is a meta-refresh redirect."""
    with urllib.request.urlopen(url) as response:
        return b'http-equiv="refresh"' in response.read().lower()


# -- one page -----------------------------------------------------------------------------
_WAIT_FOR_MATHJAX = """() => window.MathJax && MathJax.startup && MathJax.startup.promise"""

_MATH_REPORT = """() => {
  const math = [...document.querySelectorAll('span.math, div.math')];
  const unrendered = math.filter(m => !m.querySelector('mjx-container'))
                         .map(m => m.textContent.trim().slice(0, 60));
  const errors = [...document.querySelectorAll('mjx-merror')]
                   .map(e => e.getAttribute('data-mjx-error') || e.textContent);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code, script, style, textarea')) continue;
    if (n.textContent.includes('$$')) raw.push(n.textContent.trim().slice(0, 60));
  }
  return {count: math.length, unrendered, errors, raw};
}"""

_IMAGE_REPORT = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done);
    setTimeout(done, 5000);
  })));
  return images.filter(img => !(img.complete && img.naturalWidth > 0))
               .map(img => img.getAttribute('src') || '(no src)');
}"""


@dataclass
class PageResult:
    """What opening one page found."""

    path: str  #: the page shown, as a site path (after a redirect such as index.html's)
    problems: list[str]  #: empty when the page is fine
    next_page: str | None  #: where the page's "next" button leads
    nav_links: list[str]  #: the pages its sidebar navigation links to


def _open(page: object, url: str, timeout_ms: int) -> None:
    page.goto(url, wait_until="load", timeout=timeout_ms)
    if is_redirect(url):  # index.html: wait for the page it sends the reader to
        page.wait_for_url(lambda u: u != url, wait_until="load", timeout=timeout_ms)


def _site_path(url: str, href: str) -> str:
    return urlsplit(urljoin(url, href)).path.lstrip("/")


def check_page(
    b: Browser, url: str, screenshot: Path | None = None, timeout_ms: int = 15000
) -> PageResult:
    """Open ``url`` in a new tab, let it render, and report what is wrong with it."""
    page = b.context.new_page()
    console, failed, blocked = [], [], []

    def route(route: object, request: object) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort("blockedbyclient")

    page.route("**/*", route)  # attributes outside requests to this page (see also Browser)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"uncaught {e.name}: {e.message}"))
    page.on(
        "requestfailed",
        lambda r: failed.append(f"{r.url} ({r.failure})") if is_local(r.url) else None,
    )
    page.on(
        "response",
        lambda r: failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    )
    problems: list[str] = []
    try:
        _open(page, url, timeout_ms)
        if page.evaluate("() => document.querySelector('span.math, div.math') !== null"):
            try:
                page.wait_for_function(_WAIT_FOR_MATHJAX, timeout=timeout_ms)
                page.evaluate("() => MathJax.startup.promise.then(() => true)")
            except Exception:  # any failure to start is the finding itself
                problems.append("MathJax never started, so no math is typeset")
        math = page.evaluate(_MATH_REPORT)
        if math["unrendered"]:
            problems.append(
                f"{len(math['unrendered'])} of {math['count']} math elements "
                f"not rendered, e.g. {math['unrendered'][0]!r}"
            )
        problems += [f"MathJax error: {e}" for e in math["errors"]]
        problems += [f"raw $$ in the text: {t!r}" for t in math["raw"]]
        problems += [f"image not loaded: {src}" for src in page.evaluate(_IMAGE_REPORT)]
        page.evaluate("() => document.fonts.ready.then(() => true)")  # MathJax's web fonts
        nav = page.eval_on_selector_all(
            "nav.bd-docs-nav a.reference.internal", "links => links.map(a => a.href)"
        )
        next_href = page.eval_on_selector_all("a.right-next", "links => links.map(a => a.href)")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=screenshot, full_page=FULL_PAGE, type="jpeg", quality=70)
        shown = page.url
    finally:
        page.close()
    problems += [f"console error: {text}" for text in console]
    problems += [f"failed request: {what}" for what in failed]
    problems += [f"request to another host (blocked): {u}" for u in blocked]
    return PageResult(
        path=_site_path(shown, ""),
        problems=problems,
        next_page=_site_path(shown, next_href[0]) if next_href else None,
        nav_links=sorted({_site_path(shown, h) for h in nav}),
    )


def click_next(b: Browser, url: str, timeout_ms: int = 15000) -> str:
    """Open ``url``, click its "next" button like a reader, and return where it led."""
    page = b.context.new_page()
    try:
        _open(page, url, timeout_ms)
        with page.expect_navigation(wait_until="load", timeout=timeout_ms):
            page.locator("a.right-next").first.click()
        return _site_path(page.url, "")
    finally:
        page.close()


def search(b: Browser, base: str, query: str, timeout_ms: int = 15000) -> list[str]:
    """Run the site's own search for ``query``; return the result links (site paths)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = b.context.new_page()
    try:
        page.goto(f"{base}search.html?q={query}", wait_until="load")
        try:
            page.wait_for_selector("ul.search li", timeout=timeout_ms)
        except PlaywrightTimeout:
            return []
        hrefs = page.eval_on_selector_all("ul.search li a", "links => links.map(a => a.href)")
    finally:
        page.close()
    return [urlsplit(h).path.lstrip("/") for h in hrefs]
