"""No retired symbol comes back (issue 14 item 7).

intro.md's notation table gives each symbol one meaning. These tests scan every text a
reader meets: the chapters and appendix notebooks (markdown, code, and text outputs), the
appendix pages, intro.md, and optlib's docstrings, comments and checker messages. They
flag the symbols the book retired:

* mu (μ, ``\\mu``) for the momentum coefficient: it is rho. The book has no other mu, so
  every mu is flagged, except in microseconds (μs);
* v for momentum (a CS231n "velocity v", a recursion v = ρv + g, ``momentum * v`` in
  code, a "momentum buffer v"): v is Adam's second moment only; momentum keeps b_t
  (torch's buffer) or u_t (CS231n's velocity);
* a bare lambda for weight decay ("weight decay λ", ``weight_decay=λ``, an L2 penalty
  λ/2 ‖θ‖², "λ = 0.1" next to "weight decay"): weight decay is λ_wd
  (``\\lambda_{\\mathrm{wd}}``); bare λ and λ_i are curvatures;
* the source material named by file number ("seed 002", ``seed002``): sources are named
  by title and cited from references.bib.

Each pattern is checked on sample strings first (it must catch the retired use and pass
the legitimate one), so a pattern that silently matches nothing fails here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A lambda with no subscript: not λ_wd, λ_i, \lambda_{\mathrm{wd}}, λᵢ, λ₁ nor a longer name.
_SUBSCRIPTS = "\u2080-\u209c\u1d62-\u1d6a"
BARE_LAMBDA = rf"(?:λ|\\lambda)(?![A-Za-z0-9_{_SUBSCRIPTS}]|\s*_)"
# Something that stands for momentum's coefficient (rho is right, mu retired; both flag v).
MOMENTUM_COEFF = r"(?:\\rho(?![A-Za-z])|ρ|\\mu(?![A-Za-z])|μ|\b(?:momentum|rho|mu)\b)"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    # When set, the rule fires only if this also matches on the same line as the hit.
    context: re.Pattern | None = None

    def find(self, text: str) -> list[tuple[int, str]]:
        """(line number from 1, excerpt) for each offence in ``text``."""
        lines = text.split("\n")
        hits = []
        for match in self.pattern.finditer(text):
            line_no = text.count("\n", 0, match.start())
            line = lines[line_no]
            if self.context is not None and not self.context.search(line):
                continue
            hits.append((line_no + 1, line.strip()[:140]))
        return hits


RULES = [
    Rule(
        "mu for momentum (use rho)",
        re.compile(
            r"μ(?!s(?![A-Za-z]))"
            r"|\\mu(?![A-Za-z])(?!\$?\s*(?:\\,\s*)?(?:\\mathrm\{s\}|\\text\{s\}|s(?![A-Za-z])))"
            r"|\bmomentum\s*=\s*mu\b|\bmu\s*=\s*0?\.9"
        ),
    ),
    Rule(
        "v for momentum (v is Adam's second moment; momentum keeps b_t or u_t)",
        re.compile(
            # a "velocity v" (CS231n's velocity is u_t)
            r"(?i:velocit(?:y|ies))\s*(?:vector\s*)?[$`(]*\s*(?:\\\(\s*)?v(?![A-Za-z])"
            # a "momentum buffer v" (torch's buffer is b_t)
            r"|(?i:\bbuffer)\s*[$`(]+\s*v(?![A-Za-z])"
            # a momentum recursion in v: v = ρv + g, v_t = \rho v_{t-1} - \alpha g_t
            rf"|\bv(?:_\{{?t\}}?)?\s*(?:=|\\leftarrow|←)\s*{MOMENTUM_COEFF}[\s\\,*·]*v(?![A-Za-z])"
            # code: momentum * v, self.momentum * self.v[key], rho * v
            rf"|{MOMENTUM_COEFF}\s*\*\s*(?:self\.)?v(?![A-Za-z_])"
        ),
    ),
    Rule(
        "bare lambda for weight decay (use \\lambda_{\\mathrm{wd}}, λ_wd)",
        re.compile(
            # weight decay λ, weight_decay=λ, decoupled decay $\lambda$, decay $\lambda$
            r"(?i:weight[ _-]?decay|decoupled\s+decay|\bdecay|\bL2)"
            r"(?:\s+(?:penalty|coefficient|strength|term|factor|parameter|of|is))*"
            rf"\s*[=:]?\s*[$`]*\s*{BARE_LAMBDA}"
            # code: weight_decay=lam
            r"|\bweight_decay\s*=\s*(?:lam|lmbda|lambda_)(?![A-Za-z0-9_])"
        ),
    ),
    Rule(
        "bare lambda in an L2 penalty (use \\lambda_{\\mathrm{wd}})",
        # λ/2 ‖θ‖², \frac{\lambda}{2}\sum_\ell\lVert W\rVert^2, λ‖θ‖²
        re.compile(
            rf"{BARE_LAMBDA}\s*(?:/\s*2|\}}\s*\{{\s*2\s*\}})?\s*"
            r"(?:(?:\\sum|∑)(?:_\{[^}]*\}|_\\?[A-Za-z]+)?(?:\^\{?[^}\s]*\}?)?\s*)?"
            r"(?:\\left\s*[(\[]\s*|\(\s*)?(?:\\lVert|\\\||‖|\|\|)"
        ),
        context=re.compile(r"(?i)weight|penal|\bL2\b|regulari|decay"),
    ),
    Rule(
        "bare lambda set next to weight decay (use λ_wd)",
        re.compile(rf"{BARE_LAMBDA}\s*=\s*[-+]?\d"),
        context=re.compile(r"(?i)weight[ _-]?decay|decoupled|\bL2\b"),
    ),
    Rule(
        "a source named by file number (cite it by title)",
        re.compile(r"(?i)(?<![A-Za-z])seeds?[-_ ]?0\d\d(?!\d)"),
    ),
]


# ---------------------------------------------------------------------------------------
# The patterns themselves: each catches the retired use and passes the legitimate one.

FLAGGED = [
    ("mu for momentum", r"with momentum $\mu = 0.9$"),
    ("mu for momentum", "momentum coefficient μ"),
    ("mu for momentum", "optlib.Momentum(lr=0.1, momentum=mu)"),
    ("mu for momentum", "mu = 0.9"),
    ("v for momentum", "the CS231n velocity $v_t$"),
    ("v for momentum", "a velocity v that adds up gradients"),
    ("v for momentum", r"$v_t = \rho v_{t-1} + g_t$"),
    ("v for momentum", r"$v_{t} \leftarrow \mu\, v - \alpha g$"),
    ("v for momentum", "v = ρv + ∇f"),
    ("v for momentum", "self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]"),
    ("v for momentum", "torch's momentum buffer $v_t$"),
    ("bare lambda for weight decay", "weight decay λ = 0.01"),
    ("bare lambda for weight decay", "AdamW(lr=1e-3, weight_decay=λ)"),
    ("bare lambda for weight decay", r"the decoupled decay $\lambda$ shrinks"),
    ("bare lambda for weight decay", r"a decay $\lambda\theta$ per step"),
    ("bare lambda for weight decay", "Adam(weight_decay=lam)"),
    ("bare lambda for weight decay", "the L2 coefficient λ"),
    (
        "bare lambda in an L2 penalty",
        r"the weight of :math:`\frac{\lambda}{2}\sum_\ell\lVert W_\ell\rVert^2`",
    ),
    ("bare lambda in an L2 penalty", r"an L2 penalty $\tfrac{\lambda}{2}\|\theta\|^2$"),
    ("bare lambda in an L2 penalty", "the penalty λ‖θ‖²"),
    ("bare lambda set next to", "AdamW with weight decay, λ = 1:"),
    ("a source named by file number", "the bowl of seed 002"),
    ("a source named by file number", "optlib.problems.seed002"),
    ("a source named by file number", 'Problem("seed-002", ...)'),
    ("a source named by file number", "the slides (seed-001) and seeds 000"),
]

PASSED = [
    r"the momentum coefficient $\rho = 0.9$",
    "a loop of 12 μs per step",
    r"12 $\mu$s per step",
    r"$v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2$",
    "v = beta2 * v + (1 - beta2) * g * g",
    "Adam's second moment $v_t$ and the bias-corrected $\\hat v_t$",
    "the CS231n velocity $u_t = \\rho u_{t-1} - \\alpha g_t$",
    "torch's momentum buffer $b_t = \\rho b_{t-1} + g_t$",
    "the velocity form keeps the rate",
    "self.momentum * self.u[key]",
    r"weight decay $\lambda_{\mathrm{wd}} = 0.01$",
    "weight decay λ_wd = 0.01",
    "AdamW(lr=α, weight_decay=λ_wd)",
    "AdamW(lr=α, weight_decay=λ_paper/α)",
    r"the decay strength $\lambda_{wd}$",
    r"$\tfrac{\lambda_{\mathrm{wd}}}{2}\|\theta\|^2$ on the loss",
    r"the curvature $\lambda$ and the eigenvalues $\lambda_i$ of $H$",
    r"shrinks by $|1 - \alpha\lambda|$ per step",
    "Only a decaying step reaches the minimum (σ = 1, λ = 1)",
    "only the 1/t decay (λ = 1, σ = 1) reaches the minimum",
    r"$\nabla f = \lambda x$ and $\|\nabla f\|^2$",
    r"each weight shrinks by $\alpha\lambda_{\mathrm{wd}}\theta_i/\sqrt{\hat v_{t,i}}$",
    "rng = np.random.default_rng(seed=0); seeds 0–4",
    "lr = 0.001 and seed 1",
]


def rules_named(prefix: str) -> list[Rule]:
    rules = [rule for rule in RULES if rule.name.startswith(prefix)]
    assert rules, f"no rule named {prefix!r}"
    return rules


@pytest.mark.parametrize("rule_prefix, text", FLAGGED, ids=[t for _, t in FLAGGED])
def test_the_rule_flags_the_retired_use(rule_prefix: str, text: str) -> None:
    assert any(rule.find(text) for rule in rules_named(rule_prefix)), text


@pytest.mark.parametrize("text", PASSED)
def test_no_rule_flags_the_legitimate_use(text: str) -> None:
    assert [rule.name for rule in RULES if rule.find(text)] == []


# ---------------------------------------------------------------------------------------
# The book.


def scanned_files() -> list[Path]:
    files = sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("appendix/*.ipynb"))
    files += sorted(ROOT.glob("appendix/*.md")) + [ROOT / "intro.md"]
    files += sorted((ROOT / "optlib").rglob("*.py"))
    return files


def _join(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) pieces a reader sees: a page, or each notebook cell and its outputs."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return [("", raw)]
    pieces = []
    for i, cell in enumerate(json.loads(raw)["cells"]):
        pieces.append((f"cell {i} ({cell['cell_type']}) ", _join(cell["source"])))
        for output in cell.get("outputs", []):
            if "text" in output:
                pieces.append((f"cell {i} (output) ", _join(output["text"])))
            for mime in ("text/plain", "text/markdown"):
                if mime in output.get("data", {}):
                    pieces.append((f"cell {i} (output) ", _join(output["data"][mime])))
    return pieces


def violations(path: Path) -> list[str]:
    found = []
    for where, text in texts(path):
        for rule in RULES:
            for line, excerpt in rule.find(text):
                found.append(f"{where}line {line}: {rule.name}: {excerpt}")
    return found


def test_the_scan_covers_the_book() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in scanned_files()}
    assert "intro.md" in names and "appendix/glossary.md" in names
    assert sum(n.startswith("chapters/") for n in names) >= 10
    assert "optlib/optimizers/momentum.py" in names and "optlib/check/ch03.py" in names


@pytest.mark.parametrize(
    "path", scanned_files(), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_no_retired_symbol(path: Path) -> None:
    found = violations(path)
    assert not found, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(found)
