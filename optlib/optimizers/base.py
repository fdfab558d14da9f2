"""What every optimizer shares: argument checks, the params/grads walk, state and the step count.

An optimizer here is a small object with explicit state, in the spirit of optax:

* ``opt.step(params, grads)`` updates ``params`` **in place**. ``params`` is a float numpy
  array of any shape, or a dict of such arrays (a network's weights).
* State (momentum buffers, squared-gradient averages) is created on the first step, one
  dict per parameter array, and ``opt.reset()`` clears it.
* Every hyperparameter may be a numpy array that broadcasts against the parameters: an
  ``lr`` of shape ``(1000, 1)`` with params of shape ``(1000, 2)`` runs 1000 configurations
  in one call. All arithmetic is element-wise, so each row follows exactly the iterates it
  would follow alone.
* ``lr`` may also be a schedule: a function of the number of steps already taken
  (see :mod:`optlib.schedules`).

Subclasses implement one method, :meth:`Optimizer._rule`, which is the update rule of
the book written as its equation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

Params = np.ndarray | dict[str, np.ndarray]
Hyper = float | np.ndarray
LearningRate = float | np.ndarray | Callable[[int], Hyper]


def check_range(
    name: str,
    value: Any,
    low: float,
    high: float = np.inf,
    low_inclusive: bool = False,
    high_inclusive: bool = False,
) -> Hyper:
    """Return ``value`` as a float or float array, or raise ``ValueError`` naming the range.

    Arrays are checked element-wise: every entry must lie in the range.
    """
    arr = np.asarray(value, dtype=float)
    left = "[" if low_inclusive else "("
    right = "]" if high_inclusive else ")"
    interval = f"{left}{low:g}, {high:g}{right}"
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; valid range {interval}")
    bad = ~np.isfinite(arr)
    bad |= (arr < low) if low_inclusive else (arr <= low)
    if np.isfinite(high):
        bad |= (arr > high) if high_inclusive else (arr >= high)
    if np.any(bad):
        shown = arr[bad].flat[0]
        raise ValueError(f"{name} must be finite and in {interval}; got {float(shown):g}")
    return float(arr) if arr.ndim == 0 else arr


class Optimizer:
    """Base class. Subclasses set ``defaults`` in ``__init__`` and write :meth:`update`."""

    #: True for AdamW: the weight decay is applied to the parameters, not added to g.
    decoupled_weight_decay = False

    def __init__(self, lr: LearningRate, weight_decay: Hyper = 0.0) -> None:
        if callable(lr):
            self.lr = lr
        else:
            self.lr = check_range("lr", lr, 0.0)
        self.weight_decay = check_range("weight_decay", weight_decay, 0.0, low_inclusive=True)
        self.reset()

    # -- public API ---------------------------------------------------------------------
    def reset(self) -> None:
        """Forget all state: the next ``step`` is step 1 again."""
        self.t = 0
        self.state: dict[str | None, dict[str, np.ndarray]] = {}

    def step(self, params: Params, grads: Params) -> None:
        """Apply one update to ``params`` in place, given ``grads`` of the same structure."""
        pairs = self._pairs(params, grads)
        self.t += 1
        lr = self.current_lr()
        for key, p, g in pairs:
            if not self.decoupled_weight_decay and np.any(self.weight_decay):
                g = g + self.weight_decay * p  # L2 penalty folded into the gradient (torch)
            self._rule(p, g, self.state.setdefault(key, {}), lr)

    def current_lr(self) -> Hyper:
        """The learning rate of step ``self.t``; a schedule is called with ``t - 1``.

        A schedule may reach 0 (cosine annealing to zero does), but never go below it.
        """
        if not callable(self.lr):
            return self.lr
        value = self.lr(self.t - 1)
        return check_range(
            f"lr schedule value at step {self.t - 1}", value, 0.0, low_inclusive=True
        )

    def hyperparameters(self) -> dict[str, Hyper]:
        """The hyperparameters by name (``betas`` split into ``beta1`` and ``beta2``; a
        schedule given as ``lr`` is reported by its value at step 0)."""
        out: dict[str, Hyper] = {}
        for name in self.hyperparameter_names:
            value = getattr(self, name)
            if name == "betas":
                out["beta1"], out["beta2"] = value
            elif name == "lr" and callable(value):  # a schedule: reported by its first value
                out["lr"] = np.asarray(value(0), dtype=float)
            else:
                out[name] = value
        return out

    hyperparameter_names: tuple[str, ...] = ("lr", "weight_decay")

    def _rule(self, p: np.ndarray, g: np.ndarray, state: dict, lr: Hyper) -> None:
        """The update rule: change ``p`` in place given the gradient ``g``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={_short(v)}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"

    # -- helpers ------------------------------------------------------------------------
    def _pairs(self, params: Params, grads: Params) -> list[tuple[str | None, np.ndarray, Any]]:
        if isinstance(params, Mapping):
            if not isinstance(grads, Mapping):
                raise ValueError("params is a dict, so grads must be a dict with the same keys")
            missing, extra = set(params) - set(grads), set(grads) - set(params)
            if missing or extra:
                raise ValueError(
                    f"grads keys must match params keys; missing {sorted(missing)}, "
                    f"unexpected {sorted(extra)}"
                )
            pairs = [(key, params[key], grads[key]) for key in params]
        else:
            if isinstance(grads, Mapping):
                raise ValueError("params is an array, so grads must be an array, not a dict")
            pairs = [(None, params, grads)]
        checked = []
        for key, p, g in pairs:
            where = "params" if key is None else f"params[{key!r}]"
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise ValueError(f"{where} must be a float numpy array (it is updated in place)")
            g = np.asarray(g, dtype=p.dtype)
            if g.shape != p.shape:
                raise ValueError(f"grads for {where} has shape {g.shape}, expected {p.shape}")
            if key not in self.state:  # once per array: hyperparameters are fixed after __init__
                self._check_broadcast(where, p.shape)
            checked.append((key, p, g))
        return checked

    def _check_broadcast(self, where: str, shape: tuple[int, ...]) -> None:
        for name, value in self.hyperparameters().items():
            hshape = np.shape(value)
            try:
                ok = np.broadcast_shapes(hshape, shape) == shape
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(
                    f"hyperparameter {name} of shape {hshape} does not broadcast against "
                    f"{where} of shape {shape}"
                )


def _short(value: Any) -> str:
    if np.ndim(value):
        return f"array{np.shape(value)}"
    return f"{float(value):g}"
