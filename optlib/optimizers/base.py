"""What every optimizer shares: argument checks, the params/grads walk, state and the step count.

An optimizer here is a small object with explicit state, in the spirit of optax:

* ``opt.step(params, grads)`` updates ``params`` **in place**. ``params`` is a writeable
  float numpy array of any shape, or a dict of such arrays (a network's weights).
  ``opt.update(params, grads)``, the name "Deep Learning from Scratch" uses, is the same
  call. The constructor takes hyperparameters only, never parameters.
* State (momentum buffers, squared-gradient averages) is created on the first step, one
  dict per parameter array, in the dtype of that array (float32 parameters keep float32
  state). ``opt.state[None]`` is the state of a plain array, ``opt.state["W"]`` that of
  ``params["W"]``.
* **The state belongs to the arrays of the first step.** An optimizer remembers which
  array (or which dict of arrays) it stepped first, and stepping a different one raises
  ``ValueError``: a second array would otherwise inherit the first one's momentum and
  step count. To train several arrays, pass them together as a dict, or make one optimizer
  per array; ``opt.reset()`` forgets everything and frees the optimizer for a new array.
* A hyperparameter is a number, or an array that is a **column of configurations**: its
  last axis has length 1, as in an ``lr`` of shape ``(K, 1)`` against params of shape
  ``(K, 2)``, which runs K configurations in one call, or ``(C, 1, 1)`` against a network's
  ``(C, d_in, d_out)`` weights. All arithmetic is element-wise, so each configuration
  follows exactly the iterates it would follow alone. An array whose last axis is longer
  than 1 (a weight matrix given where ``lr`` belongs, ``optlib.SGD(W)``) is rejected.
  Arrays are copied, so changing the caller's array later changes nothing.
* ``lr`` may also be a schedule: a function of the number of steps already taken
  (see :mod:`optlib.schedules`).

Subclasses implement one method, :meth:`Optimizer._rule`, which is the update rule of
the book written as its equation.
"""

from __future__ import annotations

import numbers
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
    """Return ``value`` as a float or a float array (a copy), or raise ``ValueError``.

    ``value`` must be a real number or an array of real numbers: a string, a bool, ``None``
    or a dict is rejected with the parameter's name. Arrays are checked element-wise:
    every entry must lie in the range, which the message names.
    """
    interval = _interval(low, high, low_inclusive, high_inclusive)
    arr = _real_array(name, value, interval)
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


def _interval(low: float, high: float, low_inclusive: bool, high_inclusive: bool) -> str:
    left = "[" if low_inclusive else "("
    right = "]" if high_inclusive else ")"
    return f"{left}{low:g}, {high:g}{right}"


def _real_array(name: str, value: Any, interval: str) -> np.ndarray:
    """``value`` as a new float array, if it is a real number or an array of them."""
    wrong = (
        value is None
        or isinstance(value, bool | np.bool_ | str | bytes | Mapping)
        or (isinstance(value, numbers.Number) and not isinstance(value, numbers.Real))
    )
    arr = None
    if not wrong:
        try:
            arr = np.array(value)  # always a copy
        except (TypeError, ValueError):  # ragged nested lists
            wrong = True
    if wrong or arr is None or arr.dtype.kind not in "iuf":
        shown = f"{type(value).__name__} {value!r}"
        if len(shown) > 60:
            shown = shown[:57] + "..."
        raise ValueError(
            f"{name} must be a number in {interval} or an array of such numbers; got {shown}"
        )
    return arr.astype(float)


def check_configurations(name: str, value: Hyper) -> Hyper:
    """Return ``value`` if it is a number or a column of configurations, else raise.

    A hyperparameter array must have a last axis of length 1 (shape ``(K, 1)``,
    ``(K, 1, 1)``, ...): one value per configuration, broadcast over each configuration's
    parameters. Anything else is most likely a parameter array given in the wrong place.
    """
    shape = np.shape(value)
    if len(shape) == 0 or shape[-1] == 1:
        return value
    raise ValueError(
        f"{name} is an array of shape {shape}, which looks like parameters: optlib "
        "optimizers take the parameters in step(params, grads), not in the constructor, "
        "e.g. opt = optlib.SGD(lr=0.1); opt.step(W, grad_W). A hyperparameter is a number, "
        "or a column of configurations whose last axis has length 1 (an lr of shape (K, 1) "
        "runs K learning rates on params of shape (K, n))"
    )


