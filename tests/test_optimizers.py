"""The update rules: hand-worked steps, batching, dict params, conventions and errors."""

import numpy as np
import pytest

import optlib
from optlib import SGD, AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSProp
from optlib.problems import quadratic, rosenbrock

# ---------------------------------------------------------------------------------------
# The first two steps, worked out by hand. One parameter starts at 2.0; the gradients are
# given (g1 = 1.0, then g2 = -0.5) so every number below is plain arithmetic.
G1, G2 = 1.0, -0.5


def two_steps(opt):
    p = np.array([2.0])
    out = []
    for g in (G1, G2):
        opt.step(p, np.array([g]))
        out.append(p[0])
    return out


HAND = {
    "SGD": (SGD(lr=0.1), [2 - 0.1 * 1.0, 1.9 + 0.1 * 0.5]),
    # b1 = g1 = 1; b2 = 0.9 * 1 - 0.5 = 0.4
    "Momentum": (Momentum(lr=0.1, momentum=0.9), [1.9, 1.9 - 0.1 * 0.4]),
    # the first buffer is undamped: b1 = 1; b2 = 0.9 + (1 - 0.5)(-0.5) = 0.65
    "Momentum, dampening": (Momentum(lr=0.1, momentum=0.9, dampening=0.5), [1.9, 1.9 - 0.065]),
    # v1 = -0.1; v2 = 0.9(-0.1) - 0.1(-0.5) = -0.04
    "Momentum, cs231n": (Momentum(lr=0.1, momentum=0.9, convention="cs231n"), [1.9, 1.86]),
    # d1 = g1 + 0.9 b1 = 1.9; d2 = -0.5 + 0.9 * 0.4 = -0.14
    "Nesterov": (Nesterov(lr=0.1, momentum=0.9), [2 - 0.19, 1.81 + 0.014]),
    # p1 = 2 + 1.9 v1 = 1.81; p2 = 1.81 - 0.9 v1 + 1.9 v2 = 1.81 + 0.09 - 0.076
    "Nesterov, cs231n": (Nesterov(lr=0.1, momentum=0.9, convention="cs231n"), [1.81, 1.824]),
    # r1 = 1, r2 = 1.25
    "AdaGrad": (
        AdaGrad(lr=0.1),
        [2 - 0.1 / (1 + 1e-10), 2 - 0.1 / (1 + 1e-10) + 0.05 / (np.sqrt(1.25) + 1e-10)],
    ),
    "AdaGrad, eps inside": (
        AdaGrad(lr=0.1, eps=1e-4, eps_inside_sqrt=True),
        [2 - 0.1 / np.sqrt(1 + 1e-4), 2 - 0.1 / np.sqrt(1 + 1e-4) + 0.05 / np.sqrt(1.25 + 1e-4)],
    ),
    # r0 = 0.1: r1 = 1.1; lr_decay 0.5: step 2 uses 0.1 / (1 + 0.5)
    "AdaGrad, r0 and lr_decay": (
        AdaGrad(lr=0.1, lr_decay=0.5, initial_accumulator_value=0.1),
        [
            2 - 0.1 / (np.sqrt(1.1) + 1e-10),
            2 - 0.1 / (np.sqrt(1.1) + 1e-10) + (0.1 / 1.5) * 0.5 / (np.sqrt(1.35) + 1e-10),
        ],
    ),
    # r1 = 0.1 * 1 = 0.1; r2 = 0.9 * 0.1 + 0.1 * 0.25 = 0.115
    "RMSProp": (
        RMSProp(lr=0.01, alpha=0.9),
        [
            2 - 0.01 / (np.sqrt(0.1) + 1e-8),
            2 - 0.01 / (np.sqrt(0.1) + 1e-8) + 0.005 / (np.sqrt(0.115) + 1e-8),
        ],
    ),
    # gbar1 = 0.1, r1 - gbar1² = 0.09; gbar2 = 0.09 - 0.05 = 0.04, 0.115 - 0.0016 = 0.1134
    "RMSProp, centered": (
        RMSProp(lr=0.01, alpha=0.9, centered=True),
        [
            2 - 0.01 / (np.sqrt(0.09) + 1e-8),
            2 - 0.01 / (np.sqrt(0.09) + 1e-8) + 0.005 / (np.sqrt(0.1134) + 1e-8),
        ],
    ),
    # b1 = 1/den1; b2 = 0.5 b1 - 0.5/den2
    "RMSProp, momentum": (
        RMSProp(lr=0.01, alpha=0.9, momentum=0.5),
        [
            2 - 0.01 / (np.sqrt(0.1) + 1e-8),
            2
            - 0.01 / (np.sqrt(0.1) + 1e-8)
            - 0.01 * (0.5 / (np.sqrt(0.1) + 1e-8) - 0.5 / (np.sqrt(0.115) + 1e-8)),
        ],
    ),
    # m1 = 0.1, v1 = 0.001 -> m̂ = 1, v̂ = 1; m2 = 0.04, v2 = 0.001249
    "Adam": (
        Adam(lr=0.1),
        [
            2 - 0.1 / (1 + 1e-8),
            2 - 0.1 / (1 + 1e-8) - 0.1 * (0.04 / 0.19) / (np.sqrt(0.001249 / 0.001999) + 1e-8),
        ],
    ),
    # "Adam (almost)": the first step is 0.1 / sqrt(0.001) = 3.16 times the learning rate
    "Adam, no bias correction": (
        Adam(lr=0.1, bias_correction=False),
        [
            2 - 0.1 * 0.1 / (np.sqrt(0.001) + 1e-8),
            2 - 0.1 * 0.1 / (np.sqrt(0.001) + 1e-8) - 0.1 * 0.04 / (np.sqrt(0.001249) + 1e-8),
        ],
    ),
    # Keras' form: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t), eps added to sqrt(v)
    "Adam, folded": (
        Adam(lr=0.1, folded=True),
        [
            2 - 0.1 * np.sqrt(0.001) / 0.1 * 0.1 / (np.sqrt(0.001) + 1e-8),
            2
            - 0.1 * np.sqrt(0.001) / 0.1 * 0.1 / (np.sqrt(0.001) + 1e-8)
            - 0.1 * np.sqrt(0.001999) / 0.19 * 0.04 / (np.sqrt(0.001249) + 1e-8),
        ],
    ),
    # L2 inside Adam: g1 = 1 + 0.1 * 2 = 1.2, so m̂1 = 1.2 and sqrt(v̂1) = 1.2
    "Adam, weight_decay": (Adam(lr=0.1, weight_decay=0.1), [2 - 0.1 * 1.2 / (1.2 + 1e-8), None]),
    # AdamW: shrink first, 2 (1 - 0.1 * 0.1) = 1.98, then the plain Adam step
    "AdamW": (AdamW(lr=0.1, weight_decay=0.1), [1.98 - 0.1 / (1 + 1e-8), None]),
}


