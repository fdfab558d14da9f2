#!/usr/bin/env python3
"""The course's commands, with nothing but Python 3.11+ needed to start.

    python3 tasks.py site                build the site into _build/html (makes .venv first)
    python3 tasks.py test                run every test (see README: lint, -W build, unit
                                         tests, nbval under several CPU profiles, browser)
    python3 tasks.py execute             re-execute every notebook in place (after changing optlib)
    python3 tasks.py serve [--port N]    serve _build/html on http://127.0.0.1:N (default 8000)
    python3 tasks.py tune [ARGS]         a hyperparameter study on Optuna (= python3 -m optlib.tune)
    python3 tasks.py set-repo URL        point launch buttons and Colab bootstraps at URL
    python3 tasks.py clean               remove _build

Each step runs in the virtual environment .venv, created from requirements.txt and
re-created whenever requirements.txt, pyproject.toml or the Python running this file change.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

REQUIRED_PYTHON = (3, 11)
if sys.version_info < REQUIRED_PYTHON:
    sys.exit(
        f"tasks.py needs Python {'.'.join(map(str, REQUIRED_PYTHON))} or newer (the pinned numpy "
        f"needs it); this is Python {sys.version.split()[0]}"
    )

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".tasks-stamp.json"
HTML = ROOT / "_build" / "html"
LOGS = ROOT / "_build" / "test-logs"

# The book's matrices are small: one BLAS thread is faster than several fighting over two
# cores, and makes the notebooks' timings steadier. Kernels started below inherit this.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# ipykernel warns on every kernel start that it talks to its client over TCP on localhost
# without encryption; the test run starts one kernel per notebook. Said once, here, instead.
KERNEL_TCP_WARNING = "Kernel is running over TCP without encryption"


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


def _stamp() -> dict:
    """What .venv was made from: the requirements and the interpreter that made it."""
    digest = hashlib.sha256(
        (ROOT / "requirements.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    return {
        "requirements": digest,
        "python": sys.version.split()[0],
        "executable": os.path.realpath(sys.executable),
    }


def stale_reason(have: dict | None, want: dict) -> str | None:
    """Why a .venv stamped ``have`` must be re-made for ``want``: "rebuild" when another
    interpreter made it, "reinstall" when only the requirements changed, None when current."""
    if have is None:
        return "rebuild"
    if any(have.get(key) != want[key] for key in ("python", "executable")):
        return "rebuild"
    if have.get("requirements") != want["requirements"]:
        return "reinstall"
    return None


def ensure_venv() -> None:
    """Create .venv and install requirements.txt, unless it is already up to date.

    A .venv made by another interpreter (another Python version, or a Python that has since
    been removed) is deleted and made afresh, never patched.
    """
    want = _stamp()
    have = json.loads(STAMP.read_text()) if STAMP.exists() else None
    reason = stale_reason(have, want) if PY.exists() else "rebuild"
    if reason is None:
        return
    if reason == "rebuild" and VENV.exists():
        made_by = f"Python {have['python']} ({have['executable']})" if have else "an unknown Python"
        print(f"{VENV} was made by {made_by}: re-creating it with Python {want['python']}")
        shutil.rmtree(VENV)
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    pip_install(["--upgrade", "pip"], "pip")
    pip_install(["-r", "requirements.txt"], "the pinned requirements")
    STAMP.write_text(json.dumps(want))


def pip_install(args: list[str], what: str) -> None:
    """pip install, showing one line per package as it goes (a minute of silence looks hung)."""
    print(f"installing {what} into .venv", flush=True)
    start = time.monotonic()
    proc = subprocess.Popen(
        [str(PY), "-m", "pip", "install", "--progress-bar", "off", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    count = 0
    for line in proc.stdout:
        lines.append(line)
        match = re.match(r"(Collecting|Processing|Obtaining) (\S+)", line)
        if match:
            count += 1
            print(f"  [{time.monotonic() - start:5.0f} s] {count:3d} {match.group(2)}", flush=True)
    if proc.wait():
        print("".join(lines[-40:]), end="")
        sys.exit(f"pip install {' '.join(args)} failed (exit code {proc.returncode})")
    print(f"  done in {time.monotonic() - start:.0f} s", flush=True)


def ensure_browser() -> None:
    """The browser test drives Debian's chromium; install it with apt where it is missing,
    with a Korean font so the glossary's 한국어 column shows in the screenshots."""
    missing = [package for package, path in BROWSER_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        sys.exit(
            f"the browser test needs Debian's {' and '.join(missing)}: install them with "
            f"`sudo apt-get install {' '.join(missing)}` (tasks.py does it itself when run as root)"
        )
    sh("apt-get", "update", "-q")
    sh("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing)


BUILD = ["jupyter-book", "build", ".", "--all", "-W", "-n", "--keep-going"]


def run_quietly(name: str, cmd: list[str | Path]) -> None:
    """Run ``cmd``, printing its output without ipykernel's per-kernel TCP warning."""
    print("$", " ".join(map(str, cmd)), flush=True)
    proc = subprocess.Popen(
        [str(c) for c in cmd], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for line in proc.stdout:
        if KERNEL_TCP_WARNING not in line:
            print(line, end="", flush=True)
    if proc.wait():
        sys.exit(f"{name} failed (exit code {proc.returncode})")


def build() -> None:
    """Build the site."""
    run_quietly("jupyter-book build", [BIN / BUILD[0], *BUILD[1:]])


class Job:
    """A test step run in the background, its output kept in a log under _build/test-logs."""

    def __init__(self, name: str, cmd: list[str | Path], env: dict[str, str] | None = None):
        LOGS.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log = LOGS / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".log")
        self.start = time.monotonic()
        self._out = self.log.open("w")
        self.proc = subprocess.Popen(
            [str(c) for c in cmd],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        self.returncode: int | None = None
        print(f"started: {name}", flush=True)

    def poll(self) -> bool:
        """True once the job has finished (and reported how it went)."""
        if self.returncode is not None:
            return True
        if self.proc.poll() is None:
            return False
        self.returncode = self.proc.returncode
        self._out.close()
        seconds = time.monotonic() - self.start
        verdict = "passed" if self.returncode == 0 else f"FAILED (exit code {self.returncode})"
        print(f"{verdict}: {self.name}, {seconds:.0f} s (log: {os.path.relpath(self.log, ROOT)})")
        if self.returncode:
            print(self.tail(60), flush=True)
        return True

    def tail(self, n: int) -> str:
        lines = [
            ln
            for ln in self.log.read_text(errors="replace").splitlines()
            if KERNEL_TCP_WARNING not in ln
        ]
        return "\n".join("    " + ln for ln in lines[-n:])

    def last_line(self) -> str:
        lines = [ln for ln in self.log.read_text(errors="replace").splitlines() if ln.strip()]
        return lines[-1][-70:] if lines else ""

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()


def run_lanes(lanes: list[list[tuple[str, list, dict | None]]], every: float = 30.0) -> list[str]:
    """Run each lane's steps one after another, the lanes side by side (one per core),
    printing every ``every`` seconds which steps are running and where they are; return the
    names of the steps that failed."""
    pending = [list(lane) for lane in lanes]
    running: list[Job | None] = [None] * len(lanes)
    failed: list[str] = []
    last = time.monotonic()
    try:
        while any(pending) or any(running):
            for k, job in enumerate(running):
                if job is not None and job.poll():
                    failed += [job.name] if job.returncode else []
                    running[k] = job = None
                if job is None and pending[k]:
                    name, cmd, env = pending[k].pop(0)
                    running[k] = Job(name, cmd, env)
            time.sleep(1)
            if time.monotonic() - last >= every:
                last = time.monotonic()
                for job in filter(None, running):
                    elapsed = time.monotonic() - job.start
                    print(f"  … {job.name} ({elapsed:.0f} s): {job.last_line()}", flush=True)
    except KeyboardInterrupt:
        for job in filter(None, running):
            job.kill()
        raise
    return failed


def nbval_profiles() -> list[dict]:
    """The CPU profiles for this machine (scripts/cpu_profiles.py), each checked to take
    effect: a profile that changed nothing would pass for the wrong reason."""
    out = subprocess.run(
        [str(PY), "scripts/cpu_profiles.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(out.stderr or out.stdout)
    return json.loads(out.stdout)


def cmd_test() -> None:
    ensure_venv()
    ensure_browser()
    start = time.monotonic()
    print(
        f"(ipykernel warns once per kernel: '{KERNEL_TCP_WARNING}'. The kernels of this "
        "run listen on 127.0.0.1 only; the warning is left out of the logs shown here.)"
    )
    failed = []
    if sh(BIN / "ruff", "check", ".", check=False):
        failed.append("ruff check")
    native, *others = nbval_profiles()
    nbval = [PY, "-m", "pytest", "--nbval", "-q"]
    # The last profile runs the Jupyter renditions (jupyter/, the same code cells and outputs
    # as the sources, tests/test_renditions.py) in an empty folder, through their bootstrap
    # cell, as Colab does: so they run standalone, and the code runs under that profile too.
    standalone = Path(tempfile.mkdtemp(prefix="optlib-standalone-"))
    shutil.copytree(ROOT / "jupyter", standalone / "jupyter")
    standalone_nbval = [
        *nbval,
        "-p",
        "no:cacheprovider",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        ROOT / "nbval_sanitize.cfg",
        "--rootdir",
        standalone,
        standalone / "jupyter",
    ]
    # Two cores, two lanes. The main pytest run needs the built site (its browser test);
    # the other lane re-executes the notebooks under the other CPU profiles.
    profile_steps = [
        (f"nbval, {prof['name']}", [*nbval, "chapters", "appendix"], prof["env"])
        for prof in others[:-1]
    ]
    profile_steps.append(
        (
            f"nbval, the Jupyter renditions standalone, {others[-1]['name']}",
            standalone_nbval,
            others[-1]["env"],
        )
    )
    failed += run_lanes(
        [
            [
                ("jupyter-book build -W", [BIN / BUILD[0], *BUILD[1:]], None),
                (f"pytest: unit tests, browser, nbval, {native['name']}", nbval, native["env"]),
            ],
            profile_steps,
        ]
    )
    shutil.rmtree(standalone, ignore_errors=True)
    minutes = (time.monotonic() - start) / 60
    if failed:
        sys.exit(f"FAILED after {minutes:.1f} min: " + "; ".join(failed))
    print(
        f"all test steps passed in {minutes:.1f} min: ruff, -W build, unit and browser tests, "
        f"nbval under {1 + len(others)} CPU profiles"
    )


def cmd_site() -> None:
    ensure_venv()
    build()
    print(
        f"\nThe site is built. Open {HTML / 'index.html'}\n"
        f"(or run `python3 tasks.py serve` and browse http://127.0.0.1:8000)"
    )


def cmd_execute() -> None:
    ensure_venv()
    run_quietly("executing the notebooks", [PY, "scripts/execute_notebooks.py"])


def cmd_serve(*args: str) -> None:
    import functools
    import http.server

    port = 8000
    if args:
        if len(args) != 2 or args[0] != "--port" or not args[1].isdigit():
            usage("serve takes one option: --port N")
        port = int(args[1])
    if not 0 < port < 65536:
        usage(f"--port must be in 1..65535; got {port}")
    if not HTML.exists():
        sys.exit("no site yet: run `python3 tasks.py site` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            sys.exit(
                f"port {port} is already in use: try `python3 tasks.py serve --port {port + 1}`"
            )
        raise
    print(f"serving {HTML} on http://127.0.0.1:{port}  (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nstopped")
    finally:
        server.server_close()


def cmd_tune(*args: str) -> None:
    ensure_venv()
    raise SystemExit(subprocess.call([str(PY), "-m", "optlib.tune", *args], cwd=ROOT))


def cmd_set_repo(*args: str) -> None:
    if len(args) != 1:
        usage("set-repo needs exactly one argument: the repository URL")
    sys.path.insert(0, str(ROOT / "scripts"))
    from repo_url import set_repository

    set_repository(args[0])


def cmd_clean() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)


COMMANDS = {
    "site": cmd_site,
    "test": cmd_test,
    "execute": cmd_execute,
    "serve": cmd_serve,
    "tune": cmd_tune,
    "set-repo": cmd_set_repo,
    "clean": cmd_clean,
}
TAKES_ARGS = {"serve", "tune", "set-repo"}


def usage(problem: str | None = None) -> None:
    message = (problem + "\n\n" if problem else "") + __doc__.strip()
    sys.exit(message)


def main(argv: list[str]) -> None:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return
    name, args = argv[0], argv[1:]
    if name not in COMMANDS:
        usage(f"unknown command {name!r}")
    if args and name not in TAKES_ARGS:
        usage(f"{name} takes no arguments; got {' '.join(args)}")
    try:
        COMMANDS[name](*args)
    except KeyboardInterrupt:
        sys.exit("\ninterrupted")


if __name__ == "__main__":
    main(sys.argv[1:])
