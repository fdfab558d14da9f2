r"""Paired comparisons of two classifiers scored on the same test examples (chapter 10).

Two networks tested on the same images make correlated errors: most images both get right,
a few both get wrong, and only the images on which they *disagree* say anything about
which is better. Comparing their accuracies as if they came from two independent test
sets (the unpaired standard error :math:`\sqrt{2p(1-p)/N}`) throws that pairing away and
overstates the noise. The two tests here use it.

* :func:`mcnemar_exact`: McNemar's test (McNemar 1947). Of the :math:`b + c` images on
  which the two classifiers disagree, A gets :math:`b` right and B gets :math:`c`. If
  both were equally accurate, each disagreement would go either way with probability 1/2,
  so :math:`b \sim \operatorname{Binomial}(b + c, 1/2)`; the exact two-sided p-value
  follows (Dietterich 1998 recommends this test for comparing classifiers).
* :func:`paired_bootstrap`: resample the test examples with replacement, the same draw for
  both classifiers and for every seed, and recompute the accuracy difference averaged over
  the seeds. Its spread is the test set's share of the noise in that difference.

Both take boolean arrays ``correct_a``, ``correct_b``: ``True`` where a classifier's
prediction is right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class McNemar:
    """McNemar's exact test: ``b`` images only A gets right, ``c`` only B, and the p-value."""

    b: int
    c: int
    p_value: float

    @property
    def disagreements(self) -> int:
        """``b + c``: the images on which the two classifiers disagree."""
        return self.b + self.c


@dataclass(frozen=True)
class PairedBootstrap:
    """Accuracy difference A − B (a fraction) and its bootstrap over the test examples.

    ``difference`` is the observed mean over seeds and examples; ``se`` the standard
    deviation of the bootstrap replicates; ``low`` and ``high`` the percentile interval at
    the requested ``level``; ``replicates`` the replicates themselves.
    """

    difference: float
    se: float
    low: float
    high: float
    level: float
    replicates: np.ndarray


def _check_pair(correct_a: np.ndarray, correct_b: np.ndarray, ndims: tuple[int, ...]):
    a, b = np.asarray(correct_a), np.asarray(correct_b)
    for name, arr in (("correct_a", a), ("correct_b", b)):
        if arr.dtype != bool:
            raise ValueError(
                f"{name} must be a boolean array (True where the prediction is right); "
                f"got dtype {arr.dtype}"
            )
        if arr.ndim not in ndims or arr.shape[-1] == 0:
            shapes = " or ".join(("(N,)", "(k, N)")[: len(ndims)])
            raise ValueError(f"{name} must have shape {shapes} with N >= 1; got {arr.shape}")
    if a.shape != b.shape:
        raise ValueError(
            f"correct_a and correct_b must score the same examples: shapes {a.shape} and "
            f"{b.shape} differ"
        )
    return a, b


def mcnemar_exact(correct_a: np.ndarray, correct_b: np.ndarray) -> McNemar:
    r"""McNemar's exact test of equal accuracy for two classifiers on the same ``N`` examples.

    With :math:`b` = #(A right, B wrong) and :math:`c` = #(A wrong, B right),

    .. math::
        p = \min\Bigl(1,\; 2 \sum_{i=0}^{\min(b, c)} \binom{b+c}{i} 2^{-(b+c)}\Bigr),

    the probability, if each disagreement were a fair coin, of a split at least as uneven
    as the one observed. Computed exactly with integers. ``p = 1`` when they never disagree.
    """
    a, b = _check_pair(correct_a, correct_b, (1,))
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    d = only_a + only_b
    tail = sum(math.comb(d, i) for i in range(min(only_a, only_b) + 1))
    return McNemar(only_a, only_b, min(1.0, 2 * tail / 2**d))


def paired_bootstrap(
    correct_a: np.ndarray,
    correct_b: np.ndarray,
    n_boot: int = 10_000,
    seed: int = 0,
    level: float = 0.95,
) -> PairedBootstrap:
    """Bootstrap the accuracy difference A − B over the test examples, paired.

    ``correct_a`` and ``correct_b`` have shape ``(N,)`` (one network each) or ``(k, N)``
    (``k`` seeds each; seed ``i`` of A is paired with seed ``i`` of B, for example trained
    from the same initial weights and batch order). Each replicate draws ``N`` example
    indices with replacement from ``np.random.default_rng(seed)`` (integers only, so every
    CPU draws the same) and uses the same draw for both classifiers and every seed. All
    replicates are computed in one gather.
    """
    a, b = _check_pair(correct_a, correct_b, (1, 2))
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 2:
        raise ValueError(f"n_boot must be an integer >= 2; got {n_boot!r}")
    if not (isinstance(level, float) and 0 < level < 1):
        raise ValueError(f"level must be a float in (0, 1); got {level!r}")
    # per example: the difference averaged over the seeds, in (-1, 1)
    per_example = (a.astype(float) - b.astype(float)).reshape(-1, a.shape[-1]).mean(axis=0)
    n = per_example.size
    idx = np.random.default_rng(seed).integers(0, n, size=(int(n_boot), n))
    replicates = per_example[idx].mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(replicates, [tail, 1 - tail])
    return PairedBootstrap(
        float(per_example.mean()),
        float(replicates.std(ddof=1)),
        float(low),
        float(high),
        level,
        replicates,
    )
