"""optlib.models.MLP: gradients against finite differences, training, the configuration
axis, scikit-learn as a peer, and argument checks."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import optlib
from optlib.data import load_digits
from optlib.models import MLP, train


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def tiny_problem(seed=0, n=7, d=5, k=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, k, n)


def numerical_gradient(model, params, X, y, h=1e-6):
    grads = {}
    for key, p in params.items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = model.loss(params, X, y)
            p[idx] = old - h
            down = model.loss(params, X, y)
            p[idx] = old
            g[idx] = (np.sum(up) - np.sum(down)) / (2 * h)
        grads[key] = g
    return grads


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_every_gradient_matches_central_differences(activation, l2):
    model = MLP([5, 4, 6, 3], activation=activation, l2=l2)
    X, y = tiny_problem()
    params = model.init(3)
    rng = np.random.default_rng(1)
    for p in params.values():  # non-zero biases, so their gradients are tested too
        p += rng.normal(scale=0.2, size=p.shape)
    _, grads = model.loss_and_grads(params, X, y)
    numeric = numerical_gradient(model, params, X, y)
    assert list(grads) == list(params)
    for key in params:
        assert grads[key].shape == params[key].shape
        np.testing.assert_allclose(grads[key], numeric[key], rtol=1e-6, atol=1e-8, err_msg=key)


def test_gradients_with_a_configuration_axis_are_each_configurations_own():
    # With C networks, the gradient of the summed losses w.r.t. network c is network c's.
    model = MLP([5, 4, 3], activation="tanh", l2=0.1)
    X, y = tiny_problem(seed=2)
    params = model.init([4, 5])
    _, grads = model.loss_and_grads(params, X, y)
    numeric = numerical_gradient(model, params, X, y)
    for key in params:
        np.testing.assert_allclose(grads[key], numeric[key], rtol=1e-6, atol=1e-8, err_msg=key)


def test_zero_weights_give_log_k_and_the_textbook_gradient():
    model = MLP([5, 4, 3])
    X, y = tiny_problem()
    params = {k: np.zeros_like(v) for k, v in model.init(0).items()}
    loss, grads = model.loss_and_grads(params, X, y)
    assert loss == pytest.approx(np.log(3), abs=1e-15)
    onehot = np.eye(3)[y]
    np.testing.assert_allclose(grads["b2"], (1 / 3 - onehot).mean(axis=0), atol=1e-15)


def test_huge_logits_do_not_overflow():
    model = MLP([5, 4, 3])
    X, y = tiny_problem()
    params = model.init(0)
    params["W2"] *= 1e4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grads = model.loss_and_grads(params, X, y)
    assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads.values())


def test_init_follows_he_and_xavier_and_is_reproducible():
    relu = MLP([400, 300, 10]).init(0)
    tanh = MLP([400, 300, 10], activation="tanh").init(0)
    assert relu["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert tanh["W1"].std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    # the output layer is small whatever the hidden layers' scheme: N(0, 0.1**2 / d_in)
    for params in (relu, tanh):
        assert params["W2"].std() == pytest.approx(0.1 / np.sqrt(300), rel=0.05)
    assert not MLP([400, 300, 10], output_scale=0).init(0)["W2"].any()
    assert not relu["b1"].any()
    again = MLP([400, 300, 10]).init(0)
    assert all(np.array_equal(relu[k], again[k]) for k in relu)
    assert not np.array_equal(relu["W1"], MLP([400, 300, 10]).init(1)["W1"])


@pytest.mark.parametrize("sizes", [[64, 64, 10], [64, 128, 64, 10], [64, 10]])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_loss_at_initialisation_is_ln_k(digits, sizes, activation):
    # Karpathy's first sanity check: a fresh classifier guesses uniformly, so the loss is
    # ln 10 = 2.303 on every seed. He initialisation of the output layer gave about 3.
    model = MLP(sizes, activation=activation)
    loss = model.loss(model.init(list(range(16))), digits.train.X, digits.train.y)
    np.testing.assert_allclose(loss, np.log(10), atol=0.06)
    assert abs(loss.mean() - np.log(10)) < 0.02
    he_everywhere = MLP(sizes, activation=activation, output_scale=np.sqrt(2))
    if activation == "relu" and len(sizes) > 2:  # the old behaviour, for contrast
        assert he_everywhere.loss(he_everywhere.init(0), digits.train.X, digits.train.y) > 2.6


def test_batched_init_stacks_the_single_inits():
    model = MLP([6, 5, 4])
    batched = model.init([7, 8, 9])
    assert batched["W1"].shape == (3, 6, 5) and batched["b1"].shape == (3, 1, 5)
    for c, seed in enumerate([7, 8, 9]):
        single = model.init(seed)
        for key in single:
            np.testing.assert_array_equal(batched[key][c].reshape(single[key].shape), single[key])


def test_training_decreases_the_loss_and_learns_digits(digits):
    model = MLP([64, 32, 10], l2=1e-4)
    params = model.init(0)
    before = model.loss(params, digits.train.X, digits.train.y)
    history = train(
        model,
        params,
        optlib.Adam(lr=3e-3),
        digits.train.X,
        digits.train.y,
        epochs=5,
        batch_size=32,
        X_val=digits.val.X,
        y_val=digits.val.y,
    )
    after = model.loss(params, digits.train.X, digits.train.y)
    assert after < 0.2 * before
    assert np.all(np.diff(history.train_loss) < 0)
    assert history.val_accuracy.shape == (5,) and history.val_accuracy[-1] > 0.9
    assert history.seconds_per_epoch > 0 and not history.diverged


@pytest.mark.parametrize("cls", optlib.ALL, ids=lambda c: c.__name__)
def test_the_params_dict_works_with_every_optimizer(cls, digits):
    model = MLP([64, 16, 10])
    params = model.init(0)
    shapes = {k: v.shape for k, v in params.items()}
    X, y = digits.train.X[:200], digits.train.y[:200]
    opt = cls(lr=0.05 if cls in (optlib.SGD, optlib.AdaGrad) else 1e-3)
    before = model.loss(params, X, y)
    for _ in range(20):
        loss, grads = model.loss_and_grads(params, X, y)
        opt.step(params, grads)
    assert model.loss(params, X, y) < before
    assert {k: v.shape for k, v in params.items()} == shapes
    assert set(opt.state) == set(params)


def test_batched_configurations_train_exactly_as_one_at_a_time(digits):
    model = MLP([64, 16, 10], l2=1e-3)
    seeds = [3, 4, 5, 6]
    lr = np.array([1e-3, 1e-2, 1e-1, 10.0])  # the last one diverges, on its own
    params = model.init(seeds)
    batched = train(
        model,
        params,
        optlib.Adam(lr=lr[:, None, None]),
        digits.train.X,
        digits.train.y,
        2,
        64,
        seeds,
        digits.val.X,
        digits.val.y,
    )
    assert batched.train_loss.shape == batched.val_accuracy.shape == (2, 4)
    for c, seed in enumerate(seeds):
        single_params = model.init(seed)
        single = train(
            model,
            single_params,
            optlib.Adam(lr=lr[c]),
            digits.train.X,
            digits.train.y,
            2,
            64,
            seed,
            digits.val.X,
            digits.val.y,
        )
        np.testing.assert_allclose(batched.train_loss[:, c], single.train_loss, rtol=1e-12)
        np.testing.assert_allclose(batched.val_accuracy[:, c], single.val_accuracy, rtol=1e-12)
        for key, p in single_params.items():
            np.testing.assert_allclose(params[key][c].reshape(p.shape), p, rtol=1e-10, atol=1e-12)


def test_a_diverging_configuration_is_reported_silently(digits):
    model = MLP([64, 16, 10])
    params = model.init([0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(
            model,
            params,
            optlib.SGD(lr=np.array([1e-2, 1e6])[:, None, None]),
            digits.train.X,
            digits.train.y,
            2,
            32,
            [0, 1],
        )
    np.testing.assert_array_equal(history.diverged, [False, True])


def sklearn_after_optlib_init(model, params, solver, lr, alpha, batch_size, epochs, X, y, **kw):
    """scikit-learn trained from optlib's initial weights, in order (shuffle=False)."""
    clf = MLPClassifier(
        model.sizes[1:-1],
        solver=solver,
        learning_rate_init=lr,
        alpha=alpha,
        batch_size=batch_size,
        shuffle=False,
        max_iter=1,
        warm_start=True,
        n_iter_no_change=10**9,
        random_state=0,
        **kw,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)  # only to create the attributes; the weights are replaced next
        clf.coefs_ = [params[f"W{i}"].copy() for i in range(1, model.n_layers + 1)]
        clf.intercepts_ = [params[f"b{i}"].copy() for i in range(1, model.n_layers + 1)]
        clf.max_iter = epochs
        clf.fit(X, y)
    return clf


