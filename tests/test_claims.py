"""The claim checks and the portable number printing behind every chapter's sentences."""

import numpy as np
import pytest

from optlib.claims import ClaimError, bound, claim, claim_close, fixed, sig


def test_claim_passes_silently_and_fails_naming_the_sentence():
    claim("under 1 % diverge", 0.004 < 0.01)
    with pytest.raises(ClaimError, match="under 1 % diverge.*measured: 0.011"):
        claim("under 1 % diverge", 0.011 < 0.01, 0.011)


def test_claim_accepts_numpy_bools():
    claim("all finite", np.all(np.isfinite([1.0, 2.0])))
    with pytest.raises(ClaimError):
        claim("all finite", np.all(np.isfinite([1.0, np.inf])))


def test_claim_close_uses_the_stated_tolerance():
    claim_close("matches to 3 digits", 0.8182, 0.8181818, rtol=5e-4)
    with pytest.raises(ClaimError, match="matches to 3 digits"):
        claim_close("matches to 3 digits", 0.83, 0.8181818, rtol=5e-4)
    with pytest.raises(ValueError, match="rtol"):
        claim_close("no tolerance", 1.0, 1.0)


def test_sig_prints_digits_that_survive_a_relative_perturbation():
    assert sig(0.265312, 3) == "0.265"
    assert sig(1234.5678, 2) == "1.2e+03"
    assert sig(0.0, 3) == "0"


def test_sig_refuses_a_rounding_knife_edge():
    # 0.26525 lies exactly between 0.2652 and 0.2653: another CPU could print either.
    with pytest.raises(ValueError, match="knife-edge"):
        sig(0.26525 * (1 + 1e-13), 4)
    assert sig(0.26525 * (1 + 1e-13), 2) == "0.27"
    with pytest.raises(ValueError, match="digits"):
        sig(1.0, 0)


def test_fixed_refuses_a_knife_edge_too():
    assert fixed(3.14159, 2) == "3.14"
    with pytest.raises(ValueError, match="knife-edge"):
        fixed(0.125, 2)


def test_bound_prints_the_limit_and_checks_it():
    assert bound(6.3e-16, 1e-14) == "below 1e-14"
    assert bound(-5.9e-16, 1e-14) == "below 1e-14"
    with pytest.raises(ClaimError, match="below 1e-14"):
        bound(2e-14, 1e-14)
    with pytest.raises(ValueError, match="limit"):
        bound(1e-16, 0)
