"""optlib.animation: small, offline, deterministic HTML animations with the frames asked for."""

import base64
import configparser
import io
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

import optlib
from optlib import animation, problems

ROOT = Path(__file__).resolve().parents[1]
HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def paths():
    rosen = problems.rosenbrock
    return {
        "SGD": optlib.run(optlib.SGD(lr=1e-3), rosen, steps=120, tol=None),
        "Adam": optlib.run(optlib.Adam(lr=0.05), rosen, steps=80, tol=None).path,
    }


@pytest.fixture(scope="module")
def small(paths):
    return animation.animation_html(problems.rosenbrock, paths, frames=12, dpi=40)


def frames_of(html: str) -> list[bytes]:
    """The PNG frames in the player's frame list (the background is not one of them)."""
    listing = re.search(r"var frames = \[(.*?)\];", html, re.S).group(1)
    return [base64.b64decode(b) for b in re.findall(r'"data:image/png;base64,([^"]+)"', listing)]


def background_of(html: str) -> Image.Image:
    data = re.search(r'<img src="data:image/png;base64,([^"]+)"', html).group(1)
    return Image.open(io.BytesIO(base64.b64decode(data)))


def test_frame_count_is_as_requested(paths):
    for n in (2, 7, 12):
        html = animation.animation_html(problems.rosenbrock, paths, frames=n, dpi=30)
        assert len(frames_of(html)) == n


def test_frames_are_pngs_that_fit_the_background_and_change(small):
    frames = [Image.open(io.BytesIO(f)) for f in frames_of(small)]
    size = background_of(small).size
    assert all(f.format == "PNG" and f.size == size for f in frames)
    pictures = frames_of(small)
    assert all(a != b for a, b in zip(pictures, pictures[1:], strict=False))  # each one new


def test_frame_steps_even_spacing_on_request():
    steps = animation.frame_steps(600, 50, spacing="even")
    assert len(steps) == 50 and steps[0] == 0 and steps[-1] == 600
    assert np.all(np.diff(steps) > 0)
    assert np.all(np.abs(np.diff(steps) - 600 / 49) <= 1)
    assert list(animation.frame_steps(2, 5)) == [0, 0, 1, 2, 2]  # fewer steps than frames


@pytest.mark.parametrize(
    ("last", "frames"), [(1000, 40), (400, 60), (80, 30), (300, 40), (5000, 300)]
)
def test_frame_steps_show_the_early_steps_of_a_long_run(last, frames):
    steps = animation.frame_steps(last, frames)
    assert len(steps) == frames and steps[0] == 0 and steps[-1] == last
    assert np.all(np.diff(steps) >= 1)  # every frame a new step
    even = animation.frame_steps(last, frames, spacing="even")
    early = last // 20  # the first 5 % of the run
    assert (steps <= early).sum() >= max(3, 2 * (even <= early).sum())
    assert np.all(np.diff(np.diff(steps)) >= -1)  # gaps grow (up to rounding)


def test_a_1000_step_run_in_40_frames_shows_its_early_steps():
    steps = animation.frame_steps(1000, 40)
    assert list(steps[:5]) == [0, 2, 5, 8, 12]
    assert (steps <= 30).sum() == 9  # as the docstring says
    assert (animation.frame_steps(1000, 40, spacing="even") <= 30).sum() == 2  # 0 and 26


def test_no_request_to_another_host(small):
    # every src is an embedded picture ...
    assert set(re.findall(r'src="(\w+):', small)) == {"data"}
    # ... and the rest names no other host (base64 is removed first: it may spell anything)
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", small).lower()
    for word in ("http", "//", "<link", "cdn", "font-awesome", "@import", "url("):
        assert word not in text


