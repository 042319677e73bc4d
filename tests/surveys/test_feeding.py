"""Closing a survey feeds criterion 4 of the commune's assessment, with counts equal to an
independent count of the stored answers, and attaches its reports as evidence."""

from __future__ import annotations

import pytest

from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.exceptions import ValidationFailed, RoundError
from smartcommune.rounds.models import AuditEntry, Evidence
from smartcommune.surveys.actions import FEED_SOURCE, do_close_survey, do_feed_round, do_void_answer
from smartcommune.surveys.models import Answer, EventKind
from tests.rounds.fixtures import fill, fresh, step
from tests.surveys.fixtures import answer, survey  # noqa: F401


def criterion_4(s):
    return s.assessment.values.get(criterion_code="4")


def independent_count(s) -> int:
    return sum(1 for a in Answer.objects.filter(survey=s) if a.voided_at is None)


@pytest.mark.parametrize("closer", ["officer_a", "secretariat"])
def test_closing_feeds_criterion_4_and_attaches_the_reports(world, survey, closer):
    for level in (4, 3, 2, 1, 4):
        answer(survey, level=level, topics={"ngan_sach": "ro_rang"})
    do_void_answer(actor=world.secretariat, answer=Answer.objects.first(), reason="thử")
    fed = do_close_survey(actor=getattr(world, closer), survey=survey)
    value = criterion_4(survey)
    assert (value.numerator, value.denominator) == (independent_count(survey), survey.planned) == (4, 91)
    assert value.source == FEED_SOURCE and value.fed_by == "survey"
    assert fed.counts == (4, 91) and set(fed.evidence) == {"4", "3.4"}
    files = {e.criterion_code: e for e in Evidence.objects.filter(assessment=survey.assessment)}
    assert set(files) == {"4", "3.4"} and files["4"].content_type == "application/pdf"
    assert AuditEntry.objects.filter(assessment=survey.assessment, criterion_code="4", action="value_fed").exists()
    # The officer cannot type over the survey's counts.
    with pytest.raises(RoundError, match="tự động"):
        do_save_values(actor=world.officer_a, assessment=fresh(survey.assessment),
                       expected_version=fresh(survey.assessment).version,
                       values={"4": {"numerator": 91, "denominator": 91}})
    assert criterion_4(survey).numerator == 4


def test_more_answers_than_planned_give_a_full_ratio(world, round_bt):
    from smartcommune.surveys.actions import do_set_plan
    from tests.surveys.fixtures import open_survey
    s = open_survey(world, round_bt, plan=False)
    s = do_set_plan(actor=world.secretariat, survey=s, frame_kind="population", hamlets=[("Ấp 1", 3)], margin="0.1")
    assert s.planned == 3
    for _ in range(5):
        answer(s)
    do_close_survey(actor=world.officer_a, survey=s)
    assert (criterion_4(s).numerator, criterion_4(s).denominator) == (3, 3)


def test_a_submitted_assessment_is_fed_once_returned(world, survey):
    answer(survey, level=4)
    fill(survey.assessment, world.officer_a)
    step(world.officer_a, fresh(survey.assessment), "submit")
    before = criterion_4(survey)
    fed = do_close_survey(actor=world.officer_a, survey=survey)
    assert fed.counts is None and "không nhận số liệu" in fed.reason
    assert (criterion_4(survey).numerator, criterion_4(survey).fed_by) == (before.numerator, "")
    with pytest.raises(ValidationFailed):
        do_feed_round(actor=world.officer_a, survey=survey)
    step(world.district1, fresh(survey.assessment), "district_return", items={"4": "Dùng kết quả khảo sát"})
    fed = do_feed_round(actor=world.officer_a, survey=survey)
    assert fed.counts == (1, 91) and criterion_4(survey).fed_by == "survey"
    assert fed.evidence == ("4",)  # 3.4 is not returned: it takes no evidence now
    # Feeding again changes nothing and attaches nothing twice.
    again = do_feed_round(actor=world.officer_a, survey=survey)
    assert again.evidence == () and Evidence.objects.filter(criterion_code="4").count() == 1
    assert survey.events.filter(kind=EventKind.FED).count() == 2


def test_closing_from_the_page_says_what_was_fed(client, world, survey):
    answer(survey, level=4)
    client.force_login(world.officer_a)
    page = client.post(f"/surveys/{survey.pk}/close/", follow=True).content.decode()
    assert "Đã đóng khảo sát." in page and "Tiêu chí 4 nhận 1/91" in page
    assert client.post(f"/surveys/{survey.pk}/feed/", follow=True).status_code == 200
    assert criterion_4(survey).numerator == 1
