"""optlib.stats: McNemar's exact test and the paired bootstrap, against scipy and by hand."""

import numpy as np
import pytest
from scipy import stats as sps

from optlib.stats import mcnemar_exact, paired_bootstrap


def pair(both, only_a, only_b, neither, seed=0):
    """Shuffled correctness vectors with the given 2×2 table."""
    a = np.repeat([True, True, False, False], [both, only_a, only_b, neither])
    b = np.repeat([True, False, True, False], [both, only_a, only_b, neither])
    order = np.random.default_rng(seed).permutation(a.size)
    return a[order], b[order]


@pytest.mark.parametrize("only_a, only_b", [(0, 0), (3, 0), (1, 4), (7, 2), (10, 10), (25, 40)])
def test_mcnemar_counts_and_matches_scipy_binomtest(only_a, only_b):
    a, b = pair(300, only_a, only_b, 20)
    result = mcnemar_exact(a, b)
    assert (result.b, result.c, result.disagreements) == (only_a, only_b, only_a + only_b)
    if only_a + only_b == 0:
        assert result.p_value == 1.0
    else:
        expected = sps.binomtest(only_a, only_a + only_b, 0.5).pvalue
        assert result.p_value == pytest.approx(expected, rel=1e-12)


def test_mcnemar_is_symmetric_and_ignores_agreements():
    a, b = pair(300, 2, 9, 20)
    assert mcnemar_exact(a, b).p_value == mcnemar_exact(b, a).p_value
    a2, b2 = pair(30, 2, 9, 200, seed=1)
    assert mcnemar_exact(a2, b2).p_value == mcnemar_exact(a, b).p_value
    # 2 against 9 of 11: 2 * (1 + 11 + 55) / 2**11
    assert mcnemar_exact(a, b).p_value == pytest.approx(2 * 67 / 2048, rel=1e-15)


def test_paired_bootstrap_se_matches_the_analytic_paired_se():
    a, b = pair(340, 6, 2, 12)
    result = paired_bootstrap(a, b, n_boot=20_000, seed=1)
    d = a.astype(float) - b
    assert result.difference == pytest.approx(4 / 360, rel=1e-12)
    analytic = d.std() / np.sqrt(d.size)  # sqrt(b + c - (b - c)^2 / N) / N
    assert result.se == pytest.approx(analytic, rel=0.03)
    assert result.low < result.difference < result.high
    assert result.replicates.shape == (20_000,)
    # far below the unpaired standard error of a difference of two accuracies near 95 %
    assert result.se < 0.5 * np.sqrt(2 * 0.95 * 0.05 / 360)


def test_paired_bootstrap_averages_over_seeds_with_one_draw_of_examples():
    a1, b1 = pair(340, 6, 2, 12)
    a2, b2 = pair(340, 1, 5, 14, seed=3)
    both = paired_bootstrap(np.stack([a1, a2]), np.stack([b1, b2]), n_boot=500, seed=2)
    assert both.difference == pytest.approx((4 - 4) / 720, abs=1e-15)
    # the same example indices for every seed: replicate = mean over the seeds' replicates
    one = paired_bootstrap(a1, b1, n_boot=500, seed=2).replicates
    two = paired_bootstrap(a2, b2, n_boot=500, seed=2).replicates
    np.testing.assert_allclose(both.replicates, (one + two) / 2, rtol=0, atol=1e-15)


def test_paired_bootstrap_is_reproducible_and_identical_classifiers_give_zero():
    a, b = pair(300, 5, 3, 20)
    r1, r2 = paired_bootstrap(a, b, seed=4), paired_bootstrap(a, b, seed=4)
    np.testing.assert_array_equal(r1.replicates, r2.replicates)
    same = paired_bootstrap(a, a)
    assert same.difference == 0 and same.se == 0 and same.low == same.high == 0


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.ones(5), np.ones(5, bool)), {}, "correct_a must be a boolean"),
        ((np.ones(5, bool), np.ones(4, bool)), {}, "same examples"),
        ((np.ones((2, 5), bool), np.ones((2, 5), bool)), {"n_boot": 1}, "n_boot"),
        ((np.ones(5, bool), np.ones(5, bool)), {"level": 95}, "level"),
        ((np.ones((2, 2, 5), bool), np.ones((2, 2, 5), bool)), {}, r"\(k, N\)"),
        ((np.ones(0, bool), np.ones(0, bool)), {}, "N >= 1"),
    ],
)
def test_paired_bootstrap_bad_input_raises(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        paired_bootstrap(*args, **kwargs)


def test_mcnemar_takes_one_pair_of_vectors():
    with pytest.raises(ValueError, match=r"\(N,\)"):
        mcnemar_exact(np.ones((2, 5), bool), np.ones((2, 5), bool))
    with pytest.raises(ValueError, match="boolean"):
        mcnemar_exact(np.ones(5, int), np.ones(5, int))
