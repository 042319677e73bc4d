"""The survey's arithmetic, pure (no Django): sample size, allocation to hamlets,
confidence intervals.  Exact where it can be (fractions, never floats, for anything that
decides a count); floats only for the interval bounds shown to people.

* :func:`sample_size` -- Yamane's ``n = N / (1 + N·e²)`` (the SIPAS formula, 95 %
  confidence, p = 0.5), or for another confidence level Cochran's formula with the
  finite-population correction, ``n0 = z²·p(1−p)/e²``, ``n = n0·N / (n0 + N − 1)``;
  rounded up, never above ``N``.
* :func:`allocate` -- the sample split over hamlets in proportion to their size by the
  largest-remainder method: every quota is its exact share rounded down, then the units
  left go one each to the largest remainders (ties: the larger hamlet, then the earlier
  one).  The quotas add up to ``n`` exactly and each is within one of its exact share.
* :func:`wilson` -- Wilson's score interval for a proportion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

YAMANE = "yamane"
COCHRAN = "cochran"
METHODS = (YAMANE, COCHRAN)

# Two-sided normal quantiles of the confidence levels offered (percent → z).
Z_OF_CONFIDENCE = {90: Fraction("1.6449"), 95: Fraction("1.96"), 99: Fraction("2.5758")}


class SamplingError(ValueError):
    """A plan that cannot be computed; ``vi`` and ``en`` say why."""

    def __init__(self, vi: str, en: str):
        self.vi, self.en = vi, en
        super().__init__(f"{vi} ({en})")


def _margin(e) -> Fraction:
    margin = Fraction(str(e)) if not isinstance(e, Fraction) else e
    if not (0 < margin < 1):
        raise SamplingError(f"Sai số cho phép phải lớn hơn 0 và nhỏ hơn 1 (đã nhập {e})",
                            f"the margin of error must be above 0 and below 1 (given {e})")
    return margin


def sample_size(population: int, e, *, method: str = YAMANE, confidence: int = 95) -> int:
    """The sample needed from a frame of ``population`` people (or households)."""
    if not isinstance(population, int) or isinstance(population, bool) or population < 0:
        raise SamplingError(f"Quy mô tổng thể phải là số nguyên không âm (đã nhập {population!r})",
                            f"the population must be a whole number, not negative (given {population!r})")
    margin = _margin(e)
    if population == 0:
        return 0
    if method == YAMANE:
        n = Fraction(population) / (1 + population * margin * margin)
    elif method == COCHRAN:
        if confidence not in Z_OF_CONFIDENCE:
            raise SamplingError(
                f"Độ tin cậy phải là một trong {', '.join(map(str, Z_OF_CONFIDENCE))} % (đã nhập {confidence})",
                f"the confidence level must be one of {', '.join(map(str, Z_OF_CONFIDENCE))} % (given {confidence})")
        z = Z_OF_CONFIDENCE[confidence]
        n0 = z * z * Fraction(1, 4) / (margin * margin)
        n = n0 * population / (n0 + population - 1)
    else:
        raise SamplingError(f"Công thức cỡ mẫu không có: {method!r}", f"unknown sample-size formula: {method!r}")
    return min(population, math.ceil(n))


def allocate(n: int, sizes: Sequence[int]) -> list[int]:
    """``n`` split over parts of ``sizes`` in proportion (largest remainder)."""
    total = sum(sizes)
    if any(s < 0 for s in sizes) or n < 0:
        raise SamplingError("Quy mô và cỡ mẫu không được âm", "sizes and the sample size cannot be negative")
    if total == 0:
        if n:
            raise SamplingError("Không phân bổ được mẫu: tổng quy mô các ấp bằng 0",
                                "cannot allocate a sample over hamlets whose sizes add up to 0")
        return [0] * len(sizes)
    shares = [Fraction(n * s, total) for s in sizes]
    quotas = [math.floor(share) for share in shares]
    left = n - sum(quotas)
    order = sorted(range(len(sizes)), key=lambda i: (-(shares[i] - quotas[i]), -sizes[i], i))
    for i in order[:left]:
        quotas[i] += 1
    return quotas


def wilson(successes: int, total: int, *, z: float = 1.96) -> tuple[float, float]:
    """Wilson's score interval of ``successes / total`` (``(0, 0)`` when ``total`` is 0)."""
    if total <= 0:
        return (0.0, 0.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    # The interval always holds p; rounding must not push a bound past it (0 of n: 0).
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))
