"""optlib.compare: the fair protocol tunes on held-out starts over the reporting horizon and
summarises honestly."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

import optlib
from optlib import compare, problems

ROSEN = problems.rosenbrock
LRS = np.logspace(-4, 0, 9)
FACTORIES = {"SGD": optlib.SGD, "Momentum": optlib.Momentum, "Adam": optlib.Adam}


@pytest.fixture(scope="module")
def comparison():
    return compare.compare(FACTORIES, ROSEN, LRS, steps=150, n_starts=8, seed=3, tol=1e-3)


def final_gap_alone(factory, lr, steps, start=ROSEN.start):
    """One learning rate in a run of its own: the independent computation."""
    result = optlib.run(factory(lr=float(lr)), ROSEN, start, steps, tol=None)
    if result.outcome.item() == "diverged":
        return np.inf
    return result.loss[-1].item() - ROSEN.f_min


@pytest.mark.parametrize("name", list(FACTORIES))
def test_tuned_lr_is_the_grid_point_with_the_lowest_final_loss(name):
    factory = FACTORIES[name]
    best, finals = compare.tune_lr(factory, ROSEN, LRS, steps=150)  # one start: its gap
    alone = np.array([final_gap_alone(factory, lr, 150) for lr in LRS])
    np.testing.assert_array_equal(finals, alone)  # batched rows equal runs of their own
    assert best == LRS[np.argmin(alone)]
    finite = alone[np.isfinite(alone)]
    assert len(np.unique(finite)) == len(finite) >= 3  # no ties: the argmin is a real choice
    if name == "SGD":  # the grid reaches lrs that diverge, and they count as inf
        assert np.isinf(alone).any()


def test_tuning_scores_each_lr_by_its_median_gap_over_the_starts():
    starts = compare.random_starts(ROSEN, 5, seed=4)
    lrs = np.logspace(-4, -2, 9)
    best, scores = compare.tune_lr(optlib.Momentum, ROSEN, lrs, steps=150, starts=starts)
    gaps = np.array([[final_gap_alone(optlib.Momentum, lr, 150, s) for s in starts] for lr in lrs])
    np.testing.assert_array_equal(scores, np.sort(gaps, axis=1)[:, 2])  # the 3rd of 5
    assert best == lrs[np.argmin(scores)]
    diverged = np.isinf(gaps).sum(axis=1)
    # the median is robust: one or two diverging starts of five do not disqualify a rate ...
    assert np.isin([1, 2], diverged).all()
    assert np.all(np.isfinite(scores[diverged <= 2]))
    # ... but a rate that diverges on most starts scores inf
    assert np.all(np.isinf(scores[diverged >= 3])) and (diverged >= 3).any()


def test_tuning_is_on_held_out_starts_over_the_reporting_horizon(comparison):
    tune_starts = compare.random_starts(ROSEN, 16, seed=1)  # the default tuning starts
    np.testing.assert_array_equal(comparison.tune_starts, tune_starts)
    assert not np.isin(comparison.tune_starts, comparison.starts).any()  # held out
    for name, factory in FACTORIES.items():
        best, scores = compare.tune_lr(factory, ROSEN, LRS, comparison.steps, tune_starts)
        np.testing.assert_array_equal(comparison.tuning[name].to_numpy(), scores)
        assert comparison.best_lr[name] == best
        assert comparison.gaps[name].shape == (comparison.steps + 1, 8)


def test_one_start_protocol_on_request_and_it_can_pick_another_rate():
    one = compare.compare(
        {"Momentum": optlib.Momentum},
        ROSEN,
        np.logspace(-5, 1, 25),
        steps=1000,
        n_starts=4,
        tol=1e-4,
        tune_starts=ROSEN.start,
    )
    held_out = compare.compare(
        {"Momentum": optlib.Momentum},
        ROSEN,
        np.logspace(-5, 1, 25),
        steps=1000,
        n_starts=4,
        tol=1e-4,
    )
    np.testing.assert_array_equal(one.tune_starts, ROSEN.start[None])
    best, _ = compare.tune_lr(optlib.Momentum, ROSEN, np.logspace(-5, 1, 25), 1000)
    assert one.best_lr["Momentum"] == best
    # chapter 7's finding: tuned on one start Momentum takes a larger, riskier rate
    assert one.best_lr["Momentum"] > held_out.best_lr["Momentum"]


def test_reported_runs_use_the_tuned_lr_from_the_seeded_starts(comparison):
    starts = compare.random_starts(ROSEN, 8, seed=3)
    np.testing.assert_array_equal(comparison.starts, starts)
    lr = comparison.best_lr["Adam"]
    for i in (0, 5):
        alone = final_gap_alone(optlib.Adam, lr, comparison.steps, start=starts[i])
        assert comparison.gaps["Adam"][-1, i] == alone


def test_bands_are_ordered_and_are_quantiles(comparison):
    bands = comparison.bands
    assert list(bands.columns) == ["optimizer", "step", "q25", "median", "q75"]
    assert len(bands) == len(FACTORIES) * (comparison.steps + 1)
    assert np.all(bands["q25"] <= bands["median"]) and np.all(bands["median"] <= bands["q75"])
    sgd = bands[bands["optimizer"] == "SGD"].set_index("step")
    gap = comparison.gaps["SGD"]
    for t in (0, 40, comparison.steps):
        column = np.sort(gap[t])  # 8 runs: order statistics rounded up
        assert sgd.loc[t, "median"] == column[4]
        assert sgd.loc[t, "q25"] == column[2] and sgd.loc[t, "q75"] == column[6]


def test_upper_quantile_never_gives_nan_for_diverged_runs():
    gaps = np.array([1.0, 2.0, np.inf, np.inf])
    assert list(compare.upper_quantile(gaps, [0.25, 0.5, 0.75])) == [2.0, np.inf, np.inf]
    assert compare.upper_quantile(np.array([3.0, 1.0, 2.0]), 0.5) == 2.0  # odd: the median


def test_table_agrees_with_steps_to_tolerance(comparison):
    table = comparison.table
    assert list(table.index) == list(FACTORIES)
    assert table["success rate"].between(0, 1).all()
    assert table["diverged"].between(0, 1).all()
    assert table["success rate"].add(table["diverged"]).le(1).all()
    for name in FACTORIES:
        hit = compare.steps_to_tolerance(comparison.gaps[name], comparison.tol)
        assert table.loc[name, "success rate"] == np.mean(hit >= 0)
        assert table.loc[name, "lr"] == comparison.best_lr[name]
        assert table.loc[name, "diverged"] == np.mean(np.isinf(comparison.gaps[name][-1]))
        among = "median steps to tol, among successes"
        if (hit >= 0).any():
            assert table.loc[name, among] == np.median(hit[hit >= 0])  # failures left out
            assert table.loc[name, "worst steps to tol, among successes"] == hit.max()
        else:
            assert np.isnan(table.loc[name, among])
    assert 0 < table["success rate"].max()  # the test exercises both outcomes
    assert table["success rate"].min() < 1


def test_border_flag():
    table = compare.compare({"Adam": optlib.Adam}, ROSEN, [1e-3, 1e-2], steps=50, n_starts=2).table
    assert bool(table.loc["Adam", "lr on grid border"])


def test_seeds_are_reproducible(comparison):
    again = compare.compare(FACTORIES, ROSEN, LRS, steps=150, n_starts=8, seed=3, tol=1e-3)
    for name in FACTORIES:
        np.testing.assert_array_equal(again.gaps[name], comparison.gaps[name])
    other = compare.random_starts(ROSEN, 8, seed=4)
    assert not np.array_equal(other, comparison.starts)


def test_random_starts_lie_in_the_box():
    starts = compare.random_starts(ROSEN, 500, seed=0, box=((0.0, 1.0), (-2.0, -1.0)))
    assert starts.shape == (500, 2)
    assert starts[:, 0].min() >= 0 and starts[:, 0].max() <= 1
    assert starts[:, 1].min() >= -2 and starts[:, 1].max() <= -1


def test_steps_to_tolerance_counts_the_first_passage():
    gap = np.array([[1.0, 1.0, 0.0], [1e-3, 1.0, 0.0], [1.0, 1.0, 0.0], [1e-9, 1.0, 0.0]])
    np.testing.assert_array_equal(compare.steps_to_tolerance(gap, 1e-3), [1, -1, 0])
    assert compare.steps_to_tolerance(np.array([5.0, 2.0, 0.5]), 1.0) == 2  # one run


def test_diverged_runs_count_as_infinite_gap():
    result = optlib.run(
        optlib.SGD(lr=np.array([[1e-3], [0.1]])), ROSEN, np.tile(ROSEN.start, (2, 1))
    )
    gap = compare.loss_gap(result, ROSEN)
    assert result.outcome[1] == "diverged"
    stop = result.stop_step[1]
    assert np.all(np.isinf(gap[stop:, 1])) and np.all(np.isfinite(gap[:stop, 1]))
    assert np.all(np.isfinite(gap[:, 0]))


def test_plot_has_one_panel_per_optimizer_with_its_median(comparison):
    fig = comparison.plot()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(FACTORIES)
    for ax, name in zip(panels, FACTORIES, strict=True):
        assert ax.get_title().startswith(f"{name}: lr = ")
        assert ax.get_yscale() == "log"
        median = [line for line in ax.get_lines() if line.get_label() == "median"]
        assert len(median) == 1 and median[0].get_color() == optlib.plot.color(name)
    plt.close(fig)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: compare.compare({}, ROSEN, LRS, 10), "factories must name at least one"),
        (lambda: compare.compare(FACTORIES, ROSEN, [0.1], 10), "at least 2 learning rates"),
        (lambda: compare.compare(FACTORIES, ROSEN, [0.1, 0.01], 10), "strictly increasing"),
        (lambda: compare.compare(FACTORIES, ROSEN, [-1.0, 0.1], 10), "lrs must be finite, > 0"),
        (lambda: compare.compare(FACTORIES, ROSEN, LRS, 10, tol=0), "tol must be a finite"),
        (lambda: compare.compare(FACTORIES, ROSEN, LRS, 10, n_starts=0), "n_starts must be"),
        (lambda: compare.tune_lr(optlib.SGD, problems.saddle, LRS, 10), "no finite minimum"),
        (lambda: compare.tune_lr(optlib.SGD, ROSEN, [10.0, 100.0], 50), "every learning rate"),
        (lambda: compare.tune_lr(optlib.SGD, ROSEN, LRS, 10, starts=(1, 2, 3)), "starts must"),
        (lambda: compare.tune_lr(optlib.SGD, ROSEN, LRS, 10, np.zeros((2, 2, 2))), "starts must"),
        (lambda: compare.compare(FACTORIES, ROSEN, LRS, 10, seed=1, tune_seed=1), "tune_seed"),
        (lambda: compare.steps_to_tolerance(np.ones(3), -1), "tol must be a finite number >= 0"),
        (lambda: compare.random_starts(ROSEN, 3, box=((1, 0), (0, 1))), "lo < hi"),
    ],
)
def test_bad_inputs_raise_value_error(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()