@pytest.mark.parametrize("name", HAND)
def test_first_two_steps_by_hand(name):
    opt, expected = HAND[name]
    got = two_steps(opt)
    for g, e in zip(got, expected, strict=True):
        if e is not None:
            assert g == pytest.approx(e, rel=1e-14, abs=1e-15)


# ---------------------------------------------------------------------------------------
# One batched call equals every configuration run alone, bit for bit.
GRIDS = {
    SGD: {"lr": [1e-4, 5e-4, 1e-3]},
    Momentum: {"lr": [1e-4, 5e-4, 1e-3], "momentum": [0.0, 0.5, 0.9], "dampening": [0, 0.1, 0]},
    Nesterov: {"lr": [1e-4, 5e-4, 1e-3], "momentum": [0.3, 0.6, 0.9]},
    AdaGrad: {"lr": [0.01, 0.1, 0.3], "eps": [1e-10, 1e-6, 1e-3], "lr_decay": [0, 0.01, 0.1]},
    RMSProp: {"lr": [1e-3, 1e-2, 3e-2], "alpha": [0.9, 0.99, 0.5], "momentum": [0, 0.5, 0.9]},
    Adam: {"lr": [1e-3, 1e-2, 5e-2], "weight_decay": [0, 0.01, 0.1]},
    AdamW: {"lr": [1e-3, 1e-2, 5e-2], "weight_decay": [0, 0.01, 0.1], "eps": [1e-8, 1e-6, 1e-4]},
}