PEERS = [
    ("sgd", dict(momentum=0.9, nesterovs_momentum=False), lambda lr: optlib.Momentum(lr=lr)),
    ("sgd", dict(momentum=0.9, nesterovs_momentum=True), lambda lr: optlib.Nesterov(lr=lr)),
    ("adam", {}, lambda lr: optlib.Adam(lr=lr, folded=True)),
]


@pytest.mark.parametrize("solver, kw, make", PEERS, ids=["momentum", "nesterov", "adam"])
@pytest.mark.parametrize("alpha", [0.0, 0.05])
def test_scikit_learn_follows_the_same_iterates(solver, kw, make, alpha, digits):
    # Same start, same batches: sklearn's alpha is l2 * batch_size on full batches, so the
    # training set is cut to a multiple of the batch size.
    X, y, batch_size = digits.train.X[:1056], digits.train.y[:1056], 32
    model = MLP([64, 24, 10], l2=alpha / batch_size)
    params = model.init(0)
    lr = 1e-2 if solver == "sgd" else 1e-3
    clf = sklearn_after_optlib_init(model, params, solver, lr, alpha, batch_size, 3, X, y, **kw)
    history = train(model, params, make(lr), X, y, 3, batch_size, shuffle=False)
    np.testing.assert_allclose(clf.loss_curve_[1:], history.train_loss, rtol=1e-12)
    for i in (1, 2):
        np.testing.assert_allclose(clf.coefs_[i - 1], params[f"W{i}"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(sizes=[64]), "sizes"),
        (dict(sizes=[64, 0, 10]), "sizes"),
        (dict(sizes=[64, 2.5, 10]), "sizes"),
        (dict(sizes=[64, 10], activation="sigmoid"), "activation"),
        (dict(sizes=[64, 10], l2=-1.0), "l2"),
        (dict(sizes=[64, 10], l2=float("nan")), "l2"),
        (dict(sizes=[64, 10], init="lecun"), "init"),
        (dict(sizes=[64, 10], output_scale=-0.1), "output_scale"),
        (dict(sizes=[64, 10], output_scale=float("inf")), "output_scale"),
        (dict(sizes=[64, 10], output_scale="0.1"), "output_scale"),
    ],
)
def test_bad_construction_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLP(**kwargs)