class Optimizer:
    """Base class of every optimizer: ``step(params, grads)``, state, the step count ``t``.

    Subclasses check their own hyperparameters in ``__init__`` (with :meth:`_hyper`), list
    them in ``hyperparameter_names`` and write the update rule as :meth:`_rule`.
    """

    #: True for AdamW: the weight decay is applied to the parameters, not added to g.
    decoupled_weight_decay = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "update" in vars(cls):
            raise TypeError(
                f"{cls.__name__} defines update(), but update is the public alias of step; "
                "write the per-array rule as _rule(self, p, g, state, lr)"
            )

    def __init__(self, lr: LearningRate, weight_decay: Hyper = 0.0, maximize: bool = False) -> None:
        self.maximize = bool(maximize)
        if callable(lr):
            self.lr = lr
        else:
            self.lr = self._hyper("lr", lr, 0.0)
        self.weight_decay = self._hyper("weight_decay", weight_decay, 0.0, low_inclusive=True)
        self.reset()

    # -- public API ---------------------------------------------------------------------
    def reset(self) -> None:
        """Forget all state: the next ``step`` is step 1 again, on any array."""
        self.t = 0
        self.state: dict[str | None, dict[str, np.ndarray]] = {}
        self._owners: dict[str | None, np.ndarray] = {}

    def step(self, params: Params, grads: Params) -> None:
        """Apply one update to ``params`` in place, given ``grads`` of the same structure."""
        pairs = self._pairs(params, grads)
        self.t += 1
        lr = self.current_lr()
        for key, p, g in pairs:
            if not self.decoupled_weight_decay and np.any(self.weight_decay):
                g = g + self.weight_decay * p  # L2 penalty folded into the gradient (torch)
            self._rule(p, g, self.state[key], lr)
            _keep_dtype(self.state[key], p.dtype)

    def update(self, params: Params, grads: Params) -> None:
        """The same as :meth:`step`, under the name "Deep Learning from Scratch" uses."""
        self.step(params, grads)

    def current_lr(self) -> Hyper:
        """The learning rate of step ``self.t``; a schedule is called with ``t - 1``.

        A schedule may reach 0 (cosine annealing to zero does), but never go below it.
        """
        if not callable(self.lr):
            return self.lr
        name = f"lr schedule value at step {self.t - 1}"
        value = self.lr(self.t - 1)
        check_configurations(name, _real_array(name, value, "[0, inf)"))
        return check_range(name, value, 0.0, low_inclusive=True)

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
    @staticmethod
    def _hyper(
        name: str,
        value: Any,
        low: float,
        high: float = np.inf,
        low_inclusive: bool = False,
        high_inclusive: bool = False,
    ) -> Hyper:
        """A hyperparameter, checked: a number or a column of configurations, in range."""
        interval = _interval(low, high, low_inclusive, high_inclusive)
        check_configurations(name, _real_array(name, value, interval))
        return check_range(name, value, low, high, low_inclusive, high_inclusive)

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
            if not p.flags.writeable:
                raise ValueError(
                    f"{where} is a read-only array (e.g. made by np.broadcast_to), and optlib "
                    "updates params in place: pass a writeable copy, np.array(...)"
                )
            g = np.asarray(g, dtype=p.dtype)
            if self.maximize:  # torch's maximize: ascend, before any weight decay is added
                g = -g
            if g.shape != p.shape:
                raise ValueError(f"grads for {where} has shape {g.shape}, expected {p.shape}")
            checked.append((key, p, g))
        self._check_owners(checked)
        return checked

    def _check_owners(self, pairs: list[tuple[str | None, np.ndarray, Any]]) -> None:
        """The first step adopts the arrays; later steps must pass the very same arrays."""
        if not self._owners:
            for key, p, _ in pairs:
                where = "params" if key is None else f"params[{key!r}]"
                self._check_broadcast(where, p.shape)
            for key, p, _ in pairs:
                self._owners[key] = p
                self.state[key] = {}
            return
        remedy = (
            "One optimizer keeps one state (momentum, moments, the step count t = "
            f"{self.t}) for the arrays it stepped first. Pass all arrays together as a dict, "
            "opt.step({'W': W, 'b': b}, {'W': gW, 'b': gb}), use one optimizer per array, "
            "or call opt.reset() to start again"
        )
        keys = [key for key, _, _ in pairs]
        if set(keys) != set(self._owners):
            raise ValueError(
                f"this optimizer stepped {_describe(list(self._owners))} before, and now "
                f"{_describe(keys)}. {remedy}"
            )
        for key, p, _ in pairs:
            owner = self._owners[key]
            if p is not owner:
                where = "params" if key is None else f"params[{key!r}]"
                raise ValueError(
                    f"{where} (shape {p.shape}) is not the array this optimizer stepped "
                    f"before (shape {owner.shape}); sharing its state would give wrong "
                    f"updates. {remedy}"
                )

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


def _describe(keys: list[str | None]) -> str:
    if keys == [None]:
        return "a plain array"
    return "a dict with keys " + str(sorted(str(k) for k in keys))


def _keep_dtype(state: dict[str, Any], dtype: np.dtype) -> None:
    """Keep the state in the parameters' dtype (a float64 hyperparameter array would
    otherwise promote the state of float32 parameters)."""
    for name, value in state.items():
        if isinstance(value, np.ndarray) and value.dtype != dtype:
            state[name] = value.astype(dtype)


def _short(value: Any) -> str:
    if np.ndim(value):
        return f"array{np.shape(value)}"
    return f"{float(value):g}"
