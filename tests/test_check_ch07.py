"""The chapter-7 checker: a correct steps_to_tolerance passes, and each known mistake is named."""

import numpy as np
import pytest

from optlib import check


def first_passage(gap, tol, *, argmax_only=False, one_based=False, strict=False, never=-1):
    """A reader's answer written with a loop, with switches for the usual mistakes."""
    gap = np.asarray(gap)
    out = []
    for run in gap.T:
        reached = run < tol if strict else run <= tol
        if argmax_only:
            out.append(int(np.argmax(reached)))
            continue
        hits = np.flatnonzero(reached)
        out.append(int(hits[0]) + one_based if len(hits) else never)
    return np.array(out)


def steps_above(gap, tol):
    return (np.asarray(gap) > tol).sum(axis=0)


def test_correct_answer_passes():
    result = check.steps_to_tolerance(first_passage)
    assert result.passed, result.message
    assert result.message.startswith("✓ steps_to_tolerance: all 2 cases")


@pytest.mark.parametrize(
    ("reader", "words"),
    [
        (lambda gap, tol: first_passage(gap, tol, argmax_only=True), "0 from argmax"),
        (lambda gap, tol: first_passage(gap, tol, one_based=True), "you count from 1"),
        (steps_above, "counted the steps spent above tol"),
        (lambda gap, tol: first_passage(gap, tol, strict=True), "compare with <=, not <"),
        (lambda gap, tol: first_passage(gap, tol, never=len(gap)), "not the number of rows"),
    ],
)
def test_each_mistake_is_named(reader, words):
    result = check.steps_to_tolerance(reader)
    assert not result.passed
    assert words in result.message, result.message


def test_unknown_wrong_answer_and_crash_are_reported():
    zeros = check.steps_to_tolerance(lambda gap, tol: np.zeros(gap.shape[1], dtype=int))
    assert not zeros.passed and "case 1 differs from the reference" in zeros.message
    crash = check.steps_to_tolerance(lambda gap, tol: 1 / 0)
    assert not crash.passed and "ZeroDivisionError" in crash.message
    assert not check.steps_to_tolerance("not a function").passed