@pytest.mark.parametrize("cls", list(GRIDS), ids=lambda c: c.__name__)
def test_batched_run_equals_single_runs(cls):
    grid = GRIDS[cls]
    n = len(grid["lr"])
    batched = optlib.run(
        cls(**{k: np.array(v, float)[:, None] for k, v in grid.items()}),
        rosenbrock,
        steps=60,
        tol=None,
    )
    assert batched.path.shape == (61, n, 2)
    for i in range(n):
        alone = optlib.run(
            cls(**{k: v[i] for k, v in grid.items()}), rosenbrock, steps=60, tol=None
        )
        assert np.array_equal(
            alone.path[:, 0] if alone.path.ndim == 3 else alone.path, batched.path[:, i]
        )
        assert batched.outcome[i] == alone.outcome


# AMSGrad: g1 = 1, then g2 = 0.01, so v2 = 0.999e-3 + 1e-3 * 1e-4 = 0.0009991 < v1 = 0.001 and
# the second step divides by sqrt(v1 / (1 - 0.999**2)) where Adam divides by sqrt(v2 / ...).
# m2 = 0.09 + 0.001 = 0.091, m̂2 = 0.091 / 0.19.
def test_amsgrad_by_hand():
    for cls in (Adam, AdamW):
        kw = {"weight_decay": 0.0} if cls is AdamW else {}
        p, plain = np.array([2.0]), np.array([2.0])
        ams, adam = cls(lr=0.1, amsgrad=True, **kw), cls(lr=0.1, **kw)
        for g in (1.0, 0.01):
            ams.step(p, np.array([g]))
            adam.step(plain, np.array([g]))
        p1 = 2 - 0.1 / (1 + 1e-8)
        expected = p1 - 0.1 * (0.091 / 0.19) / (np.sqrt(0.001 / 0.001999) + 1e-8)
        without = p1 - 0.1 * (0.091 / 0.19) / (np.sqrt(0.0009991 / 0.001999) + 1e-8)
        assert p[0] == pytest.approx(expected, rel=1e-14)
        assert plain[0] == pytest.approx(without, rel=1e-14)
        assert abs(expected - without) > 1e-5  # the two really differ here
        assert ams.state[None]["v_max"][0] == pytest.approx(0.001, rel=1e-14)


@pytest.mark.parametrize("cls", [Adam, AdamW], ids=lambda c: c.__name__)
def test_amsgrad_batched_run_equals_single_runs(cls):
    grid = {"lr": [1e-3, 1e-2, 5e-2], "eps": [1e-8, 1e-6, 1e-4], "weight_decay": [0, 0.01, 0.1]}
    batched = optlib.run(
        cls(amsgrad=True, **{k: np.array(v)[:, None] for k, v in grid.items()}),
        rosenbrock,
        steps=80,
        tol=None,
    )
    for i in range(3):
        alone = optlib.run(
            cls(amsgrad=True, **{k: v[i] for k, v in grid.items()}), rosenbrock, steps=80, tol=None
        )
        assert np.array_equal(alone.path, batched.path[:, i])
        plain = optlib.run(
            cls(**{k: v[i] for k, v in grid.items()}), rosenbrock, steps=80, tol=None
        )
        assert np.max(np.abs(plain.path - alone.path)) > 1e-6


def test_adam_betas_broadcast():
    b1 = np.array([0.0, 0.5, 0.9])[:, None]
    batched = optlib.run(Adam(lr=0.01, betas=(b1, 0.99)), rosenbrock, steps=30, tol=None)
    for i, beta1 in enumerate(b1[:, 0]):
        alone = optlib.run(Adam(lr=0.01, betas=(beta1, 0.99)), rosenbrock, steps=30, tol=None)
        assert np.array_equal(alone.path, batched.path[:, i])


@pytest.mark.parametrize("cls", optlib.ALL, ids=lambda c: c.__name__)
def test_dict_params_equal_array_params(cls):
    rng = np.random.default_rng(0)
    shapes = {"W": (3, 2), "b": (2,)}
    params = {k: rng.normal(size=s) for k, s in shapes.items()}
    flat = np.concatenate([params["W"].ravel(), params["b"]])
    opt_dict, opt_flat = cls(lr=0.05), cls(lr=0.05)
    for _ in range(4):
        grads = {k: rng.normal(size=s) for k, s in shapes.items()}
        opt_dict.step(params, grads)
        opt_flat.step(flat, np.concatenate([grads["W"].ravel(), grads["b"]]))
    assert np.array_equal(np.concatenate([params["W"].ravel(), params["b"]]), flat)


