"""The Jupyter renditions (jupyter/): up to date, and free of MyST as Jupyter renders them.

Colab, Binder and JupyterLab render Markdown as CommonMark; a role such as {term}`x`, a
directive fence or a link to a sibling file would show raw or break there. The renditions'
standalone execution is part of the test command (tasks.py runs nbval on a copy of jupyter/
in an empty folder).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import jupyter_rendition as jr  # noqa: E402
from repo_url import notebooks, site_url  # noqa: E402

WANTED = jr.renditions()
MD = MarkdownIt("commonmark").enable("table")
MYST_LEFTOVERS = re.compile(
    r"\{(term|cite(:\w+)?|ref|doc|numref|eq|glue)\}`|^:\w+:|^\([\w-]+\)=", re.M
)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_every_notebook_has_an_up_to_date_rendition():
    assert len(WANTED) == len(notebooks()) >= 11
    for path, text in WANTED.items():
        assert path.exists(), (
            f"{path.relative_to(ROOT)} is missing: run scripts/jupyter_rendition.py"
        )
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is out of date: run scripts/jupyter_rendition.py "
            "(python3 tasks.py execute runs it)"
        )


@pytest.mark.parametrize("source", notebooks(), ids=lambda p: p.name)
def test_code_cells_and_outputs_are_the_sources(source: Path):
    rendition = jr.OUT / source.relative_to(ROOT)
    ours = [c for c in _cells(rendition) if c["cell_type"] == "code"]
    theirs = [c for c in _cells(source) if c["cell_type"] == "code"]
    assert ours == theirs


@pytest.mark.parametrize("source", notebooks(), ids=lambda p: p.name)
def test_markdown_renders_as_commonmark_with_no_myst_left(source: Path):
    rendition = jr.OUT / source.relative_to(ROOT)
    site = site_url()
    for i, cell in enumerate(_cells(rendition)):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for token in MD.parse(text):
            where = f"{rendition.name} cell {i}"
            if token.type == "fence":
                assert not token.info.startswith("{"), f"{where}: directive fence {token.info!r}"
            children = token.children or []
            for child in children:
                if child.type == "link_open":
                    href = child.attrGet("href")
                    assert re.match(r"https?://|mailto:|#", href), f"{where}: relative link {href}"
                    if href.startswith(site):
                        assert not re.search(r"\.(ipynb|md)(#|$)", href), f"{where}: {href}"
                if child.type == "text":
                    assert not MYST_LEFTOVERS.search(child.content), f"{where}: {child.content!r}"


def test_roles_become_links_and_citations_author_year():
    renderer = jr.Renderer(
        "6", "chapters/06_adam", "https://o.github.io/r/", jr.glossary_terms(), jr.citations()
    )
    out = renderer.markdown(
        "Adam {cite:p}`kingma2015` and {term}`weight decay` "
        "(see [RMSProp](05_rmsprop.ipynb#first-step) and "
        "[conventions](../appendix/conventions.md))."
    )
    assert out == (
        "Adam ([Kingma & Ba, 2015](https://o.github.io/r/appendix/references.html)) and "
        "[weight decay](https://o.github.io/r/appendix/glossary.html#term-weight-decay) "
        "(see [RMSProp](https://o.github.io/r/chapters/05_rmsprop.html#first-step) and "
        "[conventions](https://o.github.io/r/appendix/conventions.html))."
    )


def test_exercises_become_numbered_headings_with_collapsed_solutions():
    renderer = jr.Renderer("3", "chapters/03_momentum", "https://o.github.io/r/", {}, {})
    first = renderer.markdown("```{exercise} Tune it\n:label: ex-a\n\nTry $\\rho$.\n```")
    second = renderer.markdown("```{exercise-start} Code it\n:label: ex-b\n```")
    solution = renderer.markdown("```{solution} ex-a\n:class: dropdown\n\nUse 0.9.\n```")
    coded = renderer.markdown("```{solution-start} ex-b\n:class: dropdown\n```")
    assert first == "### Exercise 3.1: Tune it\n\nTry $\\rho$."
    assert second == "### Exercise 3.2: Code it"
    assert solution.startswith("<details>\n<summary><b>Solution to Exercise 3.1</b>")
    assert "Use 0.9." in solution and solution.endswith("</details>")
    assert coded == "#### Solution to Exercise 3.2"


def test_admonitions_become_blockquotes_with_a_bold_title():
    renderer = jr.Renderer("5", "chapters/05_rmsprop", "https://o.github.io/r/", {}, {})
    out = renderer.markdown("```{admonition} Two meanings\n:class: warning\nLine one.\n\nTwo.\n```")
    assert out == "> **Two meanings**\n>\n> Line one.\n>\n> Two."
    assert renderer.markdown(":::{note}\nKeep it.\n:::") == "> **Note**\n>\n> Keep it."


def test_unknown_glossary_term_or_citation_is_an_error():
    renderer = jr.Renderer("1", "chapters/01_x", "https://o.github.io/r/", {}, {})
    with pytest.raises(ValueError, match="not in the glossary"):
        renderer.markdown("{term}`nonsense`")
    with pytest.raises(ValueError, match="not in references.bib"):
        renderer.markdown("{cite:p}`nobody2099`")


def test_glossary_anchors_exist_on_the_built_site():
    from sitecheck import site_dir

    glossary = (site_dir() / "appendix" / "glossary.html").read_text(encoding="utf-8")
    for anchor in jr.glossary_terms().values():
        assert f'id="{anchor}"' in glossary, anchor


def test_launch_buttons_open_the_renditions():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+path_to_book:\s*jupyter\s*$", config, re.M)
