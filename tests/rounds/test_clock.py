"""The actions' injectable clock: every moment a write stamps comes from ``now=``."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from smartcommune.rounds.actions import (
    do_add_evidence, do_open_round, do_remove_evidence, do_save_values, do_transition, do_verify_items,
)
from smartcommune.rounds.models import AuditEntry, CriterionValue, EvidenceKind, Notification, Status
from tests.rounds.fixtures import CRITERIA, SET_CODE, assessment_of, full_values, verifier_for

pytestmark = pytest.mark.django_db

MOMENT = timezone.make_aware(datetime(2024, 11, 1, 9, 30))


def clock():
    return MOMENT


def test_every_stamp_of_a_write_comes_from_the_given_clock(world):
    # Deadline 30/11/2024: by the real clock (later than that) a submission would be late.
    deadline = date(2024, 11, 30)
    round_ = do_open_round(actor=world.secretariat, criteria_set_code=SET_CODE, year=2024, province=world.bt,
                           submission_deadline=deadline, review_deadline=deadline, verification_deadline=deadline,
                           now=clock)
    assert round_.opened_at == MOMENT
    a = assessment_of(round_, world.a)
    a = do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values=full_values(),
                       now=clock)
    assert set(CriterionValue.objects.filter(assessment=a).values_list("updated_at", flat=True)) == {MOMENT}
    evidence = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind=EvidenceKind.LINK,
                               url="https://xa.example/cong", now=clock)
    assert evidence.uploaded_at == MOMENT
    evidence = do_remove_evidence(actor=world.officer_a, evidence=evidence, now=clock)
    assert evidence.removed_at == MOMENT
    a = do_transition(actor=world.officer_a, assessment=a, transition_name="submit", now=clock)
    assert a.status == Status.SUBMITTED and a.submitted_at == MOMENT and not a.late
    a = do_transition(actor=world.district1, assessment=a, transition_name="district_forward", now=clock)
    for c in CRITERIA.criteria:
        (a,) = do_verify_items(actor=verifier_for(world, c.code), items=[(a, c.code, None)], now=clock)
    assert a.status == Status.AGENCY_VERIFIED
    assert set(CriterionValue.objects.filter(assessment=a).values_list("reviewed_at", flat=True)) == {MOMENT}
    assert set(AuditEntry.objects.filter(assessment=a).values_list("at", flat=True)) == {MOMENT}
    notes = Notification.objects.filter(assessment=a)
    assert notes.exists() and set(notes.values_list("created_at", flat=True)) == {MOMENT}


def test_without_a_clock_the_actions_use_the_time_of_the_write(world, round_bt):
    before = timezone.now()
    a = assessment_of(round_bt, world.a)
    a = do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values=full_values())
    a = do_transition(actor=world.officer_a, assessment=a, transition_name="submit")
    assert before <= a.submitted_at <= timezone.now()
    assert all(before <= at <= timezone.now() for at in AuditEntry.objects.filter(assessment=a, version__gt=1)
               .values_list("at", flat=True))