@pytest.mark.parametrize("cls", optlib.ALL, ids=lambda c: c.__name__)
def test_step_is_in_place_and_reset_restarts(cls):
    q = quadratic(10)
    opt = cls(lr=0.05)
    p = q.start.copy()
    same = p
    trace = []
    for _ in range(3):
        assert opt.step(p, q.grad(p)) is None
        trace.append(p.copy())
    assert same is p and opt.t == 3 and opt.state
    opt.reset()
    assert opt.t == 0 and not opt.state
    p2 = q.start.copy()
    for expected in trace:
        opt.step(p2, q.grad(p2))
        assert np.array_equal(p2, expected)


# ---------------------------------------------------------------------------------------
# Conventions: where sources differ, the named options give the other forms.
def run_path(opt, steps=100, problem=rosenbrock):
    return optlib.run(opt, problem, steps=steps, tol=None).path


def test_momentum_forms_agree_with_constant_lr():
    for nesterov in (False, True):
        torch_form = run_path(Momentum(lr=1e-3, momentum=0.9, nesterov=nesterov))
        cs231n_form = run_path(
            Momentum(lr=1e-3, momentum=0.9, nesterov=nesterov, convention="cs231n")
        )
        assert np.max(np.abs(torch_form - cs231n_form)) < 1e-12


def test_momentum_forms_differ_once_lr_changes():
    schedule = lambda t: 2e-3 * 0.97**t  # noqa: E731
    torch_form = run_path(Momentum(lr=schedule, momentum=0.9))
    cs231n_form = run_path(Momentum(lr=schedule, momentum=0.9, convention="cs231n"))
    # the velocity form keeps old, larger learning rates inside v
    assert np.max(np.abs(torch_form - cs231n_form)) > 1e-2
    # ... and is exactly the velocity recursion, checked by hand on the quadratic
    q, p = quadratic(10), quadratic(10).start.copy()
    v = np.zeros(2)
    opt = Momentum(lr=schedule, momentum=0.9, convention="cs231n")
    mine = p.copy()
    for t in range(20):
        v = 0.9 * v - schedule(t) * q.grad(p)
        p = p + v
        opt.step(mine, q.grad(mine))
    assert np.allclose(mine, p, rtol=1e-13, atol=1e-15)


def test_adam_folded_form_is_algorithm_1_with_a_shrinking_eps():
    """Keras' folded form equals Algorithm 1 with eps replaced by eps / sqrt(1 - b2^t)."""
    q = quadratic(10)
    eps, b1, b2, lr = 1e-3, 0.9, 0.999, 0.05  # a large eps makes the difference visible
    folded = run_path(Adam(lr=lr, eps=eps, folded=True), 50, q)
    algo1 = run_path(Adam(lr=lr, eps=eps), 50, q)
    # theory, written out: Algorithm 1 with eps_t = eps / sqrt(1 - b2**t)
    p, m, v = q.start.copy(), np.zeros(2), np.zeros(2)
    for t in range(1, 51):
        g = q.grad(p)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        eps_t = eps / np.sqrt(1 - b2**t)
        p = p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps_t)
    assert np.allclose(folded[-1], p, rtol=1e-12, atol=1e-14)
    assert np.max(np.abs(folded - algo1)) > 1e-3


def test_adam_without_bias_correction_takes_a_3_16_times_larger_first_step():
    p = np.array([1.0])
    Adam(lr=1e-3, bias_correction=False).step(p, np.array([5.0]))
    assert (1.0 - p[0]) / 1e-3 == pytest.approx(1 / np.sqrt(1e-3) * 0.1, rel=1e-6)  # 3.162
    q = np.array([1.0])
    Adam(lr=1e-3).step(q, np.array([5.0]))
    assert (1.0 - q[0]) / 1e-3 == pytest.approx(1.0, rel=1e-6)


def test_adamw_decay_differs_from_l2_in_adam():
    q = quadratic(10)
    l2 = run_path(Adam(lr=0.05, weight_decay=0.5), 100, q)
    decoupled = run_path(AdamW(lr=0.05, weight_decay=0.5), 100, q)
    assert np.max(np.abs(l2 - decoupled)) > 1e-2
    # with no decay the two are the same optimizer
    assert np.array_equal(
        run_path(Adam(lr=0.05), 50, q), run_path(AdamW(lr=0.05, weight_decay=0.0), 50, q)
    )