def test_notebook_sized_animation_is_under_one_megabyte():
    beale = problems.beale
    paths = {
        name: optlib.run(cls(lr=lr), beale, steps=400, tol=None)
        for name, cls, lr in [
            ("SGD", optlib.SGD, 0.01),
            ("Momentum", optlib.Momentum, 0.01),
            ("Nesterov", optlib.Nesterov, 0.01),
            ("AdaGrad", optlib.AdaGrad, 0.5),
            ("RMSProp", optlib.RMSProp, 0.01),
            ("Adam", optlib.Adam, 0.05),
        ]
    }
    html = animation.animation_html(beale, paths, frames=60, dpi=72)
    assert len(html.encode()) <= animation.MAX_BYTES
    assert len(frames_of(html)) == 60


def test_same_html_on_two_runs_up_to_the_id(paths, small):
    again = animation.animation_html(problems.rosenbrock, paths, frames=12, dpi=40)
    assert again != small  # a fresh id each time, so two players can share a page
    assert HEX_ID.sub("ID", again) == HEX_ID.sub("ID", small)


def test_run_result_and_array_give_the_same_animation(paths):
    as_arrays = {
        "SGD": paths["SGD"].path,
        "Adam": paths["Adam"],
    }
    a = animation.animation_html(problems.rosenbrock, paths, frames=5, dpi=30)
    b = animation.animation_html(problems.rosenbrock, as_arrays, frames=5, dpi=30)
    assert HEX_ID.sub("ID", a) == HEX_ID.sub("ID", b)


def test_nbval_sanitizer_masks_everything_that_varies(small):
    """The book's sanitizer must hide the id and every frame, and leave the player."""
    config = configparser.ConfigParser()
    config.read(ROOT / "nbval_sanitize.cfg", encoding="utf-8")
    masked = small
    for section in config.sections():
        masked = re.sub(config[section]["regex"], config[section]["replace"], masked)
    assert not HEX_ID.search(masked)
    assert not re.search(r"[A-Za-z0-9+/=]{100,}", masked)  # no base64 left
    assert masked.count("data:image/FRAME") == len(frames_of(small)) + 2  # + background, shown
    assert "play.onclick" in masked


def test_animate_returns_html_and_closes_its_figure(paths):
    before = plt.get_fignums()
    shown = animation.animate(problems.rosenbrock, paths, frames=3, dpi=30)
    assert plt.get_fignums() == before
    assert shown.data.startswith('<div class="optlib-animation"')
    assert len(frames_of(shown.data)) == 3


def test_saddle_without_minima_and_alt_text_are_escaped():
    path = optlib.run(optlib.Adam(lr=0.05), problems.saddle, steps=30, tol=None)
    html = animation.animation_html(
        problems.saddle, {"Adam": path}, frames=4, dpi=30, alt='x² − y² "saddle" <a>'
    )
    assert 'alt="x² − y² &quot;saddle&quot; &lt;a&gt;"' in html


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        (dict(frames=1), "frames must be an integer in [2, 300]"),
        (dict(frames=2.5), "frames must be an integer"),
        (dict(frames=1000), "frames must be an integer"),
        (dict(dpi=0), "dpi must be in [20, 200]"),
        (dict(interval=0), "interval must be in [10, 5000]"),
        (dict(figsize=(0, 3)), "figsize must be two numbers"),
        (dict(max_bytes=1000), "use fewer frames or a lower dpi"),
        (dict(spacing="log"), "spacing must be 'geometric' or 'even'"),
    ],
)
def test_bad_arguments_raise_value_error(paths, kwargs, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        animation.animation_html(problems.rosenbrock, paths, **{"frames": 3, "dpi": 30, **kwargs})


@pytest.mark.parametrize(
    ("bad_paths", "words"),
    [
        ({}, "paths must be a non-empty mapping"),
        ([np.zeros((3, 2))], "paths must be a non-empty mapping"),
        ({"SGD": np.zeros((3, 3))}, "paths['SGD'] must have shape (steps + 1, 2)"),
        ({"SGD": np.zeros((0, 2))}, "paths['SGD'] must have shape (steps + 1, 2)"),
    ],
)
def test_bad_paths_raise_value_error(bad_paths, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        animation.animation_html(problems.rosenbrock, bad_paths, frames=3, dpi=30)
