"""The assessment page's summary speaks in the set's words: its recognition name, points and
levels for a set that scores, and stays as it was for Bến Tre."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from smartcommune.rounds.actions import do_open_round
from tests.rounds.fixtures import assessment_of, open_round, world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db]


def test_a_set_in_points_shows_points_levels_and_its_own_verdict(client, world):
    round_ = do_open_round(actor=world.admin, criteria_set_code="chuyen-doi-so-cap-xa-2026", year=2026,
                           province=world.vl, submission_deadline=date(2026, 3, 1),
                           review_deadline=date(2026, 4, 1), verification_deadline=date(2026, 5, 1))
    assert round_.criteria_hash
    client.force_login(world.secretariat_vl)
    response = client.get(reverse("rounds:assessment", args=[assessment_of(round_, world.x).pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-points="0.00"' in page and "0,00/100,00 điểm" in page
    assert "Chưa đạt (thiếu 50,00 điểm)" in page or "Chưa đạt (thiếu 50.00 điểm)" in page
    assert "Mức tiếp theo — Mức Trung bình" in page
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "xã thông minh" not in summary
    # The rule the set states, not a number of fields it does not ask for.
    assert "Xã được công nhận khi có tổng điểm từ 50,00 trở lên." in summary
    assert "Cần đạt ít nhất 0" not in page and "(cần 0)" not in page


def test_a_set_in_points_reads_its_rule_on_the_submit_page(client, world):
    a = assessment_of(dti_round(world), world.x)
    client.force_login(world.officer_x)
    page = client.get(reverse("rounds:assessment_submit", args=[a.pk])).content.decode()
    claim = page.split('class="claim"')[1].split("</p>")[0]
    assert "(cần 0)" not in claim and "Chưa đạt (thiếu 50,00 điểm)" in claim


def test_ben_tre_summary_is_unchanged(client, world):
    round_ = open_round(world)
    client.force_login(world.secretariat)
    page = client.get(reverse("rounds:assessment", args=[assessment_of(round_, world.a).pk])).content.decode()
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "Chưa đạt (thiếu 7 lĩnh vực)" in summary
    assert "Xã được công nhận khi đạt ít nhất 7/10 lĩnh vực." in summary
    assert "điểm" not in summary and "Mức tiếp theo" not in summary and "chưa đủ dữ liệu" not in summary


def dti_round(world):
    return do_open_round(actor=world.admin, criteria_set_code="chuyen-doi-so-cap-xa-2026", year=2026,
                         province=world.vl, submission_deadline=date(2026, 3, 1),
                         review_deadline=date(2026, 4, 1), verification_deadline=date(2026, 5, 1))


def test_the_officer_enters_a_choice_and_a_count_and_scores_points(client, world):
    from smartcommune.rounds.evaluation import evaluate_assessment
    from smartcommune.rounds.models import AuditEntry, CriterionValue

    a = assessment_of(dti_round(world), world.x)
    client.force_login(world.officer_x)
    page = client.get(reverse("rounds:assessment", args=[a.pk])).content.decode()
    assert 'name="choice-1.1"' in page and '<option value="chu-tich"' in page and 'name="count-1.2"' in page
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]), {
        "expected_version": a.version, "choice-1.1": "pho-chu-tich", "count-1.2": "3", "source-1.1": "QĐ 12/QĐ-UBND",
    })
    assert response.status_code in (200, 303)
    stored = {v.criterion_code: v for v in CriterionValue.objects.filter(assessment=a, criterion_code__in=["1.1", "1.2"])}
    assert stored["1.1"].choice == "pho-chu-tich" and stored["1.2"].count == 3
    assert {(e.criterion_code, e.field) for e in AuditEntry.objects.filter(assessment=a)} >= {("1.1", "choice"), ("1.2", "count")}
    a.refresh_from_db()
    evaluation = evaluate_assessment(a)
    by_code = {r.criterion.code: r for r in evaluation.criteria()}
    assert by_code["1.1"].points_text == "5.00" and by_code["1.2"].points_text == "15.00"
    assert evaluation.points_text == "20.00"
    page = client.get(reverse("rounds:assessment", args=[a.pk])).content.decode()
    assert "20,00/100,00 điểm" in page
    assert '<option value="pho-chu-tich" selected>' in page


def test_an_unknown_option_or_a_bad_count_is_refused_and_nothing_saved(client, world):
    from smartcommune.rounds.models import CriterionValue

    a = assessment_of(dti_round(world), world.x)
    client.force_login(world.officer_x)
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]), {
        "expected_version": a.version, "choice-1.1": "khong-co", "count-1.2": "-1"})
    page = response.content.decode()
    assert "1.1" in page and "1.2" in page
    assert not CriterionValue.objects.filter(assessment=a).exclude(choice=None).exists()
    assert not CriterionValue.objects.filter(assessment=a).exclude(count=None).exists()


def test_the_api_carries_count_and_choice(world):
    from tests.api.conftest import ApiClient, token_for

    a = assessment_of(dti_round(world), world.x)
    api = ApiClient(token_for(world.officer_x))
    url = f"/api/v1/assessments/{a.pk}/values"
    response = api.patch(url, {"expected_version": a.version, "values": {"1.1": {"choice": "chu-tich"}, "1.2": {"count": 4}}})
    assert response.status_code == 200, response.content
    values = {v["criterion_code"]: v for v in response.json()["values"]}
    assert values["1.1"]["choice"] == "chu-tich" and values["1.2"]["count"] == 4
    version = response.json()["version"]
    for bad in ({"1.2": {"count": -1}}, {"1.1": {"choice": "x" * 51}}, {"1.1": {"choice": "khong-co"}}):
        refused = api.patch(url, {"expected_version": version, "values": bad})
        assert refused.status_code in (400, 422), (bad, refused.status_code)


def test_a_threshold_not_to_exceed_reads_over_not_short_in_the_closest_fields():
    """2.3 of the Vĩnh Long set: late dossiers ≤ 5 %; 10 late of 100 is 5 too many."""
    from django.template.loader import render_to_string

    from smartcommune.criteria.engine import CriterionInput, evaluate
    from smartcommune.criteria.registry import get_criteria_set
    from smartcommune.rounds.views.live_evaluation import closest_fields, summary

    evaluation = evaluate(get_criteria_set("chuyen-doi-so-cap-xa-2026"), {"2.3": CriterionInput(10, 100)},
                          unit_code="29000", year=2026)
    lacks = {x["code"]: x for c in closest_fields(evaluation) for x in c["lacking"]}
    assert lacks["2.3"]["upward"] is False and lacks["2.3"]["gap"] == 5
    html = render_to_string("rounds/assessment/_summary.html", {"s": summary(evaluation), "a": None})
    assert "còn vượt 5" in html and "còn thiếu 5" not in html


def test_the_closest_of_a_set_in_points_are_the_criteria_that_could_add_the_most_points():
    """The officer's "Gần đạt nhất" for a set that recognises by points ranks criteria by
    the points they could still add (not fields by criteria lacking), saying each as the
    overview's closest communes do."""
    from django.template.loader import render_to_string

    from smartcommune.criteria.engine import CriterionInput, evaluate
    from smartcommune.criteria.registry import get_criteria_set
    from smartcommune.rounds.views.live_evaluation import summary

    evaluation = evaluate(get_criteria_set("chuyen-doi-so-cap-xa-2026"), {
        "1.1": CriterionInput(choice="pho-chu-tich"),  # 5 of 10
        "2.1": CriterionInput(1, 1), "3.2": CriterionInput(met=True),  # full marks: nothing to add
        "2.2": CriterionInput(60, 100),  # 15 of 20
        "2.3": CriterionInput(10, 100),  # 0 of 10: 5 late dossiers too many
        "3.3": CriterionInput(5, 10),  # 5 of 10
    }, unit_code="29000", year=2026)  # 1.2 (20) and 3.1 (10) not reported
    assert evaluation.points_text == "45.00" and not evaluation.smart_commune
    s = summary(evaluation)
    assert [(x["code"], str(x["gain"])) for x in s["closest"]] == [
        ("1.2", "20.00"), ("2.3", "10.00"), ("3.1", "10.00"), ("1.1", "5.00"), ("2.2", "5.00")]
    html = render_to_string("rounds/assessment/_summary.html", {"s": s, "a": None})
    closest = html.split("Gần đạt nhất")[1]
    assert closest.index(">1.2</a>") < closest.index(">2.3</a>") < closest.index(">1.1</a>")
    assert "có thể thêm 20,00 điểm" in closest and "Lĩnh vực 1." not in closest
    assert "còn vượt 5 hồ sơ giải quyết trễ hạn; được 0,00/10,00 điểm" in closest
    assert ">2.1</a>" not in closest and ">3.3</a>" not in closest


def test_the_closest_fields_of_ben_tre_are_unchanged():
    from smartcommune.criteria.engine import CriterionInput, evaluate
    from smartcommune.criteria.registry import get_criteria_set
    from smartcommune.rounds.views.live_evaluation import summary

    evaluation = evaluate(get_criteria_set(), {"1.2": CriterionInput(300, 500)}, unit_code="28756", year=2024)
    s = summary(evaluation)
    assert not s["by_points"] and len(s["closest"]) == 3
    assert all("lacking" in c and c["group"].code for c in s["closest"])
