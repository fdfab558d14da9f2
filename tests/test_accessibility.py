"""Accessibility: alt text on every figure, headings in order, colours for colour-blind readers."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from sitecheck import ROOT, html_pages, parsed, site_dir, toc_pages

from optlib.plot import COLORS


def source_of(page: str) -> Path | None:
    """The notebook or Markdown file that a built page (``chapters/x.html``) comes from."""
    stem = ROOT / Path(page).with_suffix("")
    return next(
        (stem.with_suffix(s) for s in (".ipynb", ".md") if stem.with_suffix(s).is_file()), None
    )


#: The book's pages (sources), in reading order.
SOURCES = [s for s in map(source_of, toc_pages()) if s is not None]
NOTEBOOKS = [p for p in SOURCES if p.suffix == ".ipynb"]
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


ANIMATION = re.compile(r'class="(optlib-)?animation"')
ALT_IN_HTML = re.compile(r'<img[^>]*\balt="[^"]*\w')


def figure_without_alt(cell: dict) -> bool:
    """Whether a code cell shows a figure or an animation with no alt text for it.

    Images get their alt text from the cell metadata; an HTML animation may instead carry
    it on its own first image (optlib.animation does; matplotlib's to_jshtml cannot).
    """
    metadata_alt = str(cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", ""))
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if any(t in data for t in IMAGE_TYPES) and not metadata_alt.strip():
            return True
        html = text(data.get("text/html", ""))
        if ANIMATION.search(html) and not (metadata_alt.strip() or ALT_IN_HTML.search(html)):
            return True
    return False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
def test_every_figure_cell_has_alt_text(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    missing = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and figure_without_alt(cell)
    ]
    assert not missing, (
        f"cells {missing} show a figure but have no alt text; add the cell metadata "
        '{"mystnb": {"image": {"alt": "one sentence describing the figure"}}}'
    )


FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")
HEADING = re.compile(r"^(#{1,6})\s+\S")


def heading_levels(markdown: str) -> list[int]:
    """The levels of the Markdown headings, ignoring code and directive fences."""
    levels, fence = [], None
    for line in markdown.splitlines():
        if m := FENCE.match(line):
            mark = m.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is None and (m := HEADING.match(line)):
            levels.append(len(m.group(1)))
    return levels


def page_markdown(path: Path) -> list[str]:
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [text(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def heading_problems(levels: list[int]) -> list[str]:
    problems = []
    if not levels or levels[0] != 1:
        problems.append("the page must start with one # title")
    if levels.count(1) > 1:
        problems.append(f"{levels.count(1)} level-1 headings; a page has one title")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"heading level jumps from {before} to {after}")
    return problems


@pytest.mark.parametrize("path", SOURCES, ids=name)
def test_headings_are_in_order(path: Path) -> None:
    levels = [lvl for md in page_markdown(path) for lvl in heading_levels(md)]
    assert not heading_problems(levels), heading_problems(levels)


def test_heading_check_can_fail() -> None:
    assert heading_problems([1, 2, 3, 2, 3]) == []
    assert heading_problems([1, 3]) == ["heading level jumps from 1 to 3"]
    assert heading_problems([2]) == ["the page must start with one # title"]
    assert heading_levels("# T\n```python\n# a comment\n```\n## S") == [1, 2]


def has_alt(images: list) -> bool:
    return any((img.get("alt") or "").strip() for img in images)


def test_every_image_of_the_built_site_has_alt_text() -> None:
    site = site_dir()
    missing = []
    for page in html_pages(site):
        for img in parsed(site / page).find_all("img"):
            if img.find_parent("div", class_="animation"):
                continue  # a to_jshtml frame: its cell's alt text is checked above
            player = img.find_parent("div", class_="optlib-animation")
            if player and img.get("alt") == "" and has_alt(player.find_all("img")):
                continue  # the moving layer over the player's described background
            if not (img.get("alt") or "").strip():
                missing.append(f"{page}: {img.get('src', '')[:80]}")
    assert not missing, "images without alt text:\n" + "\n".join(missing)


# -- colour ------------------------------------------------------------------------------
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
#: Machado, Oliveira & Fernandes (2009), full-severity dichromacy in linear RGB.
DICHROMACY = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}
MIN_DELTA_E = 15.0  # CIE76 distance; about 2.3 is "just noticeable"


def lab(hex_colors: list[str], vision: list[list[float]] | None = None) -> np.ndarray:
    """CIELAB (D65) of sRGB colours, as seen with the given dichromacy matrix."""
    rgb = np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in hex_colors])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if vision is not None:
        lin = np.clip(lin @ np.array(vision).T, 0, 1)
    xyz = (
        lin
        @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], 1)


def closest_pair(hex_colors: list[str], vision: list[list[float]] | None) -> float:
    points = lab(hex_colors, vision)
    return min(np.linalg.norm(a - b) for a, b in itertools.combinations(points, 2))


def test_optimizer_colours_are_okabe_ito_and_distinct() -> None:
    assert {c.upper() for c in COLORS.values()} <= OKABE_ITO
    assert len(set(COLORS.values())) == len(COLORS)


@pytest.mark.parametrize("vision", sorted(DICHROMACY))
def test_optimizer_colours_stay_apart_for_colour_blind_readers(vision: str) -> None:
    distance = closest_pair(list(COLORS.values()), DICHROMACY[vision])
    assert distance >= MIN_DELTA_E, f"two optimizer colours are only ΔE {distance:.1f} apart"


def test_colour_check_can_fail() -> None:
    """Matplotlib's default red and green merge for a deuteranope."""
    red_green = ["#D62728", "#2CA02C"]
    assert closest_pair(red_green, None) > 40
    assert closest_pair(red_green, DICHROMACY["deuteranopia"]) < MIN_DELTA_E
