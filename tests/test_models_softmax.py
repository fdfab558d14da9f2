"""Softmax regression: the hand-written gradient, training under every optimizer, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import optlib
from optlib.models.mlp import MLP
from optlib.models.softmax import accuracy, init_softmax, predict, softmax_loss_and_grad


@pytest.fixture(scope="module")
def digits():
    return optlib.data.load_digits()


@pytest.fixture
def small():
    """A small problem with non-trivial parameters: 7 examples, 4 features, 3 classes."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((7, 4))
    y = np.array([0, 2, 1, 1, 0, 2, 2])
    params = {"W": rng.standard_normal((4, 3)), "b": rng.standard_normal(3)}
    return params, X, y


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_gradient_matches_central_differences_for_every_entry(small, l2):
    params, X, y = small
    _, grads = softmax_loss_and_grad(params, X, y, l2=l2)
    h = 1e-6
    for key, p in params.items():
        numeric = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = softmax_loss_and_grad(params, X, y, l2=l2)[0]
            p[idx] = old - h
            down = softmax_loss_and_grad(params, X, y, l2=l2)[0]
            p[idx] = old
            numeric[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-6, atol=1e-9, err_msg=key)


def test_batch_gradient_is_the_mean_of_per_example_gradients(small):
    params, X, y = small
    loss, grads = softmax_loss_and_grad(params, X, y)
    singles = [softmax_loss_and_grad(params, X[i : i + 1], y[i : i + 1]) for i in range(len(y))]
    assert loss == pytest.approx(np.mean([s[0] for s in singles]), rel=1e-12)
    for key in params:
        mean = np.mean([s[1][key] for s in singles], axis=0)
        np.testing.assert_allclose(grads[key], mean, rtol=1e-12, atol=1e-15)


def test_loss_of_zero_parameters_is_log_k_and_known_values():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    y = np.array([0, 1])
    zero = {"W": np.zeros((2, 3)), "b": np.zeros(3)}
    assert softmax_loss_and_grad(zero, X, y)[0] == pytest.approx(np.log(3), rel=1e-14)
    # Score 2 on the right class and 0 on the two others: -log(e²/(e² + 2)).
    W = np.array([[2.0, 0, 0], [0, 2.0, 0]])
    loss = softmax_loss_and_grad({"W": W, "b": np.zeros(3)}, X, y, l2=0.5)[0]
    assert loss == pytest.approx(-np.log(np.e**2 / (np.e**2 + 2)) + 0.25 * 8, rel=1e-14)


def test_huge_scores_do_not_overflow(small):
    params, X, y = small
    big = {"W": params["W"] * 1e4, "b": params["b"]}
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow is harmless
        loss, grads = softmax_loss_and_grad(big, X, y)
    assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads.values())


def test_loss_decreases_under_plain_gradient_descent(digits):
    params = init_softmax(digits.n_features, digits.n_classes, seed=0)
    opt = optlib.SGD(lr=0.5)
    losses = []
    for _ in range(30):
        loss, grads = softmax_loss_and_grad(params, digits.train.X, digits.train.y)
        losses.append(loss)
        opt.step(params, grads)
    assert np.all(np.diff(losses) < 0)
    assert losses[0] == pytest.approx(np.log(10), abs=0.05)
    assert losses[-1] < 0.35
    assert accuracy(params, digits.val.X, digits.val.y) > 0.9


@pytest.mark.parametrize("optimizer", optlib.ALL, ids=lambda cls: cls.__name__)
def test_every_optimizer_trains_the_params_dict(optimizer, digits):
    X, y = digits.train.X[:200], digits.train.y[:200]
    params = init_softmax(digits.n_features, digits.n_classes, seed=0)
    opt = optimizer(lr=0.05)
    first = softmax_loss_and_grad(params, X, y)[0]
    for _ in range(10):
        opt.step(params, softmax_loss_and_grad(params, X, y)[1])
    assert softmax_loss_and_grad(params, X, y)[0] < 0.9 * first


