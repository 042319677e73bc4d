"""Entry of every kind of cell under a set with a precondition, a choice, a count and a
keyed row ("2.1:b"): the one write path (do_save_values), the web form, and refusals that
name the criterion and row and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.evaluation import evaluate_assessment, inputs_of
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from smartcommune.rounds.models import AuditEntry, CriterionValue
from tests.rounds.fixtures import assessment_of, fresh, keyed_round, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db]

FULL = {
    "TQ": {"met": True},
    "1.1": {"choice": "pho-chu-tich", "source": "QĐ 12/QĐ-UBND"},
    "1.2": {"count": 2},
    "2.1": {"numerator": 90, "denominator": 100},
    "2.1:b": {"numerator": 3, "denominator": 100, "source": "Cổng dịch vụ công"},
}


def test_a_row_per_criterion_and_precondition_and_keyed_values_stored_with_their_criterion(world, keyed_round):
    a = assessment_of(keyed_round, world.x)
    assert sorted(a.values.values_list("criterion_code", flat=True)) == ["1.1", "1.2", "2.1", "TQ"]
    saved = do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version, values=FULL)
    row = CriterionValue.objects.get(assessment=a, criterion_code="2.1")
    assert (row.numerator, row.denominator) == (90, 100)
    assert row.keyed == {"b": {"numerator": 3, "denominator": 100, "source": "Cổng dịch vụ công"}}
    assert inputs_of(saved)["2.1:b"][:2] == (3, 100)
    evaluation = evaluate_assessment(saved)
    assert evaluation.eligible and evaluation.smart_commune and evaluation.complete
    assert {r.criterion.code: r.points_text for r in evaluation.criteria()}["1.1"] == "5.00"
    fields = {(e.criterion_code, e.field) for e in AuditEntry.objects.filter(assessment=a, action="value_changed")}
    assert {("2.1:b", "numerator"), ("2.1:b", "denominator"), ("TQ", "met"), ("1.1", "choice"), ("1.2", "count")} <= fields
    # The keyed row decides its criterion: 6 % late is above 5 %.
    again = do_save_values(actor=world.officer_x, assessment=saved, expected_version=saved.version,
                           values={"2.1:b": {"numerator": 6}})
    assert {r.criterion.code: r.status for r in evaluate_assessment(again).criteria()}["2.1"] == "not_met"
    # Clearing every field of the keyed row removes it.
    cleared = do_save_values(actor=world.officer_x, assessment=again, expected_version=again.version,
                             values={"2.1:b": {"numerator": None, "denominator": None, "source": ""}})
    assert CriterionValue.objects.get(assessment=a, criterion_code="2.1").keyed is None
    assert "2.1:b" not in inputs_of(cleared)


def test_a_failed_precondition_makes_the_commune_not_eligible(world, keyed_round):
    a = assessment_of(keyed_round, world.x)
    saved = do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version,
                           values={**FULL, "TQ": {"met": False}})
    evaluation = evaluate_assessment(saved)
    assert not evaluation.eligible and not evaluation.smart_commune


@pytest.mark.parametrize("values, says", [
    ({"1.2": {"count": -1}}, "tiêu chí 1.2, count = -1: phải là số nguyên không âm"),
    ({"1.2": {"count": 2.5}}, "tiêu chí 1.2, count: phải là số nguyên từ 0"),
    ({"1.1": {"choice": "khong-co"}}, "không phải phương án của tiêu chí 1.1 (có: chu-tich, pho-chu-tich, chua-co)"),
    ({"2.1:c": {"numerator": 1}}, "Tiêu chí 2.1 không có dòng 2.1:c (có: 2.1:b)"),
    ({"1.1:b": {"count": 1}}, "Tiêu chí 1.1 không có dòng 1.1:b"),
    ({"2.1:b": {"count": 1}}, "tiêu chí 2.1:b không có số đếm"),
    ({"2.1:b": {"numerator": 5, "denominator": 4}}, "tử số 5 lớn hơn mẫu số 4"),
])
def test_bad_input_is_named_and_changes_nothing(world, keyed_round, values, says):
    a = assessment_of(keyed_round, world.x)
    a = do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version, values=FULL)
    before = list(CriterionValue.objects.filter(assessment=a).order_by("pk").values())
    with pytest.raises(ValidationFailed) as refused:
        do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version,
                       values={**values, "1.2": values.get("1.2", {"count": 5})})
    assert any(says in p.vi for p in refused.value.problems), [p.vi for p in refused.value.problems]
    assert list(CriterionValue.objects.filter(assessment=a).order_by("pk").values()) == before
    assert fresh(a).version == a.version


def test_only_the_communes_officer_writes_and_a_keyed_row_follows_its_criterion(world, keyed_round):
    a = assessment_of(keyed_round, world.x)
    with pytest.raises(NotAllowed):
        do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values={"2.1:b": {"numerator": 1}})
    # A fed criterion's keyed row is fed too: no hand edit.
    CriterionValue.objects.filter(assessment=a, criterion_code="2.1").update(fed_by="survey", source="Khảo sát")
    with pytest.raises(NotAllowed) as fed:
        do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version, values={"2.1:b": {"numerator": 1}})
    assert "2.1" in fed.value.vi
    assert CriterionValue.objects.get(assessment=a, criterion_code="2.1").keyed is None


def test_the_form_shows_and_saves_every_cell(client, world, keyed_round):
    a = assessment_of(keyed_round, world.x)
    client.force_login(world.officer_x)
    url = reverse("rounds:assessment", args=[a.pk])
    page = client.get(url).content.decode()
    for name in ("met-TQ", "choice-1.1", "count-1.2", "numerator-2.1", "denominator-2.1",
                 "numerator-2.1:b", "denominator-2.1:b", "source-2.1:b"):
        assert f'name="{name}"' in page, name
    assert "Điều kiện tiên quyết" in page and "điều kiện tiên quyết</span>" in page
    assert '<option value="chu-tich">Chủ tịch UBND xã (10 điểm)</option>' in page
    assert "Dòng 2.1:b" in page and "Số hồ sơ giải quyết trễ hạn" in page
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]), {
        "expected_version": a.version, "met-TQ": "1", "choice-1.1": "chu-tich", "count-1.2": "3",
        "numerator-2.1": "85", "denominator-2.1": "100", "numerator-2.1:b": "2", "denominator-2.1:b": "100",
    })
    assert response.status_code == 303
    values = {v.criterion_code: v for v in CriterionValue.objects.filter(assessment=a)}
    assert values["TQ"].met is True and values["1.1"].choice == "chu-tich" and values["1.2"].count == 3
    assert values["2.1"].keyed == {"b": {"numerator": 2, "denominator": 100}}
    page = client.get(url).content.decode()
    assert 'id="numerator-2-1--b"' in page and 'value="2"' in page.split('id="numerator-2-1--b"')[1][:120]
    assert '<option value="chu-tich" selected>' in page


@pytest.mark.parametrize("posted, says", [
    ({"count-1.2": "-1"}, "1.2"),
    ({"count-1.2": "2,5"}, "1.2"),
    ({"choice-1.1": "khong-co"}, "không phải phương án của tiêu chí 1.1"),
    ({"numerator-2.1:b": "9", "denominator-2.1:b": "4"}, "2.1:b"),
])
def test_the_form_refuses_bad_cells_and_saves_nothing(client, world, keyed_round, posted, says):
    a = assessment_of(keyed_round, world.x)
    client.force_login(world.officer_x)
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]),
                           {"expected_version": a.version, "met-TQ": "1", **posted})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert fresh(a).version == a.version
    assert not CriterionValue.objects.filter(assessment=a, met__isnull=False).exists()


def test_the_live_result_counts_the_keyed_row(client, world, keyed_round):
    a = assessment_of(keyed_round, world.x)
    client.force_login(world.officer_x)
    response = client.post(reverse("rounds:assessment_evaluate", args=[a.pk]), {
        "numerator-2.1": "90", "denominator-2.1": "100", "numerator-2.1:b": "9", "denominator-2.1:b": "100"})
    assert response.status_code == 200
    cell = response.content.decode().split('id="result-2-1"')[1][:400]
    assert "not_met" in cell


def test_preconditions_are_verified_and_a_returned_criterion_opens_its_keyed_row(world, keyed_round):
    from smartcommune.accounts.models import Role
    from smartcommune.rounds.evaluation import evaluate_value
    from tests.rounds.fixtures import step, user

    skhcn = user("verifier_skhcn_vl", (Role.AGENCY_VERIFIER, world.vl, "SKHCN"))
    a = assessment_of(keyed_round, world.x)
    a = do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version, values=FULL)
    a = step(world.officer_x, a, "submit")
    assert a.status == "district_reviewed"  # Vĩnh Long has no districts
    # The agency's queue evaluates a criterion with its keyed row.
    assert evaluate_value(a.values.select_related("assessment__round", "assessment__unit")
                          .get(criterion_code="2.1")).status == "met"
    a = step(skhcn, a, "return_item", criterion_code="2.1", comment="Số hồ sơ trễ hạn chưa khớp Cổng DVC")
    # Returned: the criterion and its keyed row may change, nothing else.
    with pytest.raises(NotAllowed):
        do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version, values={"1.2": {"count": 3}})
    a = do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version,
                       values={"2.1:b": {"numerator": 4}})
    a = step(world.officer_x, a, "submit")
    for code in ("TQ", "1.1", "1.2", "2.1"):
        a = step(skhcn, a, "verify_item", criterion_code=code)
    assert a.status == "agency_verified"


def test_the_task_list_counts_a_missing_precondition(world, keyed_round):
    from django.utils import timezone

    from smartcommune.rounds.selectors.submission import submission_check

    a = assessment_of(keyed_round, world.x)
    a = do_save_values(actor=world.officer_x, assessment=a, expected_version=a.version,
                       values={k: v for k, v in FULL.items() if k != "TQ"})
    check = submission_check(a, timezone.localdate())
    assert check.total == 4 and [i.code for i in check.missing] == ["TQ"]


def test_the_live_result_names_a_bad_keyed_cell_under_its_criterion(client, world, keyed_round):
    a = assessment_of(keyed_round, world.x)
    client.force_login(world.officer_x)
    response = client.post(reverse("rounds:assessment_evaluate", args=[a.pk]), {"numerator-2.1:b": "abc"})
    page = response.content.decode()
    assert "1 giá trị không hợp lệ" in page
    assert "Tiêu chí 2.1:b" in page.split('id="result-2-1"')[1][:1500]
