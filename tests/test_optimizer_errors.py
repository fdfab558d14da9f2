"""Bad input gets a clear error, never a silent wrong result (issue 12, item 5).

Each case is a way people coming from torch.optim or "Deep Learning from Scratch" use an
optimizer by mistake; each test fails if the mistake passes silently again.
"""

import doctest
import inspect
import pydoc

import numpy as np
import pytest

import optlib
from optlib import SGD, AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSProp

ALL = optlib.ALL
ids = lambda c: c.__name__  # noqa: E731


# ---------------------------------------------------------------------------------------
# Parameters where a hyperparameter belongs: optlib.SGD(W).
@pytest.mark.parametrize("cls", ALL, ids=ids)
@pytest.mark.parametrize("shape", [(64, 10), (10,), (3, 2, 5)])
def test_parameter_array_as_lr_is_rejected(cls, shape):
    W = np.random.default_rng(0).normal(size=shape)
    with pytest.raises(ValueError, match=r"lr is an array of shape .*step\(params, grads\)"):
        cls(W)


def test_parameter_array_as_other_hyperparameters_is_rejected():
    W = np.full((4, 3), 0.5)
    for make, name in [
        (lambda: Momentum(momentum=W), "momentum"),
        (lambda: RMSProp(alpha=W), "alpha"),
        (lambda: Adam(betas=(W, 0.999)), r"betas\[0\]"),
        (lambda: AdamW(weight_decay=W), "weight_decay"),
        (lambda: AdaGrad(eps=W), "eps"),
    ]:
        with pytest.raises(ValueError, match=name + r" is an array of shape \(4, 3\)"):
            make()


def test_sgd_of_w_no_longer_zeroes_the_weights():
    """The reported bug: W became the learning rate and one step zeroed both."""
    W = np.ones((2, 3))
    with pytest.raises(ValueError, match="step"):
        opt = SGD(W)
        opt.step(W, W)
    assert np.array_equal(W, np.ones((2, 3)))


@pytest.mark.parametrize("shape", [(1,), (3, 1), (3, 1, 1), (2, 3, 1)])
def test_columns_of_configurations_are_accepted(shape):
    lr = np.full(shape, 0.1)
    assert SGD(lr=lr).lr.shape == shape


def test_a_schedule_returning_parameters_is_rejected():
    opt = SGD(lr=lambda t: np.full(2, 0.1))
    with pytest.raises(ValueError, match=r"lr schedule value at step 0 is an array of shape"):
        opt.step(np.zeros(2), np.ones(2))


# ---------------------------------------------------------------------------------------
# Hyperparameters are numbers or float arrays.
NOT_NUMBERS = ["0.5", True, False, np.True_, None, {"lr": 0.1}, 1 + 2j, [0.1, "a"]]


def hyper_names(cls):
    names = [n for n in inspect.signature(cls).parameters if n != "betas"]
    kinds = {n: p.default for n, p in inspect.signature(cls).parameters.items()}
    return [n for n in names if not isinstance(kinds[n], bool | str)]


@pytest.mark.parametrize("cls", ALL, ids=ids)
@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_non_numbers_are_rejected_with_the_name(cls, bad):
    for name in hyper_names(cls):
        if name == "lr" and callable(bad):
            continue
        with pytest.raises(ValueError, match=rf"^{name} must be a number"):
            cls(**{name: bad})


@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_non_numbers_in_betas_are_rejected(bad):
    with pytest.raises(ValueError, match=r"betas\[1\] must be a number"):
        Adam(betas=(0.9, bad))


def test_string_lr_no_longer_works():
    with pytest.raises(ValueError, match=r"lr must be a number in \(0, inf\) .*got str '0.5'"):
        SGD(lr="0.5")


@pytest.mark.parametrize("betas", [0.9, np.float64(0.9), "ab", (0.9,), (0.9, 0.99, 0.999)])
@pytest.mark.parametrize("cls", [Adam, AdamW], ids=ids)
def test_betas_must_be_a_pair(cls, betas):
    with pytest.raises(ValueError, match=r"betas must be a pair \(beta1, beta2\)"):
        cls(betas=betas)


def test_numpy_numbers_and_integers_are_numbers():
    assert SGD(lr=np.float32(0.5)).lr == 0.5
    assert Momentum(lr=1, momentum=np.float64(0.5)).momentum == 0.5
    assert SGD(lr=np.array([[1], [2]])).lr.dtype == np.float64


