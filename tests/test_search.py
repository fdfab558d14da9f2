"""Hyperparameter search: configurations, batched evaluation, coarse-to-fine, the border check."""

import numpy as np
import pandas as pd
import pytest

from optlib import search

SPACE = {"lr": search.log_uniform(1e-4, 1.0), "momentum": search.uniform(0.0, 0.99)}


def bowl(lr, momentum):
    """Lowest at lr = 1e-2, momentum = 0.9; works on floats and on arrays."""
    return (np.log10(lr) + 2) ** 2 + 4 * (momentum - 0.9) ** 2


def test_grid_values_are_even_in_each_range_s_own_scale():
    configs = search.grid_configs(SPACE, points={"lr": 5, "momentum": 3})
    assert list(configs.columns) == ["trial", "lr", "momentum"]
    assert len(configs) == 15
    np.testing.assert_allclose(np.unique(configs["lr"]), [1e-4, 1e-3, 1e-2, 1e-1, 1.0])
    np.testing.assert_allclose(np.unique(configs["momentum"]), [0.0, 0.495, 0.99])
    np.testing.assert_allclose(configs["lr"][:3], 1e-4)  # the first name varies slowest
    np.testing.assert_allclose(search.log_uniform(1e-3, 1e-1).grid(1), [1e-2])
    explicit = search.grid_configs({"lr": [0.1, 0.2], "momentum": search.uniform(0, 1)}, 2)
    np.testing.assert_allclose(explicit["lr"], [0.1, 0.1, 0.2, 0.2])


def test_random_configs_are_seeded_and_inside_the_ranges():
    a = search.random_configs(SPACE, 500, seed=3)
    pd.testing.assert_frame_equal(a, search.random_configs(SPACE, 500, seed=3))
    assert not a.equals(search.random_configs(SPACE, 500, seed=4))
    assert a["lr"].between(1e-4, 1.0).all() and a["momentum"].between(0.0, 0.99).all()


def test_log_uniform_gives_each_decade_the_same_share_and_uniform_does_not():
    n = 40_000
    log_lr = search.random_configs({"lr": search.log_uniform(1e-4, 1.0)}, n, seed=0)["lr"]
    lin_lr = search.random_configs({"lr": search.uniform(1e-4, 1.0)}, n, seed=0)["lr"]
    edges = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    log_share = np.histogram(log_lr, edges)[0] / n
    lin_share = np.histogram(lin_lr, edges)[0] / n
    np.testing.assert_allclose(log_share, 0.25, atol=0.01)
    # linear: the share of a decade is its length over the whole length (0.9 for the top one)
    np.testing.assert_allclose(lin_share, np.diff(edges) / (1 - 1e-4), atol=0.01)