def test_eps_inside_the_root_changes_adagrad_and_rmsprop():
    for cls in (AdaGrad, RMSProp):
        outside = run_path(cls(lr=0.05, eps=1e-2), 50, quadratic(10))
        inside = run_path(cls(lr=0.05, eps=1e-2, eps_inside_sqrt=True), 50, quadratic(10))
        assert np.max(np.abs(outside - inside)) > 1e-4


def test_schedule_is_called_with_completed_steps():
    # step t uses lr(t - 1): 0.1, 0.2, 0.3 for the first three steps
    opt = SGD(lr=lambda t: 0.1 * (t + 1))
    p = np.zeros(2)
    for _ in range(3):
        opt.step(p, np.ones(2))
    assert np.allclose(p, -(0.1 + 0.2 + 0.3), rtol=1e-15)
    assert opt.hyperparameters()["lr"] == 0.1  # a schedule is reported by its first value


def test_array_schedule_sets_the_batch_of_a_run():
    lr0 = np.array([1e-3, 1e-2, 1e-1])[:, None]
    result = optlib.run(SGD(lr=lambda t: lr0 * 0.99**t), quadratic(10), steps=20, tol=None)
    assert result.batch_shape == (3,)
    alone = optlib.run(SGD(lr=lambda t: 1e-2 * 0.99**t), quadratic(10), steps=20, tol=None)
    assert np.array_equal(alone.path, result.path[:, 1])


def test_schedule_may_reach_zero_but_not_below():
    p = np.ones(2)
    SGD(lr=lambda t: 0.0).step(p, np.ones(2))
    assert np.array_equal(p, np.ones(2))


# ---------------------------------------------------------------------------------------
# Every ValueError path names the parameter and its range.
BAD = [
    (SGD, {"lr": 0.0}, "lr"),
    (SGD, {"lr": -1e-3}, "lr"),
    (SGD, {"lr": np.nan}, "lr"),
    (SGD, {"lr": np.inf}, "lr"),
    (SGD, {"lr": np.array([[0.1], [-0.1]])}, "lr"),
    (SGD, {"weight_decay": -0.1}, "weight_decay"),
    (Momentum, {"momentum": 1.0}, "momentum"),
    (Momentum, {"momentum": -0.1}, "momentum"),
    (Momentum, {"dampening": 1.5}, "dampening"),
    (Momentum, {"momentum": 0.0, "nesterov": True}, "nesterov"),
    (Momentum, {"dampening": 0.1, "nesterov": True}, "nesterov"),
    (Momentum, {"convention": "keras"}, "convention"),
    (Momentum, {"dampening": 0.1, "convention": "cs231n"}, "dampening"),
    (Nesterov, {"momentum": 0.0}, "nesterov"),
    (AdaGrad, {"eps": 0.0}, "eps"),
    (AdaGrad, {"lr_decay": -1.0}, "lr_decay"),
    (AdaGrad, {"initial_accumulator_value": -0.1}, "initial_accumulator_value"),
    (RMSProp, {"alpha": 1.0}, "alpha"),
    (RMSProp, {"alpha": -0.5}, "alpha"),
    (RMSProp, {"eps": -1e-8}, "eps"),
    (RMSProp, {"momentum": 1.2}, "momentum"),
    (Adam, {"betas": (1.0, 0.999)}, r"betas\[0\]"),
    (Adam, {"betas": (0.9, 1.5)}, r"betas\[1\]"),
    (Adam, {"betas": (0.9,)}, "betas"),
    (Adam, {"eps": 0.0}, "eps"),
    (Adam, {"weight_decay": -1.0}, "weight_decay"),
    (Adam, {"folded": True, "bias_correction": False}, "folded"),
    (AdamW, {"weight_decay": -0.01}, "weight_decay"),
]


@pytest.mark.parametrize("cls, kwargs, name", BAD, ids=[f"{c.__name__}-{k}" for c, k, _ in BAD])
def test_bad_hyperparameters_raise_at_construction(cls, kwargs, name):
    with pytest.raises(ValueError, match=name):
        cls(**kwargs)


def test_range_is_in_the_message():
    with pytest.raises(ValueError, match=r"lr must be finite and in \(0, inf\); got -1"):
        SGD(lr=-1.0)
    with pytest.raises(ValueError, match=r"momentum must be finite and in \[0, 1\)"):
        Momentum(momentum=1.0)