def test_hyperparameter_arrays_are_copied():
    lr = np.array([[0.1], [0.2]])
    rho = np.array([[0.5], [0.9]])
    beta1 = np.array([[0.8], [0.9]])
    opts = [SGD(lr=lr), Momentum(lr=lr, momentum=rho), Adam(lr=lr, betas=(beta1, 0.99))]
    before = [optlib.run(opt, optlib.quadratic(10), steps=20, tol=None).path for opt in opts]
    lr[:] = 100.0  # the caller changes their arrays after construction
    rho[:] = 0.0
    beta1[:] = 0.0
    after = [optlib.run(opt, optlib.quadratic(10), steps=20, tol=None).path for opt in opts]
    for a, b in zip(before, after, strict=True):
        assert np.array_equal(a, b)
    assert opts[0].lr is not lr and np.all(opts[0].lr < 1)


# ---------------------------------------------------------------------------------------
# One optimizer, two arrays: the state is never shared.
@pytest.mark.parametrize("cls", ALL, ids=ids)
@pytest.mark.parametrize("b_shape", [(3,), (5,)], ids=["same shape", "other shape"])
def test_stepping_a_second_array_raises(cls, b_shape):
    rng = np.random.default_rng(1)
    W, b = rng.normal(size=3), rng.normal(size=b_shape)
    opt = cls(lr=0.1)
    opt.step(W, rng.normal(size=3))
    b0, state0 = b.copy(), {k: v.copy() for k, v in opt.state[None].items()}
    with pytest.raises(ValueError, match=r"not the array this optimizer stepped before"):
        opt.step(b, rng.normal(size=b_shape))
    assert np.array_equal(b, b0)  # nothing moved,
    assert opt.t == 1  # the step was not counted,
    for k, v in opt.state[None].items():  # and W's state is intact
        assert np.array_equal(v, state0[k])
    opt.reset()  # reset frees the optimizer for a new array
    opt.step(b, rng.normal(size=b_shape))
    assert opt.t == 1


def test_the_same_array_steps_as_often_as_needed():
    p = np.ones(2)
    opt = Adam(lr=0.1)
    for _ in range(5):
        opt.step(p, 2 * p)
    assert opt.t == 5


def test_dict_params_must_be_the_same_arrays():
    params = {"W": np.ones((2, 2)), "b": np.zeros(2)}
    grads = {"W": np.ones((2, 2)), "b": np.ones(2)}
    opt = Momentum(lr=0.1)
    opt.step(params, grads)
    opt.step(dict(params), grads)  # a new dict holding the same arrays is the same params
    other = {"W": params["W"], "b": np.zeros(2)}
    with pytest.raises(ValueError, match=r"params\['b'\] \(shape \(2,\)\) is not the array"):
        opt.step(other, grads)
    with pytest.raises(ValueError, match=r"stepped a dict with keys \['W', 'b'\] before"):
        opt.step({"W": params["W"]}, {"W": grads["W"]})
    with pytest.raises(ValueError, match="a plain array"):
        opt.step(params["W"], grads["W"])


def test_two_arrays_in_one_dict_equal_two_optimizers():
    rng = np.random.default_rng(2)
    W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    W1, b1 = W.copy(), b.copy()
    together, for_W, for_b = Adam(lr=0.1), Adam(lr=0.1), Adam(lr=0.1)
    for _ in range(4):
        gW, gb = rng.normal(size=(3, 2)), rng.normal(size=2)
        together.step({"W": W, "b": b}, {"W": gW, "b": gb})
        for_W.step(W1, gW)
        for_b.step(b1, gb)
    assert np.array_equal(W, W1) and np.array_equal(b, b1)


# ---------------------------------------------------------------------------------------
# update is step; the per-array rule is the internal _rule.
@pytest.mark.parametrize("cls", ALL, ids=ids)
def test_update_is_an_alias_of_step(cls):
    rng = np.random.default_rng(3)
    grads = [{"W": rng.normal(size=(2, 2))} for _ in range(3)]
    a, b = {"W": np.ones((2, 2))}, {"W": np.ones((2, 2))}
    opt_a, opt_b = cls(lr=0.1), cls(lr=0.1)
    for g in grads:
        opt_a.step(a, g)
        assert opt_b.update(b, g) is None
    assert np.array_equal(a["W"], b["W"]) and opt_b.t == 3
    assert "same as :meth:`step`" in optlib.Optimizer.update.__doc__