def test_quasi_random_configs_cover_the_box_more_evenly_than_random_ones():
    n = 64
    for method in ("halton", "sobol"):
        q = search.quasi_random_configs(SPACE, n, seed=0, method=method)
        pd.testing.assert_frame_equal(q, search.quasi_random_configs(SPACE, n, 0, method))
        assert not q.equals(search.quasi_random_configs(SPACE, n, seed=1, method=method))
        assert q["lr"].between(1e-4, 1.0).all() and q["momentum"].between(0.0, 0.99).all()
        # every one of 8 equal slices of log10(lr) holds exactly n/8 points (stratified)
        counts = np.histogram(np.log10(q["lr"]), np.linspace(-4, 0, 9))[0]
        assert list(counts) == [n // 8] * 8
    r = search.random_configs(SPACE, n, seed=0)
    assert np.ptp(np.histogram(np.log10(r["lr"]), np.linspace(-4, 0, 9))[0]) > 0


def test_batched_objective_is_called_once_and_agrees_with_one_call_per_configuration():
    calls = []

    def counted(lr, momentum):
        calls.append(np.shape(lr))
        return bowl(lr, momentum)

    batched = search.random_search(counted, SPACE, n=64, seed=1)
    assert calls == [(64,)]
    one_by_one = search.random_search(counted, SPACE, n=64, seed=1, batched=False)
    assert len(calls) == 65 and calls[-1] == ()
    np.testing.assert_allclose(batched["score"], one_by_one["score"], rtol=1e-15)
    np.testing.assert_allclose(batched["score"], bowl(batched["lr"], batched["momentum"]))


def test_grid_search_finds_the_grid_point_nearest_the_minimum():
    results = search.grid_search(bowl, SPACE, points={"lr": 5, "momentum": 12})
    top = search.best(results)
    assert top["lr"] == pytest.approx(1e-2)
    assert top["momentum"] == pytest.approx(0.9)  # 0.99 * 10/11
    assert search.best(results, minimize=False)["score"] == results["score"].max()


def test_coarse_to_fine_zooms_in_and_beats_random_search_with_the_same_budget():
    results = search.coarse_to_fine(bowl, SPACE, n=40, rounds=4, seed=0)
    assert len(results) == 160 and list(results["round"].unique()) == [0, 1, 2, 3]
    assert list(results["trial"]) == list(range(160))
    by_round = results.groupby("round")["score"].min()
    assert np.all(np.diff(by_round.cummin()) <= 0)
    boxes = results.attrs["boxes"]
    widths = [np.log10(b["lr"][1] / b["lr"][0]) for b in boxes]
    assert widths[0] == pytest.approx(4.0) and widths[-1] < widths[0] / 3
    assert boxes[-1]["lr"][0] < 1e-2 < boxes[-1]["lr"][1]
    # every configuration of a round lies in that round's box
    for r, box in enumerate(boxes):
        lr = results.loc[results["round"] == r, "lr"]
        assert lr.between(*box["lr"]).all()
    plain = search.random_search(bowl, SPACE, n=160, seed=0)
    assert search.best(results)["score"] < search.best(plain)["score"]
    pd.testing.assert_frame_equal(results, search.coarse_to_fine(bowl, SPACE, n=40, rounds=4))


def test_coarse_to_fine_keeps_an_unimportant_dimension_wide():
    def only_lr(lr, momentum):
        return (np.log10(lr) + 2) ** 2 + 0 * momentum

    boxes = search.coarse_to_fine(only_lr, SPACE, n=60, rounds=3, seed=2).attrs["boxes"]
    assert boxes[-1]["momentum"][1] - boxes[-1]["momentum"][0] > 0.6
    assert np.log10(boxes[-1]["lr"][1] / boxes[-1]["lr"][0]) < 1.5


def test_maximising_and_diverged_runs():
    scores = pd.DataFrame({"trial": [0, 1, 2], "lr": [0.1, 0.2, 0.3], "score": [0.5, np.nan, 0.9]})
    assert search.best(scores)["lr"] == 0.1
    assert search.best(scores, minimize=False)["lr"] == 0.3
    with pytest.raises(ValueError, match="results is empty"):
        search.best(scores.iloc[:0])


def test_at_border_flags_an_optimum_outside_the_range():
    narrow = {"lr": search.log_uniform(1e-4, 1e-3), "momentum": search.uniform(0.0, 0.99)}
    results = search.grid_search(bowl, narrow, points=9)
    assert search.at_border(results, narrow) == {"lr": "high"}
    wide = {"lr": search.log_uniform(1e-4, 1.0), "momentum": search.uniform(0.0, 0.99)}
    assert search.at_border(search.grid_search(bowl, wide, points=9), wide) == {}


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: search.uniform(1.0, 1.0), r"finite low < high"),
        (lambda: search.log_uniform(0.0, 1.0), r"log range needs low > 0"),
        (lambda: search.log_uniform(1e-3, np.inf), r"finite low < high"),
        (lambda: search.uniform(0, 1).grid(0), r"points must be an integer in \[1, inf\)"),
        (lambda: search.random_configs(SPACE, 0), r"n must be an integer in \[1, inf\)"),
        (lambda: search.random_configs({}, 5), "space must be a non-empty dict"),
        (lambda: search.quasi_random_configs(SPACE, 10, method="sobol"), "power of 2"),
        (lambda: search.quasi_random_configs(SPACE, 8, method="lhs"), "method must be"),
        (lambda: search.random_configs({"lr": [0.1, 0.2]}, 5), "must be uniform"),
        (lambda: search.random_configs({"score": search.uniform(0, 1)}, 5), "must not be"),
        (lambda: search.coarse_to_fine(bowl, SPACE, 10, keep=0.0), r"keep must be .* \(0, 1\]"),
        (lambda: search.coarse_to_fine(bowl, SPACE, 10, rounds=0), r"rounds must be an integer"),
        (lambda: search.random_search(lambda lr, momentum: 1.0, SPACE, 5), "one score per"),
        (
            lambda: search.at_border(search.random_search(bowl, SPACE, 5), SPACE, margin=0.5),
            r"margin must be a fraction in \[0, 0.5\)",
        ),
    ],
)
def test_bad_arguments_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
