"""A local Sphinx extension that keeps the built site offline.

* MathJax is served from the build. ``_config.yml`` sets ``mathjax_path:
  mathjax/tex-chtml.js`` (a path under ``_static``); the files come from ``_vendor/``
  (see scripts/vendor_mathjax.py). They are added here by absolute path rather than by
  ``html_static_path: [_vendor]`` in ``_config.yml``, because a single-page build
  (``jupyter-book build chapters/03_momentum.ipynb --config _config.yml``) resolves relative
  static paths against the notebook's folder and would warn.
* Matplotlib's ``to_jshtml()`` animations link Font Awesome 4 from a CDN for their
  play/pause icons. The link is dropped from cell outputs: the theme already ships Font
  Awesome, which draws the same ``fa fa-play`` icons from the build.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

VENDOR = Path(__file__).resolve().parents[1] / "_vendor"
FONT_AWESOME_CDN = re.compile(
    r'<link\s+rel="stylesheet"\s+href="https://maxcdn\.bootstrapcdn\.com/font-awesome/[^"]*"\s*/?>'
)


def add_vendor_static(app: Sphinx) -> None:
    if not (VENDOR / "mathjax" / "tex-chtml.js").is_file():
        raise FileNotFoundError(f"{VENDOR}/mathjax is missing: run scripts/vendor_mathjax.py")
    app.config.html_static_path.append(str(VENDOR))


def drop_cdn_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and FONT_AWESOME_CDN.search(raw.astext()):
            text = FONT_AWESOME_CDN.sub("", raw.astext())
            raw.replace_self(nodes.raw("", text, format=raw["format"], classes=raw["classes"]))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", add_vendor_static)
    app.connect("doctree-resolved", drop_cdn_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
