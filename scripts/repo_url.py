"""The repository URL: read from _config.yml, written into every notebook's bootstrap cell.

Standard library only, so `python3 tasks.py set-repo URL` works before .venv exists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"
_URL_LINE = re.compile(r"^(repository:\s*\n\s+url:\s*)(\S+)", re.MULTILINE)

BOOTSTRAP_TEMPLATE = """\
# Colab/Binder bootstrap (hidden on the site): install this course's optlib if missing.
# It installs from the course repository, never by bare name (PyPI's "optlib" is another project).
try:
    import optlib
except ImportError:
    import subprocess
    import sys

    source = "git+{url}@{branch}"
    print(f"installing optlib from {{source}} (about a minute) ...", flush=True)
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", source], capture_output=True, text=True
    )
    if pip.returncode:
        raise RuntimeError(f"pip could not install {{source}}:\\n{{pip.stderr.strip()}}") from None
    import optlib"""


def config_url() -> str:
    match = _URL_LINE.search(CONFIG.read_text(encoding="utf-8"))
    if not match:
        raise SystemExit("_config.yml has no repository: url: line")
    return match.group(2)


def site_url(url: str | None = None) -> str:
    """The published site of the repository: GitHub Pages for a github.com repository."""
    url = (url or config_url()).rstrip("/")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?", url)
    if not match:
        raise SystemExit(
            f"cannot tell the published site of {url!r}: expected github.com/OWNER/REPO"
        )
    owner, repo = match.groups()
    return f"https://{owner.lower()}.github.io/{repo}/"


def bootstrap_source(url: str | None = None, branch: str = "main") -> str:
    """The exact source of the first code cell of every notebook."""
    return BOOTSTRAP_TEMPLATE.format(url=url or config_url(), branch=branch)


def notebooks() -> list[Path]:
    return sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("appendix/*.ipynb"))


def set_repository(url: str) -> None:
    """Point _config.yml and every notebook's bootstrap cell at ``url``."""
    if not re.fullmatch(r"https://\S+", url):
        raise SystemExit(f"expected an https:// repository URL; got {url!r}")
    text = CONFIG.read_text(encoding="utf-8")
    CONFIG.write_text(_URL_LINE.sub(lambda m: m.group(1) + url, text), encoding="utf-8")
    for path in notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        first = next(c for c in nb["cells"] if c["cell_type"] == "code")
        first["source"] = bootstrap_source(url)
        text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)  # as nbformat writes
        path.write_text(text + "\n", encoding="utf-8")
        print(f"updated {path.relative_to(ROOT)}")
