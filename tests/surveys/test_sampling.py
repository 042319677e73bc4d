"""The survey's arithmetic against independent models (hypothesis)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from smartcommune.surveys.sampling import COCHRAN, YAMANE, SamplingError, allocate, sample_size, wilson

margins = st.sampled_from(["0.01", "0.02", "0.03", "0.05", "0.07", "0.1", "0.15"])


@given(st.integers(0, 10_000_000), margins)
def test_yamane_is_the_smallest_whole_sample_at_least_the_formula(population, e):
    n = sample_size(population, e)
    exact = Fraction(population) / (1 + population * Fraction(e) ** 2)
    assert n >= exact and n - 1 < exact
    assert 0 <= n <= population


@given(st.integers(1, 10_000_000), margins, st.sampled_from([90, 95, 99]))
def test_cochran_never_exceeds_the_population_and_grows_with_confidence(population, e, confidence):
    n = sample_size(population, e, method=COCHRAN, confidence=confidence)
    assert 1 <= n <= population
    if confidence < 99:
        assert n <= sample_size(population, e, method=COCHRAN, confidence=99)


def test_known_values():
    # Yamane's table: N = 1,000, e = 5 % → 286; N = 10,000 → 385.
    assert sample_size(1000, "0.05") == 286
    assert sample_size(10000, "0.05") == 385
    assert sample_size(0, "0.05") == 0


@pytest.mark.parametrize("bad", [0, 1, "-0.1", "2"])
def test_a_margin_outside_zero_one_is_refused(bad):
    with pytest.raises(SamplingError):
        sample_size(100, bad, method=YAMANE)


@given(st.integers(0, 5000), st.lists(st.integers(0, 100_000), min_size=1, max_size=60))
def test_quotas_add_up_and_each_is_within_one_of_its_share(n, sizes):
    if sum(sizes) == 0:
        assert allocate(0, sizes) == [0] * len(sizes)
        return
    quotas = allocate(n, sizes)
    assert sum(quotas) == n
    for quota, size in zip(quotas, sizes):
        share = Fraction(n * size, sum(sizes))
        assert math.floor(share) <= quota <= math.ceil(share)
        assert abs(quota - share) < 1


@given(st.integers(0, 5000), st.lists(st.integers(0, 100_000), min_size=1, max_size=30))
def test_largest_remainder_matches_a_naive_model(n, sizes):
    """An independent model: hand out the units one by one to the part furthest below its
    exact share once every part has its floor (Hamilton's method, stated differently)."""
    total = sum(sizes)
    if total == 0:
        return
    shares = [Fraction(n * s, total) for s in sizes]
    model = [math.floor(s) for s in shares]
    for _ in range(n - sum(model)):
        candidates = [i for i in range(len(sizes)) if model[i] == math.floor(shares[i])]
        best = max(candidates, key=lambda i: (shares[i] - model[i], sizes[i], -i))
        model[best] += 1
    assert allocate(n, sizes) == model


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_wilson_interval_contains_the_share_and_stays_in_zero_one(k, total):
    k = min(k, total)
    low, high = wilson(k, total)
    assert 0 <= low <= k / total <= high <= 1
