"""The benchmark loader keeps producing data of the product's shape (a tiny scale, fast)."""

from collections import Counter

import pytest

from bench.load_national import build
from smartcommune.demo.models import SyntheticRound
from smartcommune.rounds.models import Assessment, CriterionValue, Round
from smartcommune.rounds.selectors import evaluate_assessment
from smartcommune.units.models import Level, Unit

pytestmark = pytest.mark.django_db


def test_tiny_world_has_the_shape_of_real_data():
    report = build(provinces=3, communes=45, years=(2023, 2024, 2025), seed=7, real_ben_tre=False,
                   log=lambda *_: None)

    provinces = Unit.objects.filter(level=Level.PROVINCE)
    assert provinces.count() == 3 == report.provinces
    communes = Unit.objects.filter(level=Level.COMMUNE)
    assert communes.count() == 45 == report.communes
    # Synthetic codes stay outside the real GSO ranges; every commune sits under a district.
    assert all(len(c.code) == 5 and int(c.code) > 40000 for c in communes)
    assert all(c.parent.level == Level.DISTRICT and c.latitude is not None for c in communes)
    assert all(p.code.startswith("9") and len(p.code) == 3 for p in provinces)

    # One round per province and year, each marked synthetic.
    assert Round.objects.count() == 9 == report.rounds
    assert SyntheticRound.objects.count() == 9
    # One assessment per commune-year, 23 values each, most published.
    assert Assessment.objects.count() == 45 * 3 == report.assessments
    per_assessment = Counter(CriterionValue.objects.values_list("assessment_id", flat=True))
    assert set(per_assessment.values()) == {23} and len(per_assessment) == 135
    statuses = Counter(Assessment.objects.values_list("status", flat=True))
    assert statuses["published"] > 135 / 2
    assert set(Assessment.objects.filter(round__year=2023).values_list("status", flat=True)) == {"published"}

    # A published assessment: decided as the engine says, every item verified.
    for a in Assessment.objects.filter(status="published").select_related("round", "unit")[:10]:
        assert a.published_at is not None and a.decision_number and a.decision_date
        assert a.decision_recognised == evaluate_assessment(a).smart_commune
        assert set(a.values.values_list("review_status", flat=True)) == {"verified"}
    # A draft has nothing verified.
    for a in Assessment.objects.filter(status="draft"):
        assert not a.values.filter(review_status="verified").exists()
