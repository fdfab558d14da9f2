"""The chapter 1 checker: right answers pass, known mistakes are named, broken code is reported."""

from __future__ import annotations

import numpy as np
import pytest

from optlib.check import ch01, gradient_descent


def good_gradient_descent(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    xs = [x]
    for _ in range(steps):
        x = x - lr * grad(x)
        xs.append(x)
    return np.stack(xs)


def test_a_correct_implementation_passes():
    result = gradient_descent(good_gradient_descent)
    assert result.passed
    assert bool(result)
    assert repr(result) == "✓ gradient_descent: all 3 cases match the reference"


def test_the_reference_passes_its_own_checker():
    assert gradient_descent(ch01._reference).passed


def test_a_version_that_changes_x0_in_place_still_passes():
    # The checker hands each call its own copy of x0, so mutating it is harmless.
    def in_place(grad, x0, lr, steps):
        xs = [x0.copy()]
        for _ in range(steps):
            x0 -= lr * grad(x0)
            xs.append(x0.copy())
        return np.array(xs)

    assert gradient_descent(in_place).passed


@pytest.mark.parametrize("mistake", ch01.MISTAKES, ids=lambda m: m.fn.__name__)
def test_every_known_mistake_is_recognised_with_its_message(mistake):
    result = gradient_descent(mistake.fn)
    assert not result.passed
    assert result.message == f"✗ gradient_descent: {mistake.explanation}"


def test_the_mistakes_are_told_apart():
    # Each mistake must differ from the reference and from every other mistake on some
    # case; otherwise its message could never be shown.
    assert len({m.explanation for m in ch01.MISTAKES}) == len(ch01.MISTAKES)
    for mistake in ch01.MISTAKES:
        assert not gradient_descent(mistake.fn).passed


def test_a_function_that_raises_is_reported_not_raised():
    def broken(grad, x0, lr, steps):
        return 1 / 0

    result = gradient_descent(broken)
    assert not result.passed
    assert result.message == (
        "✗ gradient_descent: case 1 raised ZeroDivisionError: division by zero"
    )


def test_an_unknown_wrong_answer_points_at_the_first_differing_iterate():
    def half_step(grad, x0, lr, steps):
        return good_gradient_descent(grad, x0, lr / 2, steps)

    result = gradient_descent(half_step)
    assert not result.passed
    assert result.message == (
        "✗ gradient_descent: case 1 differs from the reference; "
        "first at iterate 1, coordinate 0: you have -2.4375, expected -2.375"
    )


def test_a_float32_answer_shows_the_digits_that_differ():
    def in_float32(grad, x0, lr, steps):
        return good_gradient_descent(grad, x0, lr, steps).astype(np.float32)

    message = gradient_descent(in_float32).message
    # six digits would read "-2.25625, expected -2.25625"; the message shows one more
    assert "first at iterate 2, coordinate 0: you have -2.2562499, expected -2.25625" in message
    assert "float32" in message


def test_other_parameter_names_are_named_not_a_bare_type_error():
    def renamed(grad, theta0, lr, n_steps):
        return good_gradient_descent(grad, theta0, lr, n_steps)

    message = gradient_descent(renamed).message
    assert "TypeError" not in message
    assert message == (
        "✗ gradient_descent: your function's parameters are (grad, theta0, lr, n_steps), but "
        "the checker calls it with the keyword arguments (grad, x0, lr, steps): use these names "
        "(it has no parameter x0, steps; the checker does not pass theta0, n_steps)."
    )
    # extra parameters with defaults, and **kwargs, are fine
    assert gradient_descent(
        lambda grad, x0, lr, steps, verbose=False: good_gradient_descent(grad, x0, lr, steps)
    ).passed
    assert gradient_descent(lambda **kw: good_gradient_descent(**kw)).passed


def test_a_wrong_shape_is_reported():
    def extra_row(grad, x0, lr, steps):
        return good_gradient_descent(grad, x0, lr, steps + 1)

    result = gradient_descent(extra_row)
    assert not result.passed
    assert result.message == ("✗ gradient_descent: case 1 returned shape (7, 2), expected (6, 2)")


def test_something_that_is_not_a_function_is_reported():
    result = gradient_descent(np.zeros((6, 2)))
    assert not result.passed
    assert result.message == "✗ gradient_descent: expected a function, got ndarray"