def test_mismatched_params_and_grads_raise():
    opt = Adam()
    with pytest.raises(ValueError, match=r"shape \(3,\), expected \(2,\)"):
        opt.step(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="missing \\['b'\\], unexpected \\['c'\\]"):
        opt.step({"a": np.zeros(2), "b": np.zeros(2)}, {"a": np.zeros(2), "c": np.zeros(2)})
    with pytest.raises(ValueError, match="must be a dict"):
        opt.step({"a": np.zeros(2)}, np.zeros(2))
    with pytest.raises(ValueError, match="not a dict"):
        opt.step(np.zeros(2), {"a": np.zeros(2)})
    with pytest.raises(ValueError, match="float numpy array"):
        opt.step(np.zeros(2, dtype=int), np.zeros(2))
    with pytest.raises(ValueError, match="does not broadcast"):
        SGD(lr=np.full((5, 1), 0.1)).step(np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="lr schedule value at step 0"):
        SGD(lr=lambda t: -0.1).step(np.zeros(2), np.zeros(2))


# torch 2.13's defaults, read from torch/optim/*.py (REFERENCES.md lists them too).
TORCH_DEFAULTS = {
    SGD: {"lr": 1e-3, "weight_decay": 0.0},
    Momentum: {"lr": 1e-3, "dampening": 0.0, "weight_decay": 0.0},
    AdaGrad: {"lr": 1e-2, "lr_decay": 0.0, "eps": 1e-10, "initial_accumulator_value": 0.0},
    RMSProp: {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "weight_decay": 0.0},
    Adam: {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0},
    AdamW: {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-2},
}


@pytest.mark.parametrize("cls", list(TORCH_DEFAULTS), ids=lambda c: c.__name__)
def test_defaults_are_torchs(cls):
    hyper = cls().hyperparameters()
    for name, value in TORCH_DEFAULTS[cls].items():
        assert hyper[name] == value, name
    # Momentum and Nesterov default to momentum 0.9 (torch's SGD defaults to 0: plain SGD)
    assert Momentum().momentum == Nesterov().momentum == 0.9


def test_rmsprop_eps_inside_the_root_by_hand():
    # r1 = 0.1, r2 = 0.115 as for RMSProp above; optax's default puts eps under the root
    opt = RMSProp(lr=0.01, alpha=0.9, eps=1e-4, eps_inside_sqrt=True)
    first = 2 - 0.01 / np.sqrt(0.1 + 1e-4)
    assert two_steps(opt) == pytest.approx(
        [first, first + 0.005 / np.sqrt(0.115 + 1e-4)], rel=1e-14
    )


# ---------------------------------------------------------------------------------------
# Options of optax and Keras, against their update rules written out from their sources
# (optax 0.2.8's scale_by_adam / scale_by_rms / trace, Keras 3's Adam and weight decay).
def optax_adam(q, steps, lr, b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0, nesterov=False):
    p, mu, nu = q.start.copy(), np.zeros(2), np.zeros(2)
    for count in range(1, steps + 1):
        g = q.grad(p)
        mu, nu = (1 - b1) * g + b1 * mu, (1 - b2) * g**2 + b2 * nu
        if nesterov:
            mu_hat = b1 * (mu / (1 - b1 ** (count + 1))) + (1 - b1) * (g / (1 - b1**count))
        else:
            mu_hat = mu / (1 - b1**count)
        nu_hat = nu / (1 - b2**count)
        p = p - lr * mu_hat / (np.sqrt(nu_hat + eps_root) + eps)
    return p


def optax_rmsprop(q, steps, lr, decay, eps, initial_scale, bias_correction, momentum, nesterov):
    # chain(scale_by_rms(eps_in_sqrt=False), scale_by_learning_rate, trace(momentum, nesterov))
    p, nu, trace = q.start.copy(), np.full(2, initial_scale), np.zeros(2)
    for count in range(1, steps + 1):
        g = q.grad(p)
        nu = (1 - decay) * g**2 + decay * nu
        nu_hat = nu / (1 - decay**count) if bias_correction else nu
        u = lr * g / (np.sqrt(nu_hat) + eps)
        trace = u + momentum * trace
        p = p - (u + momentum * trace if nesterov else trace)
    return p


