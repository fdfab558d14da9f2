"""Record torch.optim trajectories as small JSON fixtures for tests/test_torch_reference.py.

torch is needed only here, never at run time:

    pip install torch==2.13.0        # CPU build
    python scripts/make_torch_fixtures.py

Each case names an optlib optimizer and its keyword arguments, which are torch's own names;
the torch class is the one optlib's contract says it reproduces. Cases with
``maximize=True`` are given the gradient of -f. Trajectories run in
float64 on Rosenbrock and on an ill-conditioned, rotated quadratic; the fixture stores every
5th point of each path.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import torch

from optlib.problems import quadratic, rosenbrock

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "torch_trajectories.json"
STEPS, EVERY = 200, 5

TORCH_CLASS = {
    "SGD": (torch.optim.SGD, {}),
    "Momentum": (torch.optim.SGD, {}),
    "Nesterov": (torch.optim.SGD, {"nesterov": True}),
    "AdaGrad": (torch.optim.Adagrad, {}),
    "RMSProp": (torch.optim.RMSprop, {}),
    "Adam": (torch.optim.Adam, {}),
    "AdamW": (torch.optim.AdamW, {}),
}

# (optlib class, kwargs, decay): decay > 0 adds torch's LambdaLR(lambda k: decay**k).
# Cases whose trajectory amplifies round-off (a 1e-15 change of the start grows to 1e-7 in
# 200 steps, as with heavy momentum on Rosenbrock) cannot be compared to 1e-12 by any
# implementation that does not repeat torch's exact floating-point operations, so the cases
# below are kept well-conditioned; the test reports that sensitivity when a case fails.
CASES = [
    ("SGD", {"lr": 1e-3}, 0),
    ("SGD", {"lr": 1e-3, "weight_decay": 0.1}, 0),
    ("Momentum", {"lr": 1e-3, "momentum": 0.9}, 0),
    ("Momentum", {"lr": 1e-3, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05}, 0),
    ("Momentum", {"lr": 2e-3, "momentum": 0.9}, 0.99),
    ("Nesterov", {"lr": 1e-3, "momentum": 0.9}, 0),
    ("Nesterov", {"lr": 1e-3, "momentum": 0.9, "weight_decay": 0.01}, 0),
    ("AdaGrad", {"lr": 0.1}, 0),
    ("AdaGrad", {"lr": 0.5, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-6}, 0),
    ("RMSProp", {"lr": 1e-2}, 0),
    ("RMSProp", {"lr": 1e-3, "alpha": 0.99, "momentum": 0.5, "centered": True}, 0),
    ("RMSProp", {"lr": 1e-2, "alpha": 0.95, "weight_decay": 0.01, "eps": 1e-6}, 0),
    ("Adam", {"lr": 1e-2}, 0),
    ("Adam", {"lr": 5e-2, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.01}, 0),
    ("Adam", {"lr": 5e-2}, 0.98),
    ("AdamW", {"lr": 1e-2}, 0),
    ("AdamW", {"lr": 1e-2, "betas": [0.8, 0.95], "weight_decay": 0.1}, 0),
    # AMSGrad (issue 14): the running maximum of v replaces v once the gradients shrink
    ("Adam", {"lr": 1e-2, "amsgrad": True}, 0),
    (
        "Adam",
        {"lr": 5e-2, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.01, "amsgrad": True},
        0.98,
    ),
    ("AdamW", {"lr": 1e-2, "betas": [0.8, 0.95], "weight_decay": 0.1, "amsgrad": True}, 0),
    # maximize=True: these cases are given the gradient of -f, so they still descend f; the
    # weight decay tells whether g is negated before the decay is added (torch) or after
    ("SGD", {"lr": 1e-3, "weight_decay": 0.1, "maximize": True}, 0),
    ("Momentum", {"lr": 1e-3, "momentum": 0.5, "weight_decay": 0.05, "maximize": True}, 0),
    ("AdaGrad", {"lr": 0.1, "weight_decay": 0.05, "maximize": True}, 0),
    ("RMSProp", {"lr": 1e-2, "weight_decay": 0.01, "maximize": True}, 0),
    ("Adam", {"lr": 1e-2, "weight_decay": 0.01, "maximize": True}, 0),
    ("AdamW", {"lr": 1e-2, "weight_decay": 0.1, "maximize": True}, 0),
]

PROBLEMS = {
    "rosenbrock": (rosenbrock, [-1.5, 2.0]),
    "rotated_quadratic_k100": (quadratic(100.0, angle=0.5), [-2.5, 1.0]),
}


def torch_path(problem, start, name, kwargs, decay):
    cls, extra = TORCH_CLASS[name]
    kw = dict(kwargs, **extra)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = cls([theta], **kw)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: decay**k) if decay else None
    sign = -1.0 if kw.get("maximize") else 1.0  # maximize: ascend -f, i.e. descend f
    path = [theta.detach().numpy().copy()]
    for _ in range(STEPS):
        opt.zero_grad()
        theta.grad = torch.from_numpy(sign * problem.grad(theta.detach().numpy()))
        opt.step()
        if sched:
            sched.step()
        path.append(theta.detach().numpy().copy())
    return np.array(path)


def main() -> None:
    torch.set_default_dtype(torch.float64)
    cases = []
    for pname, (problem, start) in PROBLEMS.items():
        for name, kwargs, decay in CASES:
            path = torch_path(problem, start, name, kwargs, decay)
            cases.append(
                {
                    "problem": pname,
                    "start": start,
                    "optimizer": name,
                    "kwargs": kwargs,
                    "lr_decay_per_step": decay,
                    "steps": STEPS,
                    "every": EVERY,
                    "path": path[::EVERY].tolist(),
                }
            )
    meta = {"torch": torch.__version__, "python": platform.python_version(), "dtype": "float64"}
    OUT.write_text(json.dumps({"meta": meta, "cases": cases}, indent=0) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
