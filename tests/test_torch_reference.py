"""optlib against torch.optim: the same trajectories to float64 round-off.

The fixtures were recorded with torch 2.13.0 (CPU, float64) by
scripts/make_torch_fixtures.py; torch itself is not needed to run these tests.
"""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

import optlib
from optlib.problems import quadratic, rosenbrock

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "torch_trajectories.json").read_text())
PROBLEMS = {"rosenbrock": rosenbrock, "rotated_quadratic_k100": quadratic(100.0, angle=0.5)}
CASES = FIXTURE["cases"]


def case_id(case):
    extra = f", decay {case['lr_decay_per_step']}" if case["lr_decay_per_step"] else ""
    return f"{case['problem']}-{case['optimizer']}({case['kwargs']}{extra})"


def optlib_path(case, start_scale=1.0):
    kwargs = dict(case["kwargs"])
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    decay = case["lr_decay_per_step"]
    if decay:  # torch's LambdaLR(lambda k: decay**k): step t uses lr * decay**(t - 1)
        lr0 = kwargs.pop("lr")
        kwargs["lr"] = lambda k: lr0 * decay**k
    opt = getattr(optlib, case["optimizer"])(**kwargs)
    problem = PROBLEMS[case["problem"]]
    if kwargs.get("maximize"):  # the fixture ascends -f: give optlib the same gradient
        problem = dataclasses.replace(problem, grad=lambda p, grad=problem.grad: -grad(p))
    start = np.array(case["start"]) * start_scale
    return optlib.run(opt, problem, start, steps=case["steps"], tol=None).path


def test_fixture_was_made_with_the_pinned_torch():
    assert FIXTURE["meta"]["torch"].startswith("2.13.0")
    assert FIXTURE["meta"]["dtype"] == "float64"
    assert {c["optimizer"] for c in CASES} == {cls.__name__ for cls in optlib.ALL}
    assert {c["optimizer"] for c in CASES if c["kwargs"].get("amsgrad")} == {"Adam", "AdamW"}
    maximized = {c["optimizer"] for c in CASES if c["kwargs"].get("maximize")}
    assert maximized == {cls.__name__ for cls in optlib.ALL} - {"Nesterov"}


AMSGRAD = [c for c in CASES if c["kwargs"].get("amsgrad")]


@pytest.mark.parametrize("case", AMSGRAD, ids=[case_id(c) for c in AMSGRAD])
def test_amsgrad_fixtures_differ_from_adam(case):
    """An AMSGrad fixture tests the running maximum only if it changes the path."""
    plain = dict(case, kwargs={k: v for k, v in case["kwargs"].items() if k != "amsgrad"})
    difference = np.abs(optlib_path(plain)[:: case["every"]] - np.array(case["path"])).max()
    assert difference > 1e-4


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_trajectory_matches_torch(case):
    ours = optlib_path(case)[:: case["every"]]
    theirs = np.array(case["path"])
    assert ours.shape == theirs.shape
    rel = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1.0)
    if rel.max() > 1e-12:
        nudged = optlib_path(case, start_scale=1 + 1e-15)[:: case["every"]]
        sensitivity = np.abs(nudged - ours).max()
        pytest.fail(
            f"largest relative difference {rel.max():.3g}; this trajectory turns a 1e-15 "
            f"change of the start into {sensitivity:.3g} (above ~1e-13 the case amplifies "
            "round-off and should not be a fixture)"
        )
    assert np.abs(theirs[-1] - theirs[0]).max() > 1e-3  # the run really moved


def test_reference_numbers_from_the_references_file():
    """The final points REFERENCES.md lists for Rosenbrock, start (-1.5, 2), 200 steps."""
    expected = {
        optlib.SGD(lr=1e-3): (-1.306305101092, 1.714131968934),
        optlib.Momentum(lr=1e-3, momentum=0.9): (0.630271766208, 0.395393042894),
        optlib.Nesterov(lr=1e-3, momentum=0.9): (0.825749988262, 0.681088090435),
        optlib.Adam(lr=1e-2): (-1.349080965256, 1.826231038804),
    }
    for opt, point in expected.items():
        final = optlib.run(opt, rosenbrock, steps=200, tol=None).final
        assert np.allclose(final, point, rtol=0, atol=1e-11), type(opt).__name__
