"""How an explorable reaches the page: a Vega-Lite spec, drawn by the vendored Vega.

optlib computes every state a control can reach (batched); the spec embeds those numbers
and the browser only filters and draws them. No JavaScript here computes an optimizer step.

A cell that shows an :class:`Explorable` outputs these representations (and a line of
text):

* ``text/html``: a ``<div>`` and a small script that loads Vega, Vega-Lite and
  vega-embed (from the book's own ``_static/vega/`` on the site, which is built offline;
  from the npm CDN in Colab or a bare notebook page) and embeds the spec. The view is kept
  in ``window.optlibViews[name]`` so the browser test can read back what is drawn;
  JupyterLab runs the same script once the notebook is trusted (after running the cell).
  The bare Vega-Lite mime type is left out: the book's builder (myst-nb) renders every
  representation of an output and warns on one it does not know;
* ``image/png``: the view in its default state, for print and the PDF, rendered by
  ``scripts/explorable_pngs.py`` into ``chapters/figures/`` (absent in a pip install).
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt

#: The vendored libraries (scripts/vendor_vega.py), in load order.
LIBRARIES = {
    "vega": ("6.2.0", "vega.min.js"),
    "vega-lite": ("6.4.1", "vega-lite.min.js"),
    "vega-embed": ("7.3.0", "vega-embed.min.js"),
}
FIGURES = Path(__file__).resolve().parents[2] / "chapters" / "figures"

_SCRIPT = """\
(function () {
  var name = %(name)s, spec = %(spec)s;
  var root = document.documentElement.getAttribute("data-content_root");
  var files = root !== null ? %(local)s : %(cdn)s;
  // One loader per page, shared by every explorable on it.
  window.optlibVega = window.optlibVega || files.reduce(function (ready, src) {
    return ready.then(function () {
      return new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = (root !== null ? root + "_static/vega/" : "") + src;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("could not load " + tag.src)); };
        document.head.appendChild(tag);
      });
    });
  }, Promise.resolve());
  window.optlibVega.then(function () {
    return vegaEmbed("#optlib-explorable-" + name, spec, {actions: false, renderer: "svg"});
  }).then(function (result) {
    (window.optlibViews = window.optlibViews || {})[name] = result.view;
  }).catch(function (error) {
    console.error("explorable " + name + ": " + error);
  });
})();"""


@dataclass(frozen=True)
class Explorable:
    """A chart with bound controls over precomputed optlib results; shows itself in a
    notebook (see the module docstring)."""

    name: str
    chart: alt.TopLevelMixin
    title: str
    #: Large tables by name, which the chart refers to as ``alt.NamedData(name=...)``. They are
    #: added to the spec's top-level ``datasets`` only at the end: Altair copies and checks
    #: every value it holds, which takes seconds for tables of this size.
    datasets: dict[str, list] = field(default_factory=dict)

    def spec(self, validate: bool = False) -> dict:
        """The Vega-Lite spec, with every table in it (validated against Vega-Lite's schema
        when ``validate``: the tests do, the notebooks need not)."""
        spec = self.chart.to_dict(validate=validate)
        spec.setdefault("datasets", {}).update(self.datasets)
        return spec

    def spec_json(self) -> str:
        """The spec as compact, key-sorted JSON: the same text for the same numbers."""
        return json.dumps(self.spec(), sort_keys=True, separators=(",", ":"))

    def spec_hash(self) -> str:
        return hashlib.sha256(self.spec_json().encode()).hexdigest()[:16]

    def html(self) -> str:
        local = [file for _, file in LIBRARIES.values()]
        cdn = [
            f"https://cdn.jsdelivr.net/npm/{pkg}@{version}/build/{file}"
            for pkg, (version, file) in LIBRARIES.items()
        ]
        script = _SCRIPT % {
            "name": json.dumps(self.name),
            "spec": self.spec_json(),
            "local": json.dumps(local),
            "cdn": json.dumps(cdn),
        }
        return (
            f'<div class="optlib-explorable" id="optlib-explorable-{self.name}" role="figure" '
            f'aria-label="{html.escape(self.title)}"></div>\n<script>\n{script}\n</script>'
        )

    def png_path(self) -> Path:
        return FIGURES / f"explorable_{self.name}.png"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle: dict = {"text/html": self.html()}
        png = self.png_path()
        if png.exists():
            bundle["image/png"] = png.read_bytes()
        bundle["text/plain"] = f"<explorable {self.name!r}: {self.title}>"
        return bundle
