"""Animated optimizer paths on a problem's contours, as self-contained HTML.

The animation is a matplotlib :class:`~matplotlib.animation.FuncAnimation` whose frames are
kept in memory and embedded in a small HTML player (a slider and a few buttons), so it
plays on the static site, in Jupyter and in Colab alike. Two choices keep it within the
book's budget of 1 MB per animation and make it cheap to build:

* The contours, axes and legend never change, so they are drawn **once**, as a background
  picture. Each frame holds only the moving paths, on a transparent canvas laid exactly
  over it; such a frame compresses to a few kilobytes.
* Frames are PNGs reduced to a small palette, and the player uses no external resources
  (no icon font from a CDN, unlike matplotlib's ``to_jshtml``): its buttons are plain
  Unicode characters.

The HTML is deterministic except for the element id, a fresh 32-digit hex uuid per call
(the book's nbval sanitizer masks it, and the base64 frames).
"""

from __future__ import annotations

import base64
import html
import io
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.animation import AbstractMovieWriter, FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from .plot import color, contour
from .problems import Problem
from .run import RunResult

if TYPE_CHECKING:
    from IPython.display import HTML

#: The book's budget for one animation, in bytes of HTML.
MAX_BYTES = 1_000_000
_MAX_FRAMES = 300


def animate(problem: Problem, paths: Mapping[str, np.ndarray | RunResult], **options: Any) -> HTML:
    """:func:`animation_html` (same arguments) wrapped for display in a notebook."""
    # Imported here: IPython is there wherever a notebook runs, and nothing else needs it.
    from IPython.display import HTML

    return HTML(animation_html(problem, paths, **options))


def animation_html(
    problem: Problem,
    paths: Mapping[str, np.ndarray | RunResult],
    frames: int = 50,
    dpi: int = 72,
    interval: int = 120,
    figsize: tuple[float, float] = (6.4, 4.2),
    window: tuple[tuple[float, float], tuple[float, float]] | None = None,
    title: str | None = None,
    alt: str | None = None,
    max_bytes: int = MAX_BYTES,
    spacing: str = "geometric",
) -> str:
    r"""Animate ``paths`` on the contours of ``problem``; return a self-contained HTML player.

    Parameters
    ----------
    paths:
        One path per label: an array of shape ``(steps + 1, 2)`` or a single-run
        :class:`RunResult`. Each is drawn in :func:`optlib.plot.color` of its label.
    frames:
        The number of frames, 2 to 300. Frame ``k`` shows every path up to step
        :func:`frame_steps` ``(T, frames, spacing)[k]``, ``T`` being the longest path's last
        step; the last frame shows the whole paths.
    spacing:
        ``"geometric"`` (default: early steps get frames of their own, later ones are
        subsampled more and more) or ``"even"`` (evenly in steps).
    dpi, figsize:
        Resolution (20 to 200) and size in inches of the picture.
    interval:
        Milliseconds between frames when playing (10 to 5000).
    window, title:
        The plotting window (default ``problem.window``) and title (default the problem's
        name).
    alt:
        Alternative text of the picture, for readers who cannot see it.
    max_bytes:
        The size the HTML may not exceed; a larger animation raises ``ValueError``.
    """
    xy = _check_paths(paths)
    if isinstance(frames, bool) or int(frames) != frames or not 2 <= frames <= _MAX_FRAMES:
        raise ValueError(f"frames must be an integer in [2, {_MAX_FRAMES}]; got {frames!r}")
    if not (np.isfinite(dpi) and 20 <= dpi <= 200):
        raise ValueError(f"dpi must be in [20, 200]; got {dpi!r}")
    if not (np.isfinite(interval) and 10 <= interval <= 5000):
        raise ValueError(f"interval must be in [10, 5000] milliseconds; got {interval!r}")
    if len(figsize) != 2 or not all(np.isfinite(s) and 1 <= s <= 20 for s in figsize):
        raise ValueError(f"figsize must be two numbers in [1, 20] inches; got {figsize!r}")
    if not max_bytes > 0:
        raise ValueError(f"max_bytes must be > 0; got {max_bytes!r}")

    shown = frame_steps(max(len(p) for p in xy.values()) - 1, int(frames), spacing)

    # A figure outside pyplot: nothing to close, and never shown by the notebook as a still.
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    background = _draw_background(fig, ax, problem, xy, window, title)
    pictures = _draw_frames(fig, ax, xy, shown, interval)
    alt = alt or f"{', '.join(xy)} on {problem.name}, step by step"
    page = _player(background, pictures, interval, alt)
    size = len(page.encode())
    if size > max_bytes:
        raise ValueError(
            f"the animation takes {size / 1e3:.0f} kB > max_bytes = {max_bytes / 1e3:.0f} kB; "
            "use fewer frames or a lower dpi"
        )
    return page


