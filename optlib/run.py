"""Run an optimizer on a 2-D problem, from one start or a whole batch of them.

One call runs every configuration at once: the starts may have a leading batch shape and
the optimizer's hyperparameters may be arrays that broadcast against it. Each run stops
on its own (its point is frozen) when it converges or diverges, and the result says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .optimizers.base import Optimizer
from .problems import Problem

CONVERGED, DIVERGED, MAX_STEPS = "converged", "diverged", "max_steps"


@dataclass
class RunResult:
    """The whole history of a batched run.

    ``path`` has shape ``(steps + 1, *batch, 2)``, ``loss`` and ``grad_norm`` have shape
    ``(steps + 1, *batch)``; row 0 is the start. A stopped run repeats its last point.
    """

    optimizer: str
    problem: str
    path: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    stop_step: np.ndarray  #: shape ``batch``: the step at which each run stopped
    outcome: np.ndarray  #: shape ``batch``: "converged", "diverged" or "max_steps"
    hyperparameters: dict[str, np.ndarray]  #: each broadcast to shape ``batch``

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.stop_step.shape

    @property
    def final(self) -> np.ndarray:
        """The last point of every run, shape ``(*batch, 2)``."""
        return self.path[-1]

    @cached_property
    def status(self) -> pd.DataFrame:
        """One row per run: its status, the step it stopped at, its final point and loss."""
        n = int(np.prod(self.batch_shape))
        final = self.path[-1].reshape(n, 2)
        out = pd.DataFrame(
            {
                "run": np.arange(n),
                "status": self.outcome.reshape(n),
                "stop_step": self.stop_step.reshape(n),
                "x": final[:, 0],
                "y": final[:, 1],
                "loss": self.loss[-1].reshape(n),
                "optimizer": self.optimizer,
            }
        )
        for name, value in self.hyperparameters.items():
            out[name] = value.reshape(n)
        return out

    @cached_property
    def df(self) -> pd.DataFrame:
        """Tidy history: one row per run and step, up to the step where the run stopped."""
        steps = self.path.shape[0]
        n = int(np.prod(self.batch_shape))
        step = np.repeat(np.arange(steps), n)
        run = np.tile(np.arange(n), steps)
        keep = step <= np.tile(self.stop_step.reshape(n), steps)
        path = self.path.reshape(steps * n, 2)
        out = pd.DataFrame(
            {
                "run": run[keep],
                "step": step[keep],
                "x": path[keep, 0],
                "y": path[keep, 1],
                "loss": self.loss.reshape(-1)[keep],
                "grad_norm": self.grad_norm.reshape(-1)[keep],
                "optimizer": self.optimizer,
            }
        )
        for name, value in self.hyperparameters.items():
            out[name] = np.tile(value.reshape(n), steps)[keep]
        return out.sort_values(["run", "step"], kind="stable").reset_index(drop=True)


def run(
    optimizer: Optimizer,
    problem: Problem,
    start: np.ndarray | None = None,
    steps: int = 200,
    tol: float | None = 1e-6,
    noise: float = 0.0,
    seed: int = 0,
    blowup: float = 1e8,
) -> RunResult:
    """Run ``optimizer`` on ``problem`` for up to ``steps`` steps.

    Parameters
    ----------
    start:
        Starting point(s), shape ``(..., 2)``; default ``problem.start``. The batch shape of
        the run is this shape broadcast with the optimizer's hyperparameter arrays.
    tol:
        A run *converges* when the gradient norm falls to ``tol`` or below (``None``: never).
    noise:
        Standard deviation of Gaussian noise added to every gradient (a model of
        mini-batch noise), drawn from ``np.random.default_rng(seed)``.
    blowup:
        A run *diverges* when its loss or point is not finite, or when
        ``|loss| > blowup * (|loss_0| + 1)``. It stops there, with no warnings printed.
    """
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be an optlib optimizer; got {type(optimizer).__name__}")
    if int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be an integer >= 1; got {steps!r}")
    if tol is not None and not tol >= 0:
        raise ValueError(f"tol must be >= 0 or None; got {tol!r}")
    if not (noise >= 0 and np.isfinite(noise)):
        raise ValueError(f"noise must be a finite number >= 0; got {noise!r}")
    if not blowup > 1:
        raise ValueError(f"blowup must be > 1; got {blowup!r}")
    start = np.asarray(problem.start if start is None else start, dtype=float)
    if start.shape[-1:] != (2,):
        raise ValueError(f"start must have shape (..., 2); got {start.shape}")

    hyper = optimizer.hyperparameters()
    shapes = [np.shape(v) for v in hyper.values()]
    full = np.broadcast_shapes(start.shape, *shapes)
    if full[-1:] != (2,):
        raise ValueError(f"hyperparameter shapes {shapes} do not broadcast against (..., 2)")
    batch = full[:-1]
    params = np.broadcast_to(start, full).copy()
    rng = np.random.default_rng(seed)

    path = np.empty((steps + 1, *full))
    loss = np.empty((steps + 1, *batch))
    gnorm = np.empty((steps + 1, *batch))
    stop_step = np.full(batch, steps)
    outcome = np.full(batch, MAX_STEPS, dtype=object)
    stopped = np.zeros(batch, dtype=bool)

    optimizer.reset()
    with np.errstate(all="ignore"):  # a diverging run must not flood the reader
        g = problem.grad(params)
        loss[0], gnorm[0], path[0] = problem.f(params), _norm(g), params
        limit = blowup * (np.abs(loss[0]) + 1)
        last = 0
        for t in range(steps + 1):
            if t > 0:
                # Freezing the stopped runs costs two copies; most steps have none to freeze.
                frozen = stopped.any()
                prev = params.copy() if frozen else None
                optimizer.step(params, g + noise * rng.standard_normal(full) if noise else g)
                if frozen:
                    np.copyto(params, prev, where=stopped[..., None])
                g = problem.grad(params)
                loss[t], gnorm[t], path[t] = problem.f(params), _norm(g), params
                if frozen:
                    loss[t] = np.where(stopped, loss[t - 1], loss[t])
                    gnorm[t] = np.where(stopped, gnorm[t - 1], gnorm[t])
            last = t
            finite = np.isfinite(loss[t] + params[..., 0] + params[..., 1])
            bad = ~finite | (np.abs(loss[t]) > limit)
            done = ~stopped & (bad | (gnorm[t] <= tol) if tol is not None else bad)
            if not done.any():
                continue
            outcome[done & bad], outcome[done & ~bad] = DIVERGED, CONVERGED
            stop_step[done] = t
            stopped |= done
            if stopped.all():
                break
    values = {
        name: np.broadcast_to(np.asarray(v, dtype=float), full)[..., 0].copy()
        for name, v in hyper.items()
    }
    return RunResult(
        optimizer=type(optimizer).__name__,
        problem=problem.name,
        path=path[: last + 1],
        loss=loss[: last + 1],
        grad_norm=gnorm[: last + 1],
        stop_step=stop_step,
        outcome=outcome,
        hyperparameters=values,
    )


def _norm(g: np.ndarray) -> np.ndarray:
    """The length of 2-D vectors; hypot neither underflows nor overflows in the square."""
    return np.hypot(g[..., 0], g[..., 1])
