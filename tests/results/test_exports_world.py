"""Published results for the export tests, walked through the real workflow.

Not a test module of its own: the ``exports_world`` fixture and helpers are imported by
the ``test_exports_*`` modules. Bến Tre 2024 (a round of the ``world`` fixture):

* A (Phường Phú Khương, district D1): every criterion met → 10 fields, published;
* B (Phường Phú Tân, D1): 1.2 at 863/1000 (gap 37), 2.2 at 9/10 (gap 1), 6.1 failed,
  9.2 with nothing to count (0/0: not applicable), 10.1 not reported → 6 fields, published;
* C (Xã Tân Thạch, D2): filled and submitted, never published.

And 2023: A published with 8 fields (trend), in a second round.
"""

from __future__ import annotations

from datetime import date

import pytest

from smartcommune.accounts.models import Role
from smartcommune.criteria.engine import evaluate
from smartcommune.demo.context_processors import forget
from smartcommune.demo.models import SyntheticRound
from smartcommune.rounds.actions import do_add_evidence, do_save_values
from smartcommune.rounds.selectors import inputs_of
from tests.rounds.fixtures import (  # noqa: F401  (world: a fixture the test modules import from here)
    CRITERIA, assessment_of, fresh, full_values, open_round, step, user, verify_all, world,
)

B_CHANGES = {
    "1.2": {"numerator": 863, "denominator": 1000, "source": "Điều tra hộ gia đình"},
    "2.2": {"numerator": 9, "denominator": 10},
    "6.1": {"met": False},
    "9.2": {"numerator": 0, "denominator": 0},
    "10.1": {"met": None},
}
A_2023_CHANGES = {"1.1": {"numerator": 9, "denominator": 10}, "8.1": {"numerator": 1, "denominator": 3}}


def save(assessment, officer, values):
    return do_save_values(actor=officer, assessment=assessment, expected_version=fresh(assessment).version,
                          values=values)


def publish(world, assessment, officer, reviewer, *, recognised: bool, submitted: bool = False):
    """Submit (unless ``submitted``), forward, verify everything, appraise, decide and publish."""
    a = fresh(assessment) if submitted else step(officer, fresh(assessment), "submit")
    a = step(reviewer, a, "district_forward")
    a = verify_all(world, a)
    a = step(world.secretariat, a, "appraise")
    a = step(world.secretariat, a, "record_decision", recognised=recognised, number="15/QĐ-UBND",
             date=date(2025, 3, 1), signer="Nguyễn Văn A")
    return step(world.secretariat, a, "publish")


def build(world):
    """The published (and unpublished) results described in the module's docstring."""
    w = world
    w.officer_c = user("officer_c", (Role.COMMUNE_OFFICER, w.c, ""))
    w.round_2024 = open_round(w, year=2024)
    w.round_2023 = open_round(w, year=2023)

    a = save(assessment_of(w.round_2024, w.a), w.officer_a, full_values())
    do_add_evidence(actor=w.officer_a, assessment=a, criterion_code="1.2", kind="document",
                    document_number="45/BC-UBND", note="Báo cáo hạ tầng số")
    do_add_evidence(actor=w.officer_a, assessment=a, criterion_code="1.2", kind="link",
                    url="https://example.vn/bao-cao-ha-tang")
    w.pub_a = publish(w, a, w.officer_a, w.district1, recognised=True)

    b = save(assessment_of(w.round_2024, w.b), w.officer_b, full_values())
    b = save(b, w.officer_b, B_CHANGES)
    w.pub_b = publish(w, b, w.officer_b, w.district1, recognised=False)

    c = save(assessment_of(w.round_2024, w.c), w.officer_c, full_values(numerator=5))
    w.draft_c = step(w.officer_c, c, "submit")

    a23 = save(assessment_of(w.round_2023, w.a), w.officer_a, full_values())
    a23 = save(a23, w.officer_a, A_2023_CHANGES)
    w.pub_a_2023 = publish(w, a23, w.officer_a, w.district1, recognised=True)
    return w


def engine_result(assessment):
    """What the engine says for the stored inputs: the reference every export must equal."""
    assessment = fresh(assessment)
    return evaluate(CRITERIA, inputs_of(assessment), unit_code=assessment.unit.code, year=assessment.round.year)


def mark_synthetic(round_):
    """Label ``round_`` synthetic demo data, as the demo loader does."""
    SyntheticRound.objects.create(round=round_, seed=2021, key_check="0" * 64)
    forget()


@pytest.fixture
def exports_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield build(world)
    # The banner keeps its answer for a while; the rolled-back mark must not outlive the test.
    forget()