def frame_steps(last_step: int, frames: int, spacing: str = "geometric") -> np.ndarray:
    r"""The step shown in each frame, from step 0 in the first frame to ``last_step`` = :math:`T`
    in the last.

    ``"geometric"`` (the default) spaces the frames evenly in :math:`\log(t + c)` with
    :math:`c = \max(1, T/\text{frames})`, then makes the steps strictly increasing, so that
    the early steps, where paths turn fastest, are seen: a 1000-step run in 40 frames gets 9
    frames within its first 30 steps (steps 0, 2, 5, 8, 12, …), against 2 when spaced evenly.
    ``"even"`` spaces them evenly in :math:`t`, :math:`\mathrm{round}(k\,T/(\text{frames}-1))`.
    With fewer steps than frames, both repeat steps.
    """
    if spacing not in ("geometric", "even"):
        raise ValueError(f"spacing must be 'geometric' or 'even'; got {spacing!r}")
    if spacing == "even" or last_step + 1 < frames:
        return np.round(np.linspace(0, last_step, frames)).astype(int)
    k = np.arange(frames)
    offset = max(1.0, last_step / frames)
    steps = np.round(np.geomspace(offset, last_step + offset, frames) - offset).astype(int)
    steps = np.maximum.accumulate(steps - k) + k  # at least one step apart ...
    return np.minimum(steps, last_step - (frames - 1) + k)  # ... and room left for the rest


# -- drawing ---------------------------------------------------------------------------------
def _check_paths(paths: Mapping[str, np.ndarray | RunResult]) -> dict[str, np.ndarray]:
    if not isinstance(paths, Mapping) or not paths:
        raise ValueError("paths must be a non-empty mapping from label to path")
    out = {}
    for label, path in paths.items():
        if isinstance(path, RunResult):
            path = path.path.reshape(len(path.path), -1, 2)[:, 0]
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) < 1:
            raise ValueError(
                f"paths[{label!r}] must have shape (steps + 1, 2) or be a single-run RunResult; "
                f"got shape {path.shape}"
            )
        out[str(label)] = path
    return out


def _draw_background(fig: Figure, ax, problem, xy, window, title) -> bytes:
    """Draw the parts that never change, keep them as a picture, then remove them."""
    contour(problem, ax, window=window)
    for label, path in xy.items():
        ax.plot(*path[0], "o", color=color(label), mfc="white", ms=6)
    handles = [Line2D([], [], color=color(label), lw=1.6, label=label) for label in xy]
    handles += [Line2D([], [], marker="o", color="grey", mfc="white", ls="none", label="start")]
    handles += ax.get_legend_handles_labels()[0]  # the minimum, if the problem has one
    # The legend goes beside the axes, where no path can run over it.
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, fontsize=9
    )
    fig.subplots_adjust(left=0.1, right=0.76, bottom=0.12, top=0.92)
    ax.set_title(title or problem.name)
    fig.canvas.draw()
    picture = _png(np.asarray(fig.canvas.buffer_rgba())[..., :3], colors=128)

    # What stays is an invisible axes with the same data-to-pixel transform: the frames
    # drawn on it line up with the background picture pixel for pixel.
    for artist in [*ax.collections, *ax.lines, *ax.texts]:
        artist.remove()
    ax.get_legend().remove()
    ax.set_title("")
    ax.set_axis_off()
    fig.patch.set_alpha(0.0)
    return picture


