"""Results worth looking at, on top of the rounds' ``world`` (tests/rounds/fixtures.py).

Bến Tre, rounds 2023 and 2024 (districts D1 with communes A, B; D2 with C):

======  =====================================================  ==========  ==========
commune 2024 values                                            fields met  2023
======  =====================================================  ==========  ==========
A       all met but 1.2 = 863/1000 (≥ 90 %: 37 households short)  9 (smart)   10
B       1.2 as A, 2.2 = 5/10, 4 = 90/100, 7 = 0/4                  6 (1 short)  5
C       1.3 not met, 2.2 = 5/10, 4 = 90/100, 5.1 = 3/4, 6.1 no     5 (2 short)  not filled
======  =====================================================  ==========  ==========

2024: A published (recognised), B decided (not recognised, unpublished), C draft.
2023: A and B published, C draft.  Statuses are set directly (the workflow has its own
tests); the values go through ``do_save_values`` like an officer's.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import timezone

from smartcommune.accounts.models import Role
from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.models import Assessment, Status
from tests.rounds.fixtures import assessment_of, fresh, full_values, open_round, user

SHORT_HOUSEHOLDS = {"1.2": {"numerator": 863, "denominator": 1000}}
VALUES_2024 = {
    "a": SHORT_HOUSEHOLDS,
    "b": {**SHORT_HOUSEHOLDS, "2.2": {"numerator": 5, "denominator": 10}, "4": {"numerator": 90, "denominator": 100},
          "7": {"numerator": 0, "denominator": 4}},
    "c": {"1.3": {"met": False}, "2.2": {"numerator": 5, "denominator": 10}, "4": {"numerator": 90, "denominator": 100},
          "5.1": {"numerator": 3, "denominator": 4}, "6.1": {"met": False}},
}
VALUES_2023 = {
    "a": {},
    "b": {"2.2": {"numerator": 1, "denominator": 10}, "4": {"numerator": 1, "denominator": 100},
          "7": {"numerator": 0, "denominator": 4}, "8.1": {"numerator": 0, "denominator": 4},
          "9.1": {"numerator": 0, "denominator": 4}},
}


def save(assessment: Assessment, officer, overrides: dict) -> Assessment:
    values = full_values()
    for code, given in overrides.items():
        values[code] = {**values[code], **given}
    return do_save_values(actor=officer, assessment=assessment, expected_version=fresh(assessment).version,
                          values=values)


def set_status(assessment: Assessment, status: str, *, recognised: bool | None = None) -> Assessment:
    """Put ``assessment`` at ``status`` directly (test data; the workflow is tested elsewhere)."""
    fields = {"status": status}
    if status in (Status.RECOGNISED, Status.NOT_RECOGNISED, Status.PUBLISHED):
        fields |= {"decision_recognised": recognised, "decision_number": "12/QĐ-UBND",
                   "decision_date": date(2025, 1, 20), "decision_signer": "Nguyễn Văn An"}
    fields["published_at"] = timezone.now() if status == Status.PUBLISHED else None
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    return fresh(assessment)


@pytest.fixture
def results_world(world):
    w = world
    officers = {"a": w.officer_a, "b": w.officer_b}
    r = SimpleNamespace(world=w)
    r.round_2023 = open_round(w, year=2023)
    r.round_2024 = open_round(w, year=2024)
    # Commune C has no officer in the world; the fixture gives it one.
    w.officer_c = user("officer_c", (Role.COMMUNE_OFFICER, w.c, ""))
    officers["c"] = w.officer_c
    for key, overrides in VALUES_2023.items():
        save(assessment_of(r.round_2023, getattr(w, key)), officers[key], overrides)
    for key, overrides in VALUES_2024.items():
        save(assessment_of(r.round_2024, getattr(w, key)), officers[key], overrides)
    r.a23 = set_status(assessment_of(r.round_2023, w.a), Status.PUBLISHED, recognised=True)
    r.b23 = set_status(assessment_of(r.round_2023, w.b), Status.PUBLISHED, recognised=False)
    r.a = set_status(assessment_of(r.round_2024, w.a), Status.PUBLISHED, recognised=True)
    r.b = set_status(assessment_of(r.round_2024, w.b), Status.NOT_RECOGNISED, recognised=False)
    r.c = assessment_of(r.round_2024, w.c)
    return r
