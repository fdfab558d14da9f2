"""The chapter 10 checkers: the reference passes, every known mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from optlib.check import ch10, dense_backward, softmax_cross_entropy_grad
from optlib.models import MLP


def good_softmax_ce_grad(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def good_dense_backward(X, W, delta):
    return delta @ W.T, X.T @ delta, delta.sum(axis=0)


def test_correct_implementations_pass():
    result = softmax_cross_entropy_grad(good_softmax_ce_grad)
    assert result.passed
    assert repr(result) == "✓ softmax_cross_entropy_grad: all 3 cases match the reference"
    result = dense_backward(good_dense_backward)
    assert result.passed
    assert repr(result) == "✓ dense_backward: dX, dW and db match the reference on all 3 cases"


def test_the_references_agree_with_the_mlp():
    # The checkers' references are the two halves of MLP's backward pass.
    model = MLP([4, 3])
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 4)), rng.integers(0, 3, 6)
    params = model.init(0)
    _, grads = model.loss_and_grads(params, X, y)
    delta = ch10._ce_reference(model.forward(params, X), y)
    _, dW, db = ch10._dense_reference(X, params["W1"], delta)
    np.testing.assert_allclose(dW, grads["W1"], atol=1e-15)
    np.testing.assert_allclose(db, grads["b1"], atol=1e-15)


@pytest.mark.parametrize("mistake", ch10.SOFTMAX_CE_MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_softmax_mistake_is_recognised(mistake):
    result = softmax_cross_entropy_grad(mistake.fn)
    assert not result.passed
    assert result.message == f"✗ softmax_cross_entropy_grad: {mistake.explanation}"


@pytest.mark.parametrize("mistake", ch10.DENSE_BACKWARD_MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_dense_mistake_is_recognised(mistake):
    result = dense_backward(mistake.fn)
    assert not result.passed
    part = result.message.split("(")[1].split(")")[0]
    assert part in ("dX", "dW", "db")
    assert result.message == f"✗ dense_backward ({part}): {mistake.explanation}"


def test_the_messages_are_distinct():
    for mistakes in (ch10.SOFTMAX_CE_MISTAKES, ch10.DENSE_BACKWARD_MISTAKES):
        assert len({m.explanation for m in mistakes}) == len(mistakes)


def test_an_unknown_wrong_answer_and_broken_code_are_reported():
    result = softmax_cross_entropy_grad(lambda logits, y: 2 * good_softmax_ce_grad(logits, y))
    assert not result.passed and "case 1 differs from the reference" in result.message
    result = dense_backward(lambda X, W, delta: (delta @ W.T, X.T @ delta))
    assert (
        result.message == "✗ dense_backward (dX): case 1 raised ValueError: "
        "return the tuple (dX, dW, db)"
    )
    result = dense_backward(np.zeros(3))
    assert result.message == "✗ dense_backward: expected a function, got ndarray"
