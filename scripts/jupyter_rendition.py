"""Write the Jupyter rendition of every notebook: the same cells, with no MyST markup left.

The site renders the book's MyST (glossary roles, citations, exercises, admonitions,
links between pages). Colab, Binder and JupyterLab render a notebook's Markdown as plain
CommonMark, where that markup would show as raw text. Each rendition, written to
``jupyter/<same path>``, turns

* ``{term}`text``` into a link to the entry on the published glossary page;
* ``{cite:p}`key``` into "(Kingma & Ba, 2015)", linked to the published references page
  (``{cite:t}`` into "Kingma & Ba (2015)");
* a link to another page of the book into a link to that page on the published site;
* an exercise into a numbered heading, and its solution into a collapsed ``<details>`` block
  (a solution that holds code cells becomes a heading that JupyterLab shows collapsed);
* an admonition into a blockquote with a bold title; ``(label)=`` targets are dropped.

Code cells and their outputs are copied unchanged. The site's address comes from the
repository URL in ``_config.yml`` (scripts/repo_url.py), the one setting behind the launch
buttons and the bootstrap cells.

    python scripts/jupyter_rendition.py          # (re)write every rendition
    python scripts/jupyter_rendition.py --check  # exit 1, naming them, if any is out of date
"""

from __future__ import annotations

import copy
import json
import re
import sys
import unicodedata
from pathlib import Path

from pybtex.database import parse_file
from repo_url import ROOT, notebooks, site_url

OUT = ROOT / "jupyter"
GLOSSARY = ROOT / "appendix" / "glossary.md"
BIB = ROOT / "references.bib"

ROLE = re.compile(r"\{(term|cite:p|cite:t|ref|doc|numref)\}`([^`]*)`")
LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)\s]+)\)")
FENCE_OPEN = re.compile(r"^(`{3,}|:{3,})\{([\w-]+)\}[ \t]*(.*)$")
OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
TARGET = re.compile(r"^\([\w-]+\)=[ \t]*$", re.MULTILINE)
EQ_LABEL = re.compile(r"^(\$\$)[ \t]*\([\w-]+\)[ \t]*$", re.MULTILINE)