def test_bad_inputs_raise_with_the_valid_range(digits):
    model = MLP([64, 8, 10])
    params = model.init(0)
    X, y = digits.train.X[:10], digits.train.y[:10]
    with pytest.raises(ValueError, match="keys"):
        model.loss(dict(W1=params["W1"]), X, y)
    with pytest.raises(ValueError, match=r"params\['W2'\] must have shape \(8, 10\)"):
        model.loss({**params, "W2": params["W2"].T}, X, y)
    with pytest.raises(ValueError, match="d_in = 64"):
        model.loss(params, X[:, :10], y)
    with pytest.raises(ValueError, match=r"labels in \[0, 9\]"):
        model.loss(params, X, y + 10)
    with pytest.raises(ValueError, match="integer labels of shape"):
        model.loss(params, X, y.astype(float))
    with pytest.raises(ValueError, match="configurations"):
        model.loss(model.init([0, 1]), np.stack([X, X, X]), np.stack([y, y, y]))
    with pytest.raises(ValueError, match="seed"):
        model.init([])
    opt = optlib.SGD(lr=0.1)
    with pytest.raises(ValueError, match="epochs"):
        train(model, params, opt, X, y, epochs=0, batch_size=5)
    with pytest.raises(ValueError, match="one int per configuration"):
        train(model, model.init([0, 1]), opt, X, y, epochs=1, batch_size=5, seed=[0, 1, 2])
    with pytest.raises(ValueError, match="X_val and y_val"):
        train(model, params, opt, X, y, epochs=1, batch_size=5, X_val=X)
    with pytest.raises(ValueError, match="batch_size"):
        train(model, params, opt, X, y, epochs=1, batch_size=0)


def test_the_epoch_benchmark_runs():
    # benchmarks/mlp_epoch.py (README numbers) still runs; its timings are not tested.
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "benchmarks/mlp_epoch.py", "--repeats", "1"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    for name in ("Adam", "Momentum"):
        assert re.search(rf"^{name}\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+$", done.stdout, re.M), (
            done.stdout
        )
