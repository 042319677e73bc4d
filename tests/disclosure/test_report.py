"""The yearly feedback report (the evidence of 3.4) carries, where the commune's survey of
field 4 asks the 3.4 questions, the survey's answers to them: counts per question and
option equal to an independent count of the stored answers, and nothing personal."""

from datetime import date

from django.template.loader import render_to_string

from smartcommune.disclosure.report import report_context
from smartcommune.surveys.actions import do_void_answer
from smartcommune.surveys.models import Answer
from smartcommune.surveys.registry import of_survey
from tests.surveys.fixtures import answer, open_survey

TODAY = date(2025, 1, 15)


def test_the_report_counts_the_surveys_answers_to_the_3_4_questions(world, round_bt):
    survey = open_survey(world, round_bt)
    given = [{"dich_vu_cong": "hai_long"}, {"dich_vu_cong": "hai_long", "quy_hoach": "ro_rang"},
             {"ngan_sach": "ro_rang"}, {}, {"dich_vu_cong": "hai_long"}]
    for topics in given:
        answer(survey, level=3, topics=topics)
    do_void_answer(actor=world.secretariat, answer=Answer.objects.order_by("pk").last(), reason="trùng")
    context = report_context(world.a, 2024, TODAY)
    q = of_survey(survey)
    valid = [a.topics for a in Answer.objects.filter(survey=survey, voided_at__isnull=True)]
    rows = {row.key: row for row in context["survey_topics"]}
    assert set(rows) == {t.key for t in q.topics}
    for topic in q.topics:
        expected = [(o.label, sum(1 for t in valid if t.get(topic.key) == o.key)) for o in topic.options]
        assert rows[topic.key].options == expected
        assert rows[topic.key].unanswered == sum(1 for t in valid if topic.key not in t)
    assert ("Hài lòng", 2) in rows["dich_vu_cong"].options  # the third was voided
    html = render_to_string("disclosure/report_pdf.html", context)
    assert "4. Ý kiến người dân qua khảo sát" in html and q.topics[0].text in html


def test_without_a_survey_the_report_has_no_survey_section(world, round_bt):
    context = report_context(world.a, 2024, TODAY)
    assert context["survey_topics"] is None
    assert "qua khảo sát" not in render_to_string("disclosure/report_pdf.html", context)


def test_another_communes_or_years_survey_is_not_counted(world, round_bt):
    answer(open_survey(world, round_bt, world.b), level=4, topics={"dich_vu_cong": "hai_long"})
    assert report_context(world.a, 2024, TODAY)["survey_topics"] is None
    assert report_context(world.b, 2023, TODAY)["survey_topics"] is None
    assert report_context(world.b, 2024, TODAY)["survey_topics"] is not None
