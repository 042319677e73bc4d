"""The workflow: every legal transition, the happy paths, and the refusals."""

from datetime import date

import pytest

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.rounds.access import editable_criteria, verifiable_criteria
from smartcommune.rounds.actions import do_answer_item, do_save_values
from smartcommune.rounds.exceptions import IllegalTransition, NotAllowed, ValidationFailed
from smartcommune.rounds.models import AuditEntry, ReviewStatus, Status
from smartcommune.rounds.workflow import available_transitions
from tests.rounds.fixtures import (
    CRITERIA,
    assessment_of,
    fill,
    fresh,
    open_round,
    step,
    user,
    verifier_for,
    verify_all,
)

pytestmark = pytest.mark.django_db

DECISION = {"recognised": True, "number": "123/QĐ-UBND", "date": date(2025, 3, 1), "signer": "Nguyễn Văn A"}


def statuses(assessment):
    return list(
        AuditEntry.objects.filter(assessment=assessment, field="status").order_by("version").values_list("new_value", flat=True)
    )


def submitted_a(world, round_bt):
    a = fill(assessment_of(round_bt, world.a), world.officer_a)
    return step(world.officer_a, a, "submit")


# -- happy paths ---------------------------------------------------------------------------


def test_happy_path_with_a_district(world, round_bt):
    a = submitted_a(world, round_bt)
    assert a.status == Status.SUBMITTED and a.submitted_at and not a.late
    a = step(world.district1, a, "district_forward")
    assert a.status == Status.DISTRICT_REVIEWED
    a = verify_all(world, a)
    assert a.status == Status.AGENCY_VERIFIED
    a = step(world.secretariat, a, "appraise")
    assert a.status == Status.APPRAISED
    a = step(world.secretariat, a, "record_decision", **DECISION)
    assert a.status == Status.RECOGNISED and a.frozen
    assert (a.decision_number, a.decision_date, a.decision_signer, a.decision_recognised) == (
        "123/QĐ-UBND", date(2025, 3, 1), "Nguyễn Văn A", True)
    a = step(world.secretariat, a, "publish")
    assert a.status == Status.PUBLISHED and a.published_at and a.frozen
    assert statuses(a) == ["draft", "submitted", "district_reviewed", "agency_verified", "appraised",
                           "recognised", "published"]


def test_happy_path_without_a_district_skips_the_district_step(world):
    round_vl = open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)
    x = fill(assessment_of(round_vl, world.x), world.officer_x)
    x = step(world.officer_x, x, "submit")
    assert x.status == Status.DISTRICT_REVIEWED
    x = verify_all(world, x)
    assert x.status == Status.AGENCY_VERIFIED
    x = step(world.secretariat_vl, x, "appraise")
    x = step(world.secretariat_vl, x, "record_decision", **{**DECISION, "recognised": False})
    assert x.status == Status.NOT_RECOGNISED
    x = step(world.secretariat_vl, x, "publish")
    assert statuses(x) == ["draft", "district_reviewed", "agency_verified", "appraised", "not_recognised", "published"]


def test_the_decision_is_what_is_recorded_not_the_engine_suggestion(world, round_bt):
    a = fill(assessment_of(round_bt, world.a), world.officer_a, met=False, numerator=1)  # engine: not smart
    a = verify_all(world, step(world.district1, step(world.officer_a, a, "submit"), "district_forward"))
    a = step(world.secretariat, step(world.secretariat, a, "appraise"), "record_decision", **DECISION)
    assert a.status == Status.RECOGNISED
    entry = AuditEntry.objects.get(assessment=a, field="decision_recognised")
    assert entry.new_value is True and "chưa đủ" in entry.reason  # the suggestion is kept beside it


def test_late_submission_is_allowed_and_flagged(world):
    round_ = open_round(world, deadline=date(2024, 1, 1))
    a = step(world.officer_a, assessment_of(round_, world.a), "submit")
    assert a.status == Status.SUBMITTED and a.late


# -- returns ------------------------------------------------------------------------------


def test_district_return_reopens_only_the_returned_items(world, round_bt):
    a = submitted_a(world, round_bt)
    a = step(world.district1, a, "district_return", items={"1.2": "Thiếu danh sách hộ"})
    assert (a.status, a.returned_stage) == (Status.RETURNED, "district")
    value = a.values.get(criterion_code="1.2")
    assert (value.review_status, value.review_comment, value.reviewed_by) == ("returned", "Thiếu danh sách hộ", world.district1)
    assert editable_criteria(world.officer_a, a) == {"1.2"}
    with pytest.raises(NotAllowed):
        do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"1.1": {"numerator": 5}})
    # Resubmission needs an answer or a correction.
    with pytest.raises(ValidationFailed) as refused:
        step(world.officer_a, a, "submit")
    assert [p.criterion for p in refused.value.problems] == ["1.2"]
    a = do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"1.2": {"numerator": 9}})
    a = step(world.officer_a, a, "submit")
    # A district return goes back through the district.
    assert a.status == Status.SUBMITTED
    assert a.values.get(criterion_code="1.2").review_status == ReviewStatus.ANSWERED