@pytest.mark.parametrize(
    "options", [dict(eps_root=1e-3), dict(nesterov=True), dict(nesterov=True, eps_root=1e-4)]
)
def test_adam_options_of_optax(options):
    q = quadratic(10)
    ours = optlib.run(Adam(lr=0.05, eps=1e-6, **options), q, steps=40, tol=None).final
    assert np.allclose(ours, optax_adam(q, 40, 0.05, eps=1e-6, **options), rtol=1e-12, atol=1e-14)
    plain = optlib.run(Adam(lr=0.05, eps=1e-6), q, steps=40, tol=None).final
    assert np.max(np.abs(ours - plain)) > 1e-4  # the option changes the path


@pytest.mark.parametrize(
    "options",
    [
        dict(initial_accumulator_value=1.0),  # TF1's start
        dict(bias_correction=True),
        dict(momentum=0.5, nesterov=True),
        dict(momentum=0.5, nesterov=True, bias_correction=True, initial_accumulator_value=0.1),
    ],
)
def test_rmsprop_options_of_optax(options):
    q = quadratic(10)
    ours = optlib.run(RMSProp(lr=0.01, alpha=0.9, **options), q, steps=40, tol=None).final
    full = dict(initial_scale=0.0, bias_correction=False, momentum=0.0, nesterov=False)
    full.update(options)
    full["initial_scale"] = full.pop("initial_accumulator_value", 0.0)
    assert np.allclose(ours, optax_rmsprop(q, 40, 0.01, 0.9, 1e-8, **full), rtol=1e-12, atol=1e-14)
    plain = optlib.run(RMSProp(lr=0.01, alpha=0.9), q, steps=40, tol=None).final
    assert np.max(np.abs(ours - plain)) > 1e-4


def test_centered_rmsprop_bias_correction_corrects_both_averages():
    # optax's scale_by_stddev: mu_hat and nu_hat are both divided by 1 - decay^t
    g1 = 1.0
    p = np.array([2.0])
    RMSProp(lr=0.01, alpha=0.9, centered=True, bias_correction=True).step(p, np.array([g1]))
    # r̂1 = g1², ḡ̂1 = g1: the centred denominator is √(1 − 1) + ε = ε
    assert p[0] == pytest.approx(2 - 0.01 * g1 / 1e-8, rel=1e-6)


def test_keras_adamw_is_folded_adamw():
    """Keras 3: variable -= variable * wd * lr, then Adam's folded update (m += (g - m)(1 - b1))."""
    q, lr, wd, b1, b2, eps = quadratic(10), 0.05, 0.1, 0.9, 0.999, 1e-3
    p, m, v = q.start.copy(), np.zeros(2), np.zeros(2)
    for t in range(1, 31):
        g = q.grad(p)
        p = p - p * wd * lr
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        p = p - m * alpha / (np.sqrt(v) + eps)
    opt = AdamW(lr=lr, weight_decay=wd, eps=eps, folded=True)
    ours = optlib.run(opt, q, steps=30, tol=None).final
    assert np.allclose(ours, p, rtol=1e-12, atol=1e-14)
    unfolded = optlib.run(AdamW(lr=lr, weight_decay=wd, eps=eps), q, steps=30, tol=None).final
    assert np.max(np.abs(ours - unfolded)) > 1e-4


def test_maximize_ascends_and_negates_before_the_decay():
    # torch: g ← −g, then g ← g + λ_wd θ. With g = 1 and λ_wd θ = 0.5 · 2 the step is 0
    # (negating after the decay would step by 0.1 · 2).
    p = np.array([2.0])
    SGD(lr=0.1, weight_decay=0.5, maximize=True).step(p, np.array([1.0]))
    assert p[0] == 2.0
    for cls in optlib.ALL:
        up, down = np.array([1.0, -2.0]), np.array([1.0, -2.0])
        opt_up, opt_down = cls(lr=0.1, maximize=True), cls(lr=0.1)
        for _ in range(3):
            opt_up.step(up, -2 * up)  # maximising −‖θ‖² ...
            opt_down.step(down, 2 * down)  # ... is minimising ‖θ‖², bit for bit
        assert np.array_equal(up, down), cls.__name__


@pytest.mark.parametrize(
    "kwargs",
    [dict(folded=True, eps_root=1e-3), dict(bias_correction=False, nesterov=True)],
)
def test_optax_options_need_algorithm_1(kwargs):
    with pytest.raises(ValueError, match="options of Algorithm 1"):
        Adam(**kwargs)


def test_rmsprop_nesterov_needs_momentum():
    with pytest.raises(ValueError, match="nesterov=True needs momentum"):
        RMSProp(nesterov=True)
