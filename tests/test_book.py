"""The notebooks follow the book's rules: the Colab bootstrap first, python3, executed
outputs with no errors, listed in the table of contents, and small."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml
from sitecheck import toc_pages

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("repo_url", ROOT / "scripts" / "repo_url.py")
repo_url = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(repo_url)

NOTEBOOKS = repo_url.notebooks()
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_are_notebooks() -> None:
    assert any(p.parent.name == "chapters" for p in NOTEBOOKS)


def test_bootstrap_and_launch_buttons_share_the_repository_url() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert repo_url.config_url() == config["repository"]["url"]
    # It installs from the repository, never by bare name (PyPI's "optlib" is another project).
    assert f'"git+{config["repository"]["url"]}@' in repo_url.bootstrap_source()
    assert config["launch_buttons"]["colab_url"] and config["launch_buttons"]["binderhub_url"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
def test_first_code_cell_is_the_hidden_bootstrap(path: Path) -> None:
    first = code_cells(load(path))[0]
    assert source(first) == repo_url.bootstrap_source(), (
        "the first code cell must be scripts/repo_url.py bootstrap_source() exactly "
        "(run `python3 tasks.py set-repo URL` after changing the URL)"
    )
    assert "remove-cell" in first.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
def test_kernelspec_is_python3(path: Path) -> None:
    assert load(path)["metadata"].get("kernelspec") == KERNELSPEC


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
def test_executed_with_no_errors_or_stderr(path: Path) -> None:
    for i, cell in enumerate(code_cells(load(path))):
        assert cell.get("execution_count") is not None, f"code cell {i} was never executed"
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"code cell {i} stores an error: {out}"
            assert out.get("name") != "stderr", f"code cell {i} wrote to stderr: {out}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
def test_first_markdown_cell_is_the_numbered_title(path: Path) -> None:
    first = next(c for c in load(path)["cells"] if c["cell_type"] == "markdown")
    title = source(first).lstrip().splitlines()[0]
    number = re.match(r"(\d\d)_", path.name)
    if path.parent.name == "chapters" and number:
        assert title.startswith(f"# {int(number.group(1))}. "), title
    else:
        assert title.startswith("# "), title


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
def test_listed_in_the_table_of_contents(path: Path) -> None:
    """only_build_toc_files is on, so a notebook missing from _toc.yml silently vanishes."""
    assert name(path.with_suffix(".html")) in toc_pages(), f"add {name(path)} to _toc.yml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
def test_notebook_file_is_small(path: Path) -> None:
    assert path.stat().st_size < 3_000_000, f"{path.stat().st_size:,} bytes"


def test_every_test_the_conventions_appendix_cites_exists() -> None:
    """Each `module::test_name[case]` in appendix/conventions.md names a real test (and case)."""
    text = (ROOT / "appendix" / "conventions.md").read_text(encoding="utf-8")
    cited = re.findall(r"`(\w+)::(test_\w+)(?:\[([^\]]+)\])?`", text)
    assert len(cited) >= 20
    for module, test, case in cited:
        path = ROOT / "tests" / f"test_{module}.py"
        assert path.exists(), f"{module}:: names no test file"
        body = path.read_text(encoding="utf-8")
        assert re.search(rf"^def {test}\(", body, re.MULTILINE), f"{module}::{test} is missing"
        if case:  # a parametrize id: the case's name appears in that file as a string
            assert f'"{case}"' in body or case in {c.__name__ for c in _optimizer_classes()}, (
                f"{module}::{test}[{case}]: no such case"
            )


def _optimizer_classes():
    import optlib

    return optlib.ALL
