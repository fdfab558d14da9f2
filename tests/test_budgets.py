"""Size budgets of the built site (``_build/html`` or ``$OPTLIB_SITE_DIR``).

* a page with its own images (not the theme's and MathJax's shared ``_static`` files), and,
  on a page with an explorable, the Vega libraries it loads: 3 MB;
* an animation (an ``optlib.animation`` player or a matplotlib ``to_jshtml`` block, frames
  included): 1 MB;
* the whole site: 40 MB.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup
from matplotlib.animation import FuncAnimation
from sitecheck import html_pages, parsed, site_dir

import optlib
import optlib.animation
from optlib import problems
from optlib.explore._embed import LIBRARIES

MB = 1_000_000
PAGE_BUDGET, ANIMATION_BUDGET, SITE_BUDGET = 3 * MB, 1 * MB, 40 * MB


@pytest.fixture(scope="module")
def site() -> Path:
    return site_dir()


def own_files(site: Path, page: str) -> dict[str, int]:
    """The page's HTML and every local image it shows outside ``_static``, with sizes."""
    html = site / page
    files = {page: html.stat().st_size}
    for tag in parsed(html).find_all(["img", "source", "video"]):
        src = tag.get("src")
        if not src or src.startswith("data:") or urlsplit(src).scheme:
            continue  # inline images are counted in the HTML; outside ones fail test_site
        path = (html.parent / unquote(urlsplit(src).path)).resolve()
        rel = path.relative_to(site.resolve()).as_posix()
        if not rel.startswith("_static/") and path.is_file():
            files[rel] = path.stat().st_size
    if parsed(html).select("div.optlib-explorable"):
        # Only pages with an explorable load Vega (optlib.explore._embed), so they pay for it.
        for _, name in LIBRARIES.values():
            files[f"_static/vega/{name}"] = (site / "_static" / "vega" / name).stat().st_size
    return files


#: Animation players: optlib.animation's, and matplotlib's ``to_jshtml``.
ANIMATION = "div.optlib-animation, div.animation"


def animations(soup: BeautifulSoup) -> list[int]:
    """The size in bytes of each animation in a page (its whole cell output, frames included)."""
    sizes = []
    for anim in soup.select(ANIMATION):
        block = anim.find_parent("div", class_="output") or anim.parent
        sizes.append(len(str(block).encode()))
    return sizes


def test_every_page_with_its_images_is_within_budget(site: Path) -> None:
    over = {}
    for page in html_pages(site):
        files = own_files(site, page)
        if sum(files.values()) > PAGE_BUDGET:
            over[page] = files
    assert not over, "pages over 3 MB (own files in bytes):\n" + "\n".join(
        f"{page}: {sum(f.values()):,} = {f}" for page, f in over.items()
    )


def test_every_animation_is_within_budget(site: Path) -> None:
    over = []
    for page in html_pages(site):
        for i, size in enumerate(animations(parsed(site / page)), 1):
            if size > ANIMATION_BUDGET:
                over.append(f"{page}, animation {i}: {size:,} bytes")
    assert not over, "animations over 1 MB:\n" + "\n".join(over)


def test_the_whole_site_is_within_budget(site: Path) -> None:
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total <= SITE_BUDGET, f"the site is {total / MB:.1f} MB, over the 40 MB budget"


def test_animations_are_found_and_measured() -> None:
    """The animation budget can fail: real players are found and measured, frames included."""
    fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
    (line,) = ax.plot([], [])
    anim = FuncAnimation(fig, lambda i: line.set_data([0, i], [0, i]), frames=3)
    jshtml = anim.to_jshtml()
    plt.close(fig)
    path = optlib.run(optlib.SGD(lr=0.05), problems.quadratic(10), steps=5, tol=None)
    player = optlib.animation.animate(problems.quadratic(10), {"SGD": path}).data
    for html in (jshtml, player):
        page = f'<div class="cell"><div class="output text_html">{html}</div></div>'
        (size,) = animations(BeautifulSoup(page, "html.parser"))
        assert abs(size - len(html.encode())) < 0.05 * len(html.encode())
    assert animations(BeautifulSoup("<p>no animation here</p>", "html.parser")) == []
