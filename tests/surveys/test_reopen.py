"""Reopening a closed survey (the secretariat, with a reason, before the decision): it
takes answers again, criterion 4 is no longer fed (the officer may type it), and closing
again feeds the counts of the answers then stored.  The agency verifier of criterion 4
and 3.4 finds the survey's results and report in their queue."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.exceptions import NotAllowed, RoundError, ValidationFailed
from smartcommune.rounds.models import AuditEntry, Evidence
from smartcommune.surveys.actions import do_close_survey, do_reopen_survey, do_void_answer
from smartcommune.surveys.models import Answer, EventKind, SurveyStatus
from tests.rounds.fixtures import assessment_of, fill, fresh, step, verify_all
from tests.surveys.fixtures import answer, survey  # noqa: F401
from tests.surveys.test_feeding import criterion_4, independent_count


def closed(world, s):
    for level in (4, 3, 1):
        answer(s, level=level)
    do_close_survey(actor=world.officer_a, survey=s)
    s.refresh_from_db()
    return s


def test_reopening_releases_the_feed_and_closing_again_feeds_anew(world, survey):
    s = closed(world, survey)
    assert (criterion_4(s).numerator, criterion_4(s).fed_by) == (3, "survey")
    reopened = do_reopen_survey(actor=world.secretariat, survey=s, reason="  Ấp 2 chưa khảo sát đủ  ")
    assert reopened.status == SurveyStatus.OPEN and reopened.closed_at is None
    event = s.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.reason, event.old_value["valid"]) == (world.secretariat, "Ấp 2 chưa khảo sát đủ", 3)
    # The values stay, no longer fed: the officer may type them again, and the release is audited.
    value = criterion_4(s)
    assert (value.numerator, value.fed_by) == (3, "")
    assert AuditEntry.objects.filter(assessment=s.assessment, criterion_code="4", action="value_fed",
                                     field="fed_by", old_value="survey", new_value="").exists()
    do_save_values(actor=world.officer_a, assessment=fresh(s.assessment), expected_version=fresh(s.assessment).version,
                   values={"4": {"numerator": 50, "denominator": 91}})
    assert criterion_4(s).numerator == 50
    # Answers arrive again; one is voided; closing feeds the count of the answers now stored.
    for level in (4, 4, 2):
        answer(s, level=level)
    do_void_answer(actor=world.secretariat, answer=Answer.objects.filter(survey=s).first(), reason="trùng")
    fed = do_close_survey(actor=world.officer_a, survey=s)
    value = criterion_4(s)
    assert (value.numerator, value.denominator, value.fed_by) == (independent_count(s), s.planned, "survey")
    assert fed.counts == (5, 91)
    # A fresh report for the new counts: one per closing.
    assert fed.evidence == ("4", "3.4")
    assert Evidence.objects.filter(assessment=s.assessment, criterion_code="4", removed_at__isnull=True).count() == 2
    with pytest.raises(RoundError, match="tự động"):
        do_save_values(actor=world.officer_a, assessment=fresh(s.assessment),
                       expected_version=fresh(s.assessment).version, values={"4": {"numerator": 91, "denominator": 91}})


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "district1", "secretariat_vl", "nobody", "admin"])
def test_only_the_provinces_secretariat_reopens(world, survey, who):
    s = closed(world, survey)
    with pytest.raises(NotAllowed):
        do_reopen_survey(actor=getattr(world, who), survey=s, reason="thử")
    s.refresh_from_db()
    assert s.status == SurveyStatus.CLOSED and criterion_4(s).fed_by == "survey"
    assert not s.events.filter(kind=EventKind.REOPENED).exists()


def test_a_reason_is_required_and_an_open_survey_is_not_reopened(world, survey):
    with pytest.raises(ValidationFailed, match="đang mở"):
        do_reopen_survey(actor=world.secretariat, survey=survey, reason="thử")
    s = closed(world, survey)
    for reason in ("", "   "):
        with pytest.raises(ValidationFailed, match="lý do"):
            do_reopen_survey(actor=world.secretariat, survey=s, reason=reason)
    s.refresh_from_db()
    assert s.status == SurveyStatus.CLOSED and criterion_4(s).fed_by == "survey"


@pytest.mark.parametrize("publish", [False, True])
def test_a_decided_or_published_assessment_keeps_its_survey_closed(world, survey, publish):
    fill(survey.assessment, world.officer_a)
    s = closed(world, survey)
    a = step(world.officer_a, fresh(s.assessment), "submit")
    a = verify_all(world, step(world.district1, a, "district_forward"))
    a = step(world.secretariat, step(world.secretariat, a, "appraise"), "record_decision",
             recognised=True, number="1/QĐ", date=date(2025, 1, 2), signer="C")
    if publish:
        step(world.secretariat, a, "publish")
    with pytest.raises(ValidationFailed, match="đã chốt"):
        do_reopen_survey(actor=world.secretariat, survey=s, reason="thử")
    s.refresh_from_db()
    assert s.status == SurveyStatus.CLOSED and criterion_4(s).fed_by == "survey"
    assert not s.events.filter(kind=EventKind.REOPENED).exists()


def test_reopening_from_the_survey_page(client, world, survey):
    s = closed(world, survey)
    url = reverse("surveys:reopen", args=[s.pk])
    client.force_login(world.officer_a)
    assert 'id="reopen"' not in client.get(reverse("surveys:detail", args=[s.pk])).content.decode()
    assert client.post(url, {"reason": "thử"}).status_code == 403
    client.force_login(world.secretariat_vl)  # another province: the survey is not theirs to see
    assert client.post(url, {"reason": "thử"}).status_code == 404
    client.force_login(world.secretariat)
    assert 'id="reopen"' in client.get(reverse("surveys:detail", args=[s.pk])).content.decode()
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Cần ghi lý do mở lại khảo sát" in page and fresh_status(s) == SurveyStatus.CLOSED
    page = client.post(url, {"reason": "Bổ sung phiếu ấp 3"}, follow=True).content.decode()
    assert "Đã mở lại khảo sát" in page and fresh_status(s) == SurveyStatus.OPEN
    assert criterion_4(s).fed_by == ""


def fresh_status(s) -> str:
    s.refresh_from_db()
    return s.status


def test_the_verifier_of_4_and_3_4_finds_the_survey_in_their_queue(client, world, round_bt, survey):
    fill(survey.assessment, world.officer_a)
    s = closed(world, survey)
    step(world.district1, step(world.officer_a, fresh(s.assessment), "submit"), "district_forward")
    other = step(world.officer_b, fill(assessment_of(round_bt, world.b), world.officer_b), "submit")
    step(world.district1, other, "district_forward")  # commune B has no survey
    results, report, topics = (reverse("surveys:detail", args=[s.pk]), reverse("surveys:export", args=[s.pk, "pdf"]),
                               reverse("surveys:export", args=[s.pk, "topics"]))
    queue = reverse("rounds:agency_queue")
    for agency, code, link in (("SNV", "4", report), ("STTTT", "3.4", topics)):
        client.force_login(world.verifiers[agency])
        page = client.get(queue, {"criterion": code}).content.decode()
        assert page.count(f'href="{results}"') == 1 and page.count(f'href="{link}"') == 1
        assert "3 phiếu hợp lệ / 91 kế hoạch" in page
        assert client.get(results).status_code == 200
        response = client.get(link)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(world.verifiers["SYT"])  # leads neither: no survey on its rows
    assert f"/surveys/{s.pk}/" not in client.get(queue).content.decode()