def _draw_frames(fig: Figure, ax, xy, shown: np.ndarray, interval: int) -> list[bytes]:
    lines = {label: ax.plot([], [], "-", color=color(label), lw=1.6)[0] for label in xy}
    heads = {label: ax.plot([], [], "o", color=color(label), ms=5)[0] for label in xy}
    counter = ax.text(
        0.98,
        0.03,
        "",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=9,
        bbox=dict(fc="white", ec="none", alpha=0.8),
    )

    def draw(k: int) -> None:
        for label, path in xy.items():
            upto = path[: shown[k] + 1]
            lines[label].set_data(upto[:, 0], upto[:, 1])
            heads[label].set_data(upto[-1:, 0], upto[-1:, 1])
        counter.set_text(f"step {shown[k]}")

    animation = FuncAnimation(
        fig, draw, frames=len(shown), interval=interval, cache_frame_data=False
    )
    writer = _FrameCollector()
    # The collector keeps the frames in memory: the file name is never written.
    animation.save("animation.html", writer=writer, dpi=fig.dpi)
    return writer.frames


class _FrameCollector(AbstractMovieWriter):
    """A movie writer that keeps each frame as a transparent, palette-reduced PNG."""

    def setup(self, fig: Figure, outfile: str, dpi: float | None = None) -> None:
        super().setup(fig, outfile, dpi)
        self.frames: list[bytes] = []

    def grab_frame(self, **savefig_kwargs) -> None:
        # Animation.save has just drawn this frame (draw_idle draws at once on an Agg canvas),
        # so the pixels are read as they are rather than drawn a second time.
        self.frames.append(_png(np.asarray(self.fig.canvas.buffer_rgba()), colors=32))

    def finish(self) -> None:
        pass


def _png(pixels: np.ndarray, colors: int) -> bytes:
    """Encode RGB(A) ``pixels`` as a PNG with at most ``colors`` colours (deterministic)."""
    image = Image.fromarray(np.ascontiguousarray(pixels)).quantize(
        colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# -- the player ------------------------------------------------------------------------------
def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


_PLAYER = """\
<div class="optlib-animation" id="anim{id}" style="display:inline-block;max-width:100%">
<div style="position:relative">
<img src="{background}" alt="{alt}" style="display:block;width:100%;height:auto">
<img class="frame" src="{last}" alt="" style="position:absolute;left:0;top:0;width:100%;\
height:100%">
</div>
<div style="display:flex;gap:4px;align-items:center;margin-top:4px">
<button class="first" title="First frame" aria-label="First frame">|&#9664;</button>
<button class="back" title="Previous frame" aria-label="Previous frame">&#9664;</button>
<button class="play" title="Play or pause" aria-label="Play or pause">&#9654;</button>
<button class="next" title="Next frame" aria-label="Next frame">&#9654;|</button>
<input class="slider" type="range" min="0" max="{last_index}" value="{last_index}" \
aria-label="Frame" style="flex:1">
</div>
</div>
<script>
(function () {{
  var frames = [{frames}];
  var root = document.getElementById("anim{id}");
  var img = root.querySelector(".frame"), slider = root.querySelector(".slider");
  var play = root.querySelector(".play"), k = frames.length - 1, timer = null;
  function show(i) {{ k = (i + frames.length) % frames.length; img.src = frames[k];
    slider.value = k; }}
  function stop() {{ clearInterval(timer); timer = null; play.innerHTML = "&#9654;"; }}
  root.querySelector(".first").onclick = function () {{ stop(); show(0); }};
  root.querySelector(".back").onclick = function () {{ stop(); show(k - 1); }};
  root.querySelector(".next").onclick = function () {{ stop(); show(k + 1); }};
  slider.oninput = function () {{ stop(); show(parseInt(slider.value, 10)); }};
  play.onclick = function () {{
    if (timer) {{ stop(); return; }}
    play.innerHTML = "&#10074;&#10074;";
    timer = setInterval(function () {{ show(k + 1); }}, {interval});
  }};
}})();
</script>
"""


def _player(background: bytes, frames: list[bytes], interval: int, alt: str) -> str:
    """A minimal HTML player: the background, one frame at a time on top, and controls."""
    urls = [_data_url(f) for f in frames]
    return _PLAYER.format(
        id=uuid.uuid4().hex,
        background=_data_url(background),
        alt=html.escape(alt),
        last=urls[-1],
        last_index=len(urls) - 1,
        frames=",\n".join(f'"{u}"' for u in urls),
        interval=int(interval),
    )