def _make_id(text: str) -> str:
    """Sphinx's id for a glossary entry: non-ASCII characters dropped, letters and digits
    kept (and their case), every run of other characters one '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def glossary_terms() -> dict[str, str]:
    """Each glossary entry, by its lower-cased name: the anchor Sphinx gives it."""
    text = GLOSSARY.read_text(encoding="utf-8")
    block = text[text.index("```{glossary}") :]
    entries = re.findall(r"^(\S[^\n]*)\n  \S", block, flags=re.MULTILINE)
    return {entry.strip().lower(): "term-" + _make_id(entry.strip()) for entry in entries}


def _authors(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    last = [" ".join(p.last_names) or " ".join(p.first_names) for p in people]
    last = [re.sub(r"[{}]", "", name) for name in last]
    if not last:
        return re.sub(r"[{}]", "", entry.fields.get("organization", entry.fields.get("title")))
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} & {last[1]}"
    return f"{last[0]} et al."


def citations() -> dict[str, tuple[str, str]]:
    """Each bibliography key: (authors, year) as the text shows them."""
    bib = parse_file(str(BIB))
    return {key: (_authors(e), e.fields.get("year", "n.d.")) for key, e in bib.entries.items()}


class Renderer:
    """Turns one notebook's MyST markdown cells into CommonMark."""

    def __init__(self, chapter: str, page: str, site: str, terms: dict, cites: dict):
        self.chapter = chapter  # "5" in chapters/05_rmsprop; "" in an appendix
        self.page = page  # the notebook's path relative to the book root, e.g. chapters/05_x
        self.site = site.rstrip("/") + "/"
        self.terms, self.cites = terms, cites
        self.exercises: dict[str, str] = {}  # label -> "Exercise 5.2"

    # -- inline markup --------------------------------------------------------------------
    def page_url(self, target: str) -> str:
        """The published URL of a link written relative to this page."""
        path, _, anchor = target.partition("#")
        here = Path(self.page).parent
        resolved = Path(*(p for p in (here / path).parts)).as_posix()
        parts: list[str] = []
        for part in resolved.split("/"):
            if part == "..":
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        html = re.sub(r"\.(ipynb|md)$", ".html", "/".join(parts))
        return self.site + html + (f"#{anchor}" if anchor else "")

    def role(self, match: re.Match) -> str:
        kind, body = match.groups()
        if kind == "term":
            shown, _, entry = body.partition(" <")
            entry = entry.rstrip(">") if entry else shown
            anchor = self.terms.get(entry.strip().lower())
            if anchor is None:
                raise ValueError(f"{self.page}: {{term}}`{body}` is not in the glossary")
            return f"[{shown}]({self.site}appendix/glossary.html#{anchor})"
        if kind.startswith("cite"):
            keys = [k.strip() for k in body.split(",")]
            missing = [k for k in keys if k not in self.cites]
            if missing:
                raise ValueError(f"{self.page}: citation keys {missing} are not in references.bib")
            refs = self.site + "appendix/references.html"
            if kind == "cite:t":
                return "; ".join(f"[{self.cites[k][0]} ({self.cites[k][1]})]({refs})" for k in keys)
            inner = "; ".join(f"{self.cites[k][0]}, {self.cites[k][1]}" for k in keys)
            return f"([{inner}]({refs}))"
        if kind == "doc":
            shown, _, target = body.partition(" <")
            target = target.rstrip(">") if target else shown
            return f"[{shown}]({self.page_url(target + '.html')})"
        raise ValueError(f"{self.page}: the {{{kind}}} role has no Jupyter rendition yet")

    def inline(self, text: str) -> str:
        text = ROLE.sub(self.role, text)
        return LINK.sub(lambda m: "](" + self.page_url(m.group(1)) + ")", text)

    # -- blocks ---------------------------------------------------------------------------
    def directive(self, name: str, argument: str, options: dict, body: str) -> str:
        """The CommonMark for one fenced directive (its body already rendered)."""
        body = body.strip("\n")
        if name in ("exercise", "exercise-start"):
            number = f"{self.chapter}.{len(self.exercises) + 1}" if self.chapter else ""
            number = number or str(len(self.exercises) + 1)
            title = f"Exercise {number}"
            self.exercises[options.get("label", title)] = title
            heading = f"### {title}" + (f": {self.inline(argument)}" if argument else "")
            return heading + ("\n\n" + body if body else "")
        if name == "solution":
            title = self.exercises.get(argument.strip(), "the exercise")
            return (
                f"<details>\n<summary><b>Solution to {title}</b> (click to show)</summary>\n\n"
                f"{body}\n\n</details>"
            )
        if name == "solution-start":
            title = self.exercises.get(argument.strip(), "the exercise")
            return f"#### Solution to {title}" + ("\n\n" + body if body else "")
        if name in ("exercise-end", "solution-end"):
            return ""
        # Admonitions: {admonition} Title, or {note}/{warning}/{tip}/… with the name as title.
        title = self.inline(argument) if name == "admonition" else name.capitalize()
        quoted = "\n".join(("> " + line) if line else ">" for line in body.splitlines())
        return f"> **{title}**\n>\n{quoted}" if body else f"> **{title}**"

    def markdown(self, text: str) -> str:
        text = TARGET.sub("", text)
        text = EQ_LABEL.sub(r"\1", text)
        lines = text.split("\n")
        out: list[str] = []
        i = 0
        while i < len(lines):
            match = FENCE_OPEN.match(lines[i])
            if not match:
                out.append(lines[i])
                i += 1
                continue
            fence, name, argument = match.groups()
            i += 1
            options: dict[str, str] = {}
            while i < len(lines) and OPTION.match(lines[i]):
                key, value = OPTION.match(lines[i]).groups()
                options[key] = value
                i += 1
            body: list[str] = []
            depth = 0
            while i < len(lines):
                line = lines[i]
                if FENCE_OPEN.match(line) and line.startswith(fence[0] * len(fence)):
                    depth += 1
                elif line.strip() == fence and depth == 0:
                    break
                elif line.strip() == fence:
                    depth -= 1
                body.append(line)
                i += 1
            i += 1  # the closing fence
            rendered_body = self.markdown("\n".join(body))
            out.append(self.directive(name, argument.strip(), options, rendered_body))
        return self.inline("\n".join(out)).strip("\n")


def render(path: Path, site: str, terms: dict, cites: dict) -> dict:
    """The rendition of the notebook at ``path``, as a notebook dict."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    page = path.relative_to(ROOT).with_suffix("").as_posix()
    number = re.match(r"chapters/(\d+)_", page)
    renderer = Renderer(str(int(number.group(1))) if number else "", page, site, terms, cites)
    out = copy.deepcopy(nb)
    cells = []
    for cell in out["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = renderer.markdown("".join(cell["source"]))
            if not cell["source"].strip():
                continue  # an exercise's or a solution's closing fence, and nothing else
            if cell["source"].startswith("#### Solution to"):
                # JupyterLab folds the cells under this heading until the reader opens them.
                cell.setdefault("metadata", {})["jp-MarkdownHeadingCollapsed"] = True
        cells.append(cell)
    out["cells"] = cells
    out.setdefault("metadata", {})["rendition"] = {
        "source": path.relative_to(ROOT).as_posix(),
        "site": site,
        "note": "generated by scripts/jupyter_rendition.py; edit the source, not this file",
    }
    return out


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def renditions() -> dict[Path, str]:
    """Every rendition's path and its up-to-date text."""
    site, terms, cites = site_url(), glossary_terms(), citations()
    return {
        OUT / path.relative_to(ROOT): dumps(render(path, site, terms, cites))
        for path in notebooks()
    }


def main() -> None:
    wanted = renditions()
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text() != text]
    extra = [p for p in OUT.rglob("*.ipynb") if p not in wanted] if OUT.exists() else []
    if "--check" in sys.argv:
        if stale or extra:
            names = ", ".join(str(p.relative_to(ROOT)) for p in stale + extra)
            sys.exit(f"out of date (run python scripts/jupyter_rendition.py): {names}")
        return
    for path in extra:
        path.unlink()
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(wanted)} Jupyter renditions under {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