def test_overriding_update_with_the_old_rule_signature_fails_loudly():
    with pytest.raises(TypeError, match=r"write the per-array rule as _rule"):

        class OldStyle(Momentum):
            def update(self, p, g, state, lr):
                pass


# ---------------------------------------------------------------------------------------
# help(optlib.X): parameters, a runnable example, the rule in plain text and in LaTeX.
@pytest.mark.parametrize("cls", ALL, ids=ids)
def test_help_documents_every_parameter_and_the_rule(cls):
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    doc = cls.__doc__
    for name in inspect.signature(cls).parameters:
        assert f"\n    {name} : " in doc, name
    assert "schedule" in doc and "(K, 1)" in doc  # lr may be an array or a schedule
    if "weight_decay" in inspect.signature(cls).parameters:
        assert ("decoupled" if cls is AdamW else "coupled") in doc.lower()
    assert "θ_t = θ_{t−1}" in doc or "θ_t = θ −" in doc  # the rule, readable in a terminal
    assert ".. math::" in doc  # ... beside the LaTeX
    assert ".step(" in doc and ">>> import optlib" in doc
    assert "μ" not in doc and r"\mu" not in doc  # the momentum coefficient is ρ
    assert "Examples" in text


@pytest.mark.parametrize("cls", ALL, ids=ids)
def test_docstring_examples_run(cls):
    finder = doctest.DocTestFinder()
    tests = [t for t in finder.find(cls) if t.examples and t.docstring == cls.__doc__]
    assert tests, "no example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 3 and result.failed == 0


def test_module_docstring_states_the_rules():
    doc = optlib.optimizers.base.__doc__
    for phrase in ["column of configurations", "state belongs to the arrays", "update(params"]:
        assert phrase in doc


# ---------------------------------------------------------------------------------------
# float32 parameters keep float32 state; read-only parameters are named.
FLOAT32_CASES = [
    SGD(lr=np.array([[0.1], [0.2]]), weight_decay=0.01),
    Momentum(lr=np.array([[0.1], [0.2]]), momentum=np.array([[0.5], [0.9]])),
    Momentum(lr=0.1, momentum=np.array([[0.5], [0.9]]), convention="cs231n", nesterov=True),
    Nesterov(lr=0.1, momentum=np.array([[0.5], [0.9]])),
    AdaGrad(lr=np.array([[0.1], [0.2]]), initial_accumulator_value=0.1),
    AdaGrad(lr=0.1),
    RMSProp(lr=0.01, alpha=np.array([[0.9], [0.99]]), momentum=0.5, centered=True),
    Adam(lr=np.array([[0.1], [0.2]]), betas=(np.array([[0.8], [0.9]]), 0.999)),
    Adam(lr=0.1, folded=True),
    AdamW(lr=np.array([[0.1], [0.2]]), weight_decay=0.1),
    Adam(lr=np.array([[0.1], [0.2]]), amsgrad=True),
    AdamW(lr=0.1, amsgrad=True, folded=True),
]


@pytest.mark.parametrize("opt", FLOAT32_CASES, ids=repr)
def test_float32_params_keep_float32_state(opt):
    p = np.ones((2, 3), dtype=np.float32)
    for _ in range(3):
        opt.step(p, np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3))
    assert p.dtype == np.float32
    arrays = [v for v in opt.state[None].values() if isinstance(v, np.ndarray)]
    assert arrays or isinstance(opt, SGD)
    for v in arrays:
        assert v.dtype == np.float32


@pytest.mark.parametrize("cls", ALL, ids=ids)
def test_float32_follows_float64_closely(cls):
    p64, p32 = np.linspace(-1, 1, 4), np.linspace(-1, 1, 4).astype(np.float32)
    o64, o32 = cls(lr=0.01), cls(lr=0.01)
    for _ in range(10):
        o64.step(p64, 2 * p64)
        o32.step(p32, 2 * p32)
    assert np.allclose(p32, p64, rtol=1e-5, atol=1e-6)


def test_read_only_params_are_named():
    frozen = np.broadcast_to(np.ones(2), (3, 2))
    with pytest.raises(ValueError, match=r"^params is a read-only array"):
        SGD(lr=0.1).step(frozen, np.ones((3, 2)))
    W = np.ones(2)
    W.flags.writeable = False
    with pytest.raises(ValueError, match=r"^params\['W'\] is a read-only array"):
        Adam().step({"b": np.ones(2), "W": W}, {"b": np.ones(2), "W": np.ones(2)})
