"""Edits outside the assessment screens go through actions: a round's deadlines moved in
the admin (checked, audited on every assessment of the round), notifications marked read."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartcommune.rounds.actions import do_mark_notifications_read, do_move_deadlines
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from smartcommune.rounds.models import Assessment, AuditAction, AuditEntry, Notification, Round
from tests.rounds.fixtures import assessment_of, fill, open_round

pytestmark = pytest.mark.django_db

MOMENT = timezone.make_aware(dt.datetime(2024, 12, 2, 10, 0))


@pytest.fixture
def round_2024(world):
    return open_round(world, deadline=dt.date(2024, 11, 30))


def moved(round_):
    return AuditEntry.objects.filter(assessment__round=round_, action=AuditAction.DEADLINE_MOVED)


def test_moving_deadlines_is_audited_on_every_assessment(world, round_2024):
    a = fill(assessment_of(round_2024, world.a), world.officer_a)
    versions = dict(Assessment.objects.filter(round=round_2024).values_list("pk", "version"))
    with pytest.raises(ValidationFailed, match="theo thứ tự"):
        do_move_deadlines(actor=world.secretariat, round_=round_2024, submission_deadline=dt.date(2024, 12, 15),
                          review_deadline=dt.date(2024, 12, 20), verification_deadline=dt.date(2024, 11, 30))
    with pytest.raises(NotAllowed):
        do_move_deadlines(actor=world.officer_a, round_=round_2024, submission_deadline=dt.date(2024, 12, 15),
                          review_deadline=dt.date(2024, 12, 20), verification_deadline=dt.date(2024, 12, 31))
    assert not moved(round_2024).exists()
    r = do_move_deadlines(actor=world.secretariat, round_=round_2024, submission_deadline=dt.date(2024, 12, 15),
                          review_deadline=dt.date(2024, 12, 20), verification_deadline=dt.date(2024, 12, 31),
                          now=lambda: MOMENT)
    assert (r.submission_deadline, r.review_deadline, r.verification_deadline) == (
        dt.date(2024, 12, 15), dt.date(2024, 12, 20), dt.date(2024, 12, 31))
    assert Round.objects.get(pk=r.pk).submission_deadline == dt.date(2024, 12, 15)
    after = dict(Assessment.objects.filter(round=round_2024).values_list("pk", "version"))
    assert after == {pk: v + 1 for pk, v in versions.items()}
    entries = moved(round_2024).filter(assessment=a)
    assert {(e.field, e.old_value, e.new_value, e.at, e.actor_id, e.version) for e in entries} == {
        ("submission_deadline", "2024-11-30", "2024-12-15", MOMENT, world.secretariat.pk, after[a.pk]),
        ("review_deadline", "2024-11-30", "2024-12-20", MOMENT, world.secretariat.pk, after[a.pk]),
        ("verification_deadline", "2024-11-30", "2024-12-31", MOMENT, world.secretariat.pk, after[a.pk]),
    }
    # The same deadlines again: nothing moved, nothing written.
    do_move_deadlines(actor=world.secretariat, round_=r, submission_deadline=dt.date(2024, 12, 15),
                      review_deadline=dt.date(2024, 12, 20), verification_deadline=dt.date(2024, 12, 31))
    assert dict(Assessment.objects.filter(round=round_2024).values_list("pk", "version")) == after


def test_the_admin_moves_deadlines_through_the_action(world, round_2024):
    client = Client()
    client.force_login(world.admin)
    change = reverse("admin:rounds_round_change", args=[round_2024.pk])
    response = client.post(change, {"submission_deadline": "2024-12-20", "review_deadline": "2024-12-10",
                                    "verification_deadline": "2024-12-31"})
    assert response.status_code == 200 and "Các hạn phải theo thứ tự" in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(change, {"submission_deadline": "2024-12-20", "review_deadline": "2024-12-10",
                                    "verification_deadline": "2024-12-31"})
    assert "deadlines must be in order" in response.content.decode()  # the admin's language
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert not moved(round_2024).exists()
    response = client.post(change, {"submission_deadline": "2024-11-30", "review_deadline": "2024-12-10",
                                    "verification_deadline": "2024-12-31"})
    assert response.status_code == 302
    assert set(moved(round_2024).values_list("field", "actor_id")) == {
        ("review_deadline", world.admin.pk), ("verification_deadline", world.admin.pk)}
    assert moved(round_2024).count() == 2 * Assessment.objects.filter(round=round_2024).count()


def test_marking_notifications_read_touches_only_the_actors_own(world, round_bt):
    a = assessment_of(round_bt, world.a)
    for user in (world.officer_a, world.officer_a, world.district1):
        Notification.objects.create(recipient=user, assessment=a, message="x")
    assert do_mark_notifications_read(actor=world.officer_a, now=lambda: MOMENT) == 2
    assert set(Notification.objects.filter(recipient=world.officer_a).values_list("read_at", flat=True)) == {MOMENT}
    assert Notification.objects.get(recipient=world.district1).read_at is None
    assert do_mark_notifications_read(actor=world.officer_a) == 0