def test_agency_return_then_answer_resubmits_past_the_district(world, round_bt):
    a = step(world.district1, submitted_a(world, round_bt), "district_forward")
    a = verify_all(world, a, skip={"6.1"})
    syt = verifier_for(world, "6.1")
    with pytest.raises(ValidationFailed):  # a return needs a comment
        step(syt, a, "return_item", criterion_code="6.1", comment="  ")
    a = step(syt, a, "return_item", criterion_code="6.1", comment="Chưa có hồ sơ sức khỏe điện tử")
    assert (a.status, a.returned_stage) == (Status.RETURNED, "agency")
    assert editable_criteria(world.officer_a, a) == {"6.1"}
    a = do_answer_item(actor=world.officer_a, assessment=a, expected_version=a.version, criterion_code="6.1",
                       answer="Đã triển khai từ tháng 3, xem minh chứng")
    a = step(world.officer_a, a, "submit")
    assert a.status == Status.DISTRICT_REVIEWED  # the district already reviewed
    assert verifiable_criteria(syt, a) == {"6.1"}
    a = step(syt, a, "verify_item", criterion_code="6.1")
    assert a.status == Status.AGENCY_VERIFIED


def test_other_agencies_keep_verifying_while_an_item_is_returned(world, round_bt):
    a = step(world.district1, submitted_a(world, round_bt), "district_forward")
    a = step(verifier_for(world, "6.1"), a, "return_item", criterion_code="6.1", comment="Thiếu")
    a = step(verifier_for(world, "10.1"), a, "verify_item", criterion_code="10.1")
    assert a.status == Status.RETURNED


def test_agencies_wait_while_the_district_has_returned_the_file(world, round_bt):
    a = step(world.district1, submitted_a(world, round_bt), "district_return", items={"1.1": "Sai"})
    with pytest.raises(IllegalTransition):
        step(verifier_for(world, "6.1"), a, "verify_item", criterion_code="6.1")


def test_auto_agency_verified_only_when_every_item_is_verified(world, round_bt):
    a = step(world.district1, submitted_a(world, round_bt), "district_forward")
    a = verify_all(world, a, skip={"10.2"})
    assert a.status == Status.DISTRICT_REVIEWED
    a = step(verifier_for(world, "10.2"), a, "verify_item", criterion_code="10.2")
    assert a.status == Status.AGENCY_VERIFIED


# -- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_b", "district1", "secretariat", "admin", "nobody"])
def test_only_the_commune_officer_submits(world, round_bt, who):
    with pytest.raises(NotAllowed):
        step(getattr(world, who), assessment_of(round_bt, world.a), "submit")


def test_reviewer_of_another_district_cannot_forward_or_return(world, round_bt):
    a = submitted_a(world, round_bt)
    with pytest.raises(NotAllowed):
        step(world.district2, a, "district_forward")
    with pytest.raises(NotAllowed):
        step(world.district2, a, "district_return", items={"1.1": "x"})


def test_agency_verifies_only_the_criteria_it_leads(world, round_bt):
    a = step(world.district1, submitted_a(world, round_bt), "district_forward")
    with pytest.raises(NotAllowed, match="6.1"):
        step(world.verifiers["CAT"], a, "verify_item", criterion_code="6.1")
    with pytest.raises(NotAllowed):
        step(world.officer_a, a, "verify_item", criterion_code="6.1")
    # 7 is led by three agencies; any of them may verify it.
    assert step(world.verifiers["SCT"], a, "verify_item", criterion_code="7").values.get(criterion_code="7").review_status == "verified"


def test_agency_of_another_province_cannot_verify(world, round_bt):
    elsewhere = user("syt_vl", (Role.AGENCY_VERIFIER, world.vl, "SYT"))
    assert RoleAssignment.objects.filter(user=elsewhere).count() == 1
    a = step(world.district1, submitted_a(world, round_bt), "district_forward")
    with pytest.raises(NotAllowed):
        step(elsewhere, a, "verify_item", criterion_code="6.1")


@pytest.mark.parametrize(
    "name, params",
    [
        ("district_forward", {}),
        ("verify_item", {"criterion_code": "6.1"}),
        ("appraise", {}),
        ("record_decision", DECISION),
        ("publish", {}),
        ("reopen", {"reason": "x"}),
    ],
)
def test_wrong_state_is_refused_naming_the_state(world, round_bt, name, params):
    actor = {"district_forward": world.district1, "verify_item": verifier_for(world, "6.1")}.get(name, world.secretariat)
    with pytest.raises(IllegalTransition, match="Nháp") as refused:
        step(actor, assessment_of(round_bt, world.a), name, **params)
    assert "draft" in refused.value.en


