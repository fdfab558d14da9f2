"""tasks.py behaves like a tool people trust: clear messages, no tracebacks, no stale .venv."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from cpu_profiles import check, profiles  # noqa: E402

import tasks  # noqa: E402


def run_tasks(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "tasks.py", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_old_python_gets_one_line_naming_the_version():
    code = (
        "import sys; sys.version_info = (3, 10, 12, 'final', 0); sys.version = '3.10.12 (x)';"
        "sys.argv = ['tasks.py', 'site']; exec(open('tasks.py').read())"
    )
    out = run_tasks(code=code)
    assert out.returncode == 1
    assert out.stderr.strip() == (
        "tasks.py needs Python 3.11 or newer (the pinned numpy needs it); this is Python 3.10.12"
    )


def test_unknown_command_names_it_and_prints_usage():
    out = run_tasks("bulid")
    assert out.returncode == 1
    assert out.stderr.startswith("unknown command 'bulid'\n")
    assert "python3 tasks.py test" in out.stderr
    assert "Traceback" not in out.stderr


def test_set_repo_without_url_prints_usage_not_a_traceback():
    out = run_tasks("set-repo")
    assert out.returncode == 1
    assert "set-repo needs exactly one argument" in out.stderr
    assert "Traceback" not in out.stderr


def test_commands_that_take_no_arguments_refuse_them():
    out = run_tasks("clean", "--all")
    assert out.returncode == 1 and "clean takes no arguments" in out.stderr


def test_stamp_records_the_interpreter_and_a_new_one_rebuilds():
    want = tasks._stamp()
    assert want["python"] == sys.version.split()[0]
    assert tasks.stale_reason(dict(want), want) is None
    assert tasks.stale_reason(None, want) == "rebuild"
    assert tasks.stale_reason({**want, "python": "3.10.12"}, want) == "rebuild"
    assert tasks.stale_reason({**want, "executable": "/usr/bin/python3.10"}, want) == "rebuild"
    assert tasks.stale_reason({**want, "requirements": "0" * 64}, want) == "reinstall"


def test_serve_rejects_a_bad_port_option(tmp_path, monkeypatch):
    monkeypatch.setattr(tasks, "HTML", tmp_path)
    with pytest.raises(SystemExit, match="--port must be in 1..65535"):
        tasks.cmd_serve("--port", "70000")
    with pytest.raises(SystemExit, match="serve takes one option"):
        tasks.cmd_serve("--prot", "8000")


def test_serve_says_when_the_port_is_taken(tmp_path, monkeypatch):
    monkeypatch.setattr(tasks, "HTML", tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit, match=f"port {port} is already in use"):
            tasks.cmd_serve("--port", str(port))


def test_serve_stops_quietly_on_ctrl_c(tmp_path):
    (tmp_path / "index.html").write_text("<p>hello</p>")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import tasks, pathlib;"
        f"tasks.HTML = pathlib.Path({str(tmp_path)!r}); tasks.main(['serve', '--port', '{port}'])"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "serving" in out and "stopped" in out
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_cpu_profiles_cover_numpy_openblas_and_two_thread_counts():
    found = profiles()
    envs = [p["env"] for p in found]
    assert len(found) >= 3
    assert {e["OPENBLAS_NUM_THREADS"] for e in envs} == {"1", "2"}
    assert any("OPENBLAS_CORETYPE" in e for e in envs)
    assert any("NPY_DISABLE_CPU_FEATURES" in e for e in envs)
    assert check(found) == []


def test_a_profile_that_changes_nothing_is_caught():
    fake = [{"name": "fake", "env": {}, "expect": {"blas_threads": 99}}]
    assert check(fake) and "blas_threads" in check(fake)[0]


def test_lanes_run_their_steps_in_order_side_by_side_and_report_failures(tmp_path, monkeypatch):
    monkeypatch.setattr(tasks, "LOGS", tmp_path)
    stamp = tmp_path / "order.txt"
    write = "import sys; open(sys.argv[1], 'a').write(sys.argv[2])"
    lanes = [
        [
            ("first", [sys.executable, "-c", write, stamp, "1"], None),
            (
                "second",
                [sys.executable, "-c", write + "; sys.exit(sys.argv[2] != '2')", stamp, "2"],
                None,
            ),
        ],
        [("broken", [sys.executable, "-c", "raise SystemExit(3)"], None)],
    ]
    failed = tasks.run_lanes(lanes, every=60)
    assert failed == ["broken"]
    assert stamp.read_text() == "12"
    assert (tmp_path / "broken.log").exists()