def test_models_side_by_side_match_models_alone(small):
    params, X, y = small
    lrs = np.array([0.1, 0.5, 2.0])
    stacked = {
        "W": np.repeat(params["W"][None], 3, axis=0),
        "b": np.repeat(params["b"][None, None], 3, axis=0),
    }
    opt = optlib.SGD(lr=lrs[:, None, None])
    for _ in range(5):
        opt.step(stacked, softmax_loss_and_grad(stacked, X, y)[1])
    losses = softmax_loss_and_grad(stacked, X, y)[0]
    assert losses.shape == (3,)
    assert accuracy(stacked, X, y).shape == (3,) and predict(stacked, X).shape == (3, 7)
    for i, lr in enumerate(lrs):
        alone = {key: value.copy() for key, value in params.items()}
        single = optlib.SGD(lr=float(lr))
        for _ in range(5):
            single.step(alone, softmax_loss_and_grad(alone, X, y)[1])
        np.testing.assert_allclose(stacked["W"][i], alone["W"], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(stacked["b"][i, 0], alone["b"], rtol=1e-13, atol=1e-15)
        assert losses[i] == pytest.approx(softmax_loss_and_grad(alone, X, y)[0], rel=1e-13)


def test_agrees_with_the_mlp_without_hidden_layers(small):
    # Two independent implementations of the same model must agree.
    params, X, y = small
    loss, grads = softmax_loss_and_grad(params, X, y, l2=0.1)
    mlp_loss, mlp_grads = MLP((4, 3), l2=0.1).loss_and_grads(
        {"W1": params["W"], "b1": params["b"]}, X, y
    )
    assert loss == pytest.approx(mlp_loss, rel=1e-13)
    np.testing.assert_allclose(grads["W"], mlp_grads["W1"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grads["b"], mlp_grads["b1"], rtol=1e-12, atol=1e-15)


def test_init_is_seeded_and_small():
    a, b = init_softmax(64, 10, seed=3), init_softmax(64, 10, seed=3)
    np.testing.assert_array_equal(a["W"], b["W"])
    assert not np.array_equal(a["W"], init_softmax(64, 10, seed=4)["W"])
    assert a["W"].shape == (64, 10) and a["b"].shape == (10,) and not a["b"].any()
    assert 0.005 < a["W"].std() < 0.02
    many = init_softmax(64, 10, seed=3, n_models=4)
    assert many["W"].shape == (4, 64, 10) and many["b"].shape == (4, 1, 10)
    np.testing.assert_array_equal(many["W"][2], a["W"])


def test_predict_and_accuracy():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    params = {"W": np.array([[1.0, 0.0], [0.0, 2.0]]), "b": np.zeros(2)}
    np.testing.assert_array_equal(predict(params, X), [0, 1, 1])
    assert accuracy(params, X, np.array([0, 1, 0])) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(n_features=0, n_classes=10), "n_features"),
        (dict(n_features=64, n_classes=1), "n_classes"),
        (dict(n_features=64.0, n_classes=10), "n_features"),
        (dict(n_features=64, n_classes=10, n_models=0), "n_models"),
    ],
)
def test_init_rejects_bad_sizes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        init_softmax(**kwargs)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda p, X, y: ({"W": p["W"]}, X, y), r"params must be a dict with keys"),
        (lambda p, X, y: ({"W": p["W"][:3], "b": p["b"]}, X, y), r"X must be .* shape \(n, 3\)"),
        (lambda p, X, y: ({"W": p["W"], "b": p["b"][:2]}, X, y), r"params\['b'\] must have shape"),
        (lambda p, X, y: ({"W": p["W"][0], "b": p["b"]}, X, y), r"params\['W'\] must be"),
        (lambda p, X, y: (p, X[:, :3], y), r"X must be .* shape \(n, 4\)"),
        (lambda p, X, y: (p, X[0], y), r"X must be"),
        (lambda p, X, y: (p, X[:0], y[:0]), r"X must be a non-empty"),
        (lambda p, X, y: (p, np.where(X > 1, np.nan, X), y), r"X must contain only finite"),
        (lambda p, X, y: (p, X, y[:-1]), r"y must be integer class labels of shape \(7,\)"),
        (lambda p, X, y: (p, X, y[:, None]), r"y must be integer class labels"),
        (lambda p, X, y: (p, X, y + 0.5), r"y must be integer class labels"),
        (lambda p, X, y: (p, X, y.astype(float)), r"y must be integer class labels"),
        (lambda p, X, y: (p, X, y + 1), r"y must be labels in \[0, 2\]; got values in \[1, 3\]"),
        (lambda p, X, y: (p, X, y - 1), r"y must be labels in \[0, 2\]; got values in \[-1, 1\]"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(small, change, match):
    params, X, y = change(*small)
    with pytest.raises(ValueError, match=match):
        softmax_loss_and_grad(params, X, y)


def test_bad_l2_and_bad_input_to_predict_and_accuracy(small):
    params, X, y = small
    with pytest.raises(ValueError, match="l2"):
        softmax_loss_and_grad(params, X, y, l2=-1.0)
    with pytest.raises(ValueError, match="X must be"):
        predict(params, X[:, :2])
    with pytest.raises(ValueError, match="y must be labels"):
        accuracy(params, X, y + 5)