def test_item_already_verified_cannot_be_verified_or_returned_again(world, round_bt):
    a = step(world.district1, submitted_a(world, round_bt), "district_forward")
    syt = verifier_for(world, "6.1")
    a = step(syt, a, "verify_item", criterion_code="6.1")
    with pytest.raises(IllegalTransition, match="Đã xác minh"):
        step(syt, a, "return_item", criterion_code="6.1", comment="x")


def test_submitting_twice_is_illegal(world, round_bt):
    a = submitted_a(world, round_bt)
    with pytest.raises(IllegalTransition, match="Đã nộp"):
        step(world.officer_a, a, "submit")


def test_district_return_needs_items_with_comments(world, round_bt):
    a = submitted_a(world, round_bt)
    with pytest.raises(ValidationFailed):
        step(world.district1, a, "district_return", items={})
    with pytest.raises(ValidationFailed):
        step(world.district1, a, "district_return", items={"1.1": ""})
    with pytest.raises(ValidationFailed):
        step(world.district1, a, "district_return", items={"99": "x"})
    assert fresh(a).status == Status.SUBMITTED


def test_decision_requires_number_date_and_signer(world, round_bt):
    a = verify_all(world, step(world.district1, submitted_a(world, round_bt), "district_forward"))
    a = step(world.secretariat, a, "appraise")
    with pytest.raises(ValidationFailed) as refused:
        step(world.secretariat, a, "record_decision", recognised=True, number="", date=None, signer=" ")
    assert {p.field for p in refused.value.problems} == {"number", "date", "signer"}
    # Longer than the columns: refused by the check on every database (SQLite would store it).
    too_long = {**DECISION, "number": "1" * 51, "signer": "Ô" * 201}
    with pytest.raises(ValidationFailed) as refused:
        step(world.secretariat, a, "record_decision", **too_long)
    assert {(p.field, p.vi) for p in refused.value.problems} == {
        ("number", "Dài quá 50 ký tự"), ("signer", "Dài quá 200 ký tự"),
    }
    with pytest.raises(NotAllowed):
        step(world.secretariat_vl, a, "record_decision", **DECISION)
    assert fresh(a).status == Status.APPRAISED


# -- freezing and reopening ------------------------------------------------------------------


def decided(world, round_bt):
    a = verify_all(world, step(world.district1, submitted_a(world, round_bt), "district_forward"))
    return step(world.secretariat, step(world.secretariat, a, "appraise"), "record_decision", **DECISION)


def test_decision_freezes_the_values(world, round_bt):
    a = decided(world, round_bt)
    assert editable_criteria(world.officer_a, a) == set()
    with pytest.raises(NotAllowed, match="Được công nhận"):
        do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values={"1.1": {"numerator": 1}})
    with pytest.raises(IllegalTransition):
        step(world.officer_a, a, "submit")


def test_reopen_needs_a_reason_and_resets_everything_audited(world, round_bt):
    a = step(world.secretariat, decided(world, round_bt), "publish")
    with pytest.raises(ValidationFailed):
        step(world.secretariat, a, "reopen", reason="  ")
    with pytest.raises(NotAllowed):
        step(world.officer_a, a, "reopen", reason="x")
    version = a.version
    a = step(world.secretariat, a, "reopen", reason="Sai sót số liệu tiêu chí 1.2")
    assert a.status == Status.DRAFT
    assert (a.decision_number, a.decision_date, a.decision_signer, a.decision_recognised, a.published_at,
            a.returned_stage) == ("", None, "", None, None, "")
    assert set(a.values.values_list("review_status", flat=True)) == {"pending"}
    entries = AuditEntry.objects.filter(assessment=a, version=version + 1)
    assert {e.reason for e in entries} == {"Sai sót số liệu tiêu chí 1.2"}
    assert {e.field for e in entries if not e.criterion_code} == {
        "status", "decision_number", "decision_date", "decision_signer", "decision_recognised", "published_at"}
    assert entries.filter(field="review_status").count() == len(CRITERIA.criteria)
    assert editable_criteria(world.officer_a, a) == {c.code for c in CRITERIA.criteria}
    # And the full path runs again, through the district.
    assert step(world.officer_a, a, "submit").status == Status.SUBMITTED


def test_reopen_from_a_non_frozen_state_is_illegal(world, round_bt):
    with pytest.raises(IllegalTransition):
        step(world.secretariat, submitted_a(world, round_bt), "reopen", reason="x")


def test_unknown_transition_is_refused(world, round_bt):
    with pytest.raises(IllegalTransition):
        step(world.secretariat, assessment_of(round_bt, world.a), "approve_everything")


def test_available_transitions_per_user(world, round_bt):
    a = assessment_of(round_bt, world.a)
    assert [t.name for t in available_transitions(world.officer_a, a)] == ["submit"]
    assert available_transitions(world.officer_b, a) == []
    a = step(world.officer_a, a, "submit")
    assert [t.name for t in available_transitions(world.district1, a)] == ["district_forward", "district_return"]
    assert available_transitions(world.district2, a) == []
