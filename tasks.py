#!/usr/bin/env python3
"""The course's commands, with nothing but Python 3 needed to start.

    python3 tasks.py site      build the site into _build/html (makes .venv first)
    python3 tasks.py test      run every test: lint, unit tests, nbval, -W build, browser
    python3 tasks.py execute   re-execute every notebook in place (after changing optlib)
    python3 tasks.py serve     serve _build/html on http://127.0.0.1:8000
    python3 tasks.py set-repo URL   point launch buttons and Colab bootstraps at URL
    python3 tasks.py clean     remove _build

Each step runs in the virtual environment .venv, created from requirements.txt and
re-created whenever requirements.txt or pyproject.toml change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".requirements.sha256"
HTML = ROOT / "_build" / "html"

# The book's matrices are small: one BLAS thread is faster than several fighting over two
# cores, and makes the notebooks' timings steadier. Kernels started below inherit this.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def sh(*cmd: str | Path, check: bool = True, env: dict | None = None) -> int:
    print("$", " ".join(map(str, cmd)), flush=True)
    rc = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and rc != 0:
        sys.exit(f"command failed with exit code {rc}: {' '.join(map(str, cmd))}")
    return rc


BROWSER_PACKAGES = {  # Debian package: a file it installs
    "chromium": "/usr/bin/chromium",
    "fonts-nanum": "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
}


def ensure_venv() -> None:
    """Create .venv and install requirements.txt, unless it is already up to date."""
    digest = hashlib.sha256(
        (ROOT / "requirements.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == digest:
        return
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-r", "requirements.txt")
    STAMP.write_text(digest)


def ensure_browser() -> None:
    """The browser test drives Debian's chromium; install it with apt where it is missing,
    with a Korean font so the glossary's 한국어 column shows in the screenshots."""
    missing = [package for package, path in BROWSER_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        sys.exit(f"the browser test needs Debian's {' and '.join(missing)}: install with apt")
    sh("apt-get", "update", "-q")
    sh("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing)


def build(check: bool = True) -> int:
    return sh(BIN / "jupyter-book", "build", ".", "--all", "-W", "-n", "--keep-going", check=check)


def cmd_site() -> None:
    ensure_venv()
    build()
    print(
        f"\nThe site is built. Open {HTML / 'index.html'}\n"
        f"(or run `python3 tasks.py serve` and browse http://127.0.0.1:8000)"
    )


def cmd_test() -> None:
    ensure_venv()
    ensure_browser()
    failed = []
    if sh(BIN / "ruff", "check", ".", check=False):
        failed.append("ruff check")
    if build(check=False):
        failed.append("jupyter-book build -W")
    if sh(
        PY,
        "-m",
        "pytest",
        "--nbval",
        "-q",
        check=False,
    ):
        failed.append("pytest (unit tests, nbval, browser)")
    if failed:
        sys.exit("FAILED: " + ", ".join(failed))
    print("all test steps passed")


def cmd_execute() -> None:
    ensure_venv()
    sh(PY, "scripts/execute_notebooks.py")


def cmd_serve() -> None:
    if not HTML.exists():
        sys.exit("no site yet: run `python3 tasks.py site` first")
    sh(sys.executable, "-m", "http.server", "8000", "--bind", "127.0.0.1", "--directory", HTML)


def cmd_set_repo(url: str) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from repo_url import set_repository

    set_repository(url)


def cmd_clean() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)


COMMANDS = {
    "site": cmd_site,
    "test": cmd_test,
    "execute": cmd_execute,
    "serve": cmd_serve,
    "set-repo": cmd_set_repo,
    "clean": cmd_clean,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
