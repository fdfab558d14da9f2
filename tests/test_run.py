"""optlib.run: statuses, the tidy DataFrame, batching, noise and argument checks."""

import warnings

import numpy as np
import pytest

import optlib
from optlib import SGD, Adam, Momentum, run
from optlib.problems import quadratic, rosenbrock, saddle


def test_divergence_is_reported_with_its_step_and_no_warnings():
    # On ½(x² + 10y²) with lr = 1 the y coordinate is multiplied by 1 - 10 = -9 per step.
    q = quadratic(10)
    start = np.array([1.0, 1.0])
    f0 = q.f(start)
    loss_y = lambda t: 0.5 * 10 * 81.0**t  # noqa: E731  (x is 0 after the first step)
    expected = next(t for t in range(1, 100) if loss_y(t) > 1e8 * (f0 + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        result = run(SGD(lr=1.0), q, start, steps=500)
        huge = run(SGD(lr=1e200), q, start, steps=50)  # overflows to inf/nan at once
    assert result.outcome[()] == "diverged"
    assert result.stop_step[()] == expected
    assert result.status.loc[0, "status"] == "diverged"
    assert result.df.step.max() == expected
    assert huge.outcome[()] == "diverged" and huge.stop_step[()] == 1


def test_convergence_and_max_steps():
    q = quadratic(10)
    converged = run(SGD(lr=0.1), q, steps=1000, tol=1e-8)
    assert converged.outcome[()] == "converged"
    k = converged.stop_step[()]
    assert converged.grad_norm[k] <= 1e-8 < converged.grad_norm[k - 1]
    slow = run(SGD(lr=1e-4), q, steps=50, tol=1e-8)
    assert slow.outcome[()] == "max_steps" and slow.stop_step[()] == 50
    never = run(SGD(lr=0.1), q, steps=300, tol=None)
    assert never.outcome[()] == "max_steps" and len(never.path) == 301


def test_each_run_stops_on_its_own_and_is_frozen():
    lrs = np.array([1e-4, 0.1, 1.0])[:, None]  # too slow, converges, diverges
    result = run(SGD(lr=lrs), quadratic(10), np.array([1.0, 1.0]), steps=400, tol=1e-8)
    assert list(result.outcome) == ["max_steps", "converged", "diverged"]
    k = result.stop_step[1]
    assert np.all(result.path[k:, 1] == result.path[k, 1])  # frozen after it converged
    per_run = result.df.groupby("run").step.max()
    assert list(per_run) == list(result.stop_step)


def test_tidy_dataframe_columns_and_values():
    result = run(
        Momentum(lr=np.array([1e-3, 2e-3])[:, None], momentum=0.9), rosenbrock, steps=20, tol=None
    )
    df = result.df
    assert list(df.columns[:7]) == ["run", "step", "x", "y", "loss", "grad_norm", "optimizer"]
    assert {"lr", "momentum", "dampening", "weight_decay"} <= set(df.columns)
    assert len(df) == 2 * 21
    row = df[(df.run == 1) & (df.step == 20)].iloc[0]
    assert row.lr == 2e-3 and row.optimizer == "Momentum"
    assert row.x == result.path[20, 1, 0] and row.loss == rosenbrock.f(result.path[20, 1])
    assert row.grad_norm == pytest.approx(np.linalg.norm(rosenbrock.grad(result.path[20, 1])))
    status = result.status
    assert list(status.status) == ["max_steps", "max_steps"] and list(status.lr) == [1e-3, 2e-3]


def test_batch_of_starts_equals_single_starts():
    starts = np.array([[-1.5, 2.0], [0.0, 0.0], [1.2, 1.0]])
    batched = run(Adam(lr=0.02), rosenbrock, starts, steps=80, tol=None)
    for i, s in enumerate(starts):
        assert np.array_equal(
            run(Adam(lr=0.02), rosenbrock, s, steps=80, tol=None).path, batched.path[:, i]
        )


def test_grid_of_starts_and_configurations_broadcast():
    starts = np.zeros((4, 3, 2)) + np.array([0.5, 0.5])
    result = run(SGD(lr=np.array([1e-3, 1e-2, 1e-1])[:, None]), quadratic(10), starts, steps=5)
    assert result.batch_shape == (4, 3)
    assert result.hyperparameters["lr"].shape == (4, 3)


def test_noise_is_seeded_and_helps_leave_the_saddle():
    start = np.array([1.0, 0.0])  # exactly on the stable manifold: plain GD never leaves
    plain = run(SGD(lr=0.1), saddle, start, steps=100, tol=None)
    assert np.all(plain.path[:, 1] == 0)
    a = run(SGD(lr=0.1), saddle, start, steps=100, tol=None, noise=0.01, seed=3)
    b = run(SGD(lr=0.1), saddle, start, steps=100, tol=None, noise=0.01, seed=3)
    c = run(SGD(lr=0.1), saddle, start, steps=100, tol=None, noise=0.01, seed=4)
    assert np.array_equal(a.path, b.path) and not np.array_equal(a.path, c.path)
    assert abs(a.final[1]) > 1.0  # noise pushed it off the saddle


def test_run_resets_the_optimizer():
    opt = Adam(lr=0.01)
    first = run(opt, rosenbrock, steps=30, tol=None)
    second = run(opt, rosenbrock, steps=30, tol=None)
    assert np.array_equal(first.path, second.path)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"steps": 0}, "steps"),
        ({"steps": 2.5}, "steps"),
        ({"tol": -1.0}, "tol"),
        ({"noise": -0.1}, "noise"),
        ({"noise": np.nan}, "noise"),
        ({"blowup": 1.0}, "blowup"),
        ({"start": np.zeros(3)}, "start"),
    ],
)
def test_bad_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=name):
        run(SGD(lr=0.1), quadratic(10), **kwargs)


def test_not_an_optimizer_raises():
    with pytest.raises(ValueError, match="optimizer"):
        run("adam", quadratic(10))


def test_hyperparameters_that_do_not_broadcast_raise():
    with pytest.raises(ValueError):
        run(SGD(lr=np.ones((3, 1))), quadratic(10), np.zeros((4, 2)))


def test_all_optimizers_reach_the_quadratic_minimum():
    q = quadratic(10)
    settings = {
        "SGD": 0.1,
        "Momentum": 0.05,
        "Nesterov": 0.05,
        "AdaGrad": 1.0,
        "RMSProp": 0.01,
        "Adam": 0.05,
        "AdamW": 0.05,
    }
    for cls in optlib.ALL:
        kwargs = {"lr": settings[cls.__name__]}
        if cls is optlib.AdamW:
            kwargs["weight_decay"] = 0.0
        result = run(cls(**kwargs), q, steps=3000, tol=1e-3)
        assert result.outcome[()] == "converged", cls.__name__
