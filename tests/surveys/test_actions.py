"""The survey's writes: who may, what is refused, what is recorded."""

from __future__ import annotations

import pytest

from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from smartcommune.surveys import selectors
from smartcommune.surveys.actions import (
    do_close_survey, do_import_answers, do_open_survey, do_set_plan, do_submit_answer, do_void_answer,
)
from smartcommune.surveys.models import Answer, Channel, EventKind, SurveyEvent, identity_hash
from smartcommune.rounds.exceptions import AuditImmutable
from tests.rounds.fixtures import assessment_of
from tests.surveys.fixtures import HAMLETS, answer, open_survey, survey  # noqa: F401


def test_the_secretariat_or_the_communes_officer_opens_a_survey(world, round_bt):
    s = do_open_survey(actor=world.officer_a, assessment=assessment_of(round_bt, world.a))
    assert s.questionnaire_code == "hai-long-tien-bo-xa" and s.is_open and len(s.code) == 8
    assert do_open_survey(actor=world.secretariat, assessment=assessment_of(round_bt, world.b)).pk
    for outsider in (world.officer_b, world.district2, world.verifiers["SNV"] if "SNV" in world.verifiers
                     else next(iter(world.verifiers.values())), world.nobody, world.secretariat_vl):
        with pytest.raises(NotAllowed):
            do_open_survey(actor=outsider, assessment=assessment_of(round_bt, world.c))
    with pytest.raises(ValidationFailed, match="đã có khảo sát"):
        do_open_survey(actor=world.secretariat, assessment=assessment_of(round_bt, world.a))


def test_the_plan_follows_the_formula_and_is_audited(world, survey):
    assert survey.population == 1000 and survey.planned == 91  # 1000 / (1 + 1000·0.01) = 90.9…
    assert [h.quota for h in survey.hamlets.all()] == [36, 32, 23]  # 36.4, 31.85, 22.75: the two largest remainders get one more
    event = SurveyEvent.objects.get(survey=survey, kind=EventKind.PLAN_SET)
    assert event.actor == world.secretariat and event.new_value["planned"] == 91
    with pytest.raises(AuditImmutable):
        event.delete()


def test_the_plan_is_frozen_once_answers_start(world, survey):
    answer(survey)
    with pytest.raises(ValidationFailed, match="cố định"):
        do_set_plan(actor=world.secretariat, survey=survey, frame_kind="households", hamlets=HAMLETS, margin="0.05")


@pytest.mark.parametrize("hamlets, margin, match", [
    ([], "0.05", "ấp"),
    ([("Ấp 1", 10), ("ấp 1", 5)], "0.05", "trùng"),
    ([("Ấp 1", -1)], "0.05", "số nguyên"),
    ([("Ấp 1", "nhiều")], "0.05", "số nguyên"),
    ([("Ấp 1", 10)], "0.9", "Sai số"),
    ([("Ấp 1", 10)], "abc", "Sai số"),
])
def test_a_bad_plan_is_refused_with_its_reason(world, survey, hamlets, margin, match):
    with pytest.raises(ValidationFailed, match=match):
        do_set_plan(actor=world.secretariat, survey=survey, frame_kind="households", hamlets=hamlets, margin=margin)
    survey.refresh_from_db()
    assert survey.planned == 91


def test_a_number_answers_once_and_is_never_stored_in_clear(survey):
    a = answer(survey, identity="0912 345 678")
    assert a.identity_hash == identity_hash(survey.code, "0912345678")
    assert "0912345678" not in str(Answer.objects.filter(pk=a.pk).values().get())
    with pytest.raises(ValidationFailed, match="một lần"):
        answer(survey, identity="+84912345678")
    with pytest.raises(ValidationFailed, match="9 đến 12"):
        answer(survey, identity="12ab")


@pytest.mark.parametrize("kwargs", [{"level": 0}, {"level": 5}, {"level": None}, {"level": "4"},
                                    {"topics": {"dich_vu_cong": "rat_tot"}}, {"topics": {"khong_co": "x"}},
                                    {"hamlet_id": 999999}, {"age_band": "tre"}, {"sex": "x"}])
def test_an_answer_outside_the_questionnaire_is_refused(survey, kwargs):
    args = {"level": 4} | kwargs
    with pytest.raises(ValidationFailed):
        answer(survey, **args)
    assert not Answer.objects.exists()


def test_paper_and_phone_answers_need_an_officer_and_are_marked(world, survey):
    a = answer(survey, channel=Channel.PAPER, actor=world.officer_a)
    assert a.channel == "paper" and a.entered_by == world.officer_a
    for outsider in (None, world.officer_b, world.district1, world.nobody):
        with pytest.raises(NotAllowed):
            answer(survey, channel=Channel.PHONE, actor=outsider)
    # The public channel never records who sent it.
    assert answer(survey, channel=Channel.WEB, actor=world.officer_a).entered_by is None


def test_only_the_secretariat_voids_with_a_reason_and_voided_answers_do_not_count(world, survey):
    a, _b = answer(survey, level=1), answer(survey, level=4)
    for commune_side in (world.officer_a, world.district1):
        with pytest.raises(NotAllowed):
            do_void_answer(actor=commune_side, answer=a, reason="trùng")
    with pytest.raises(ValidationFailed, match="lý do"):
        do_void_answer(actor=world.secretariat, answer=a, reason="  ")
    do_void_answer(actor=world.secretariat, answer=a, reason="Phiếu thử")
    with pytest.raises(ValidationFailed, match="đã bị huỷ"):
        do_void_answer(actor=world.secretariat, answer=a, reason="lần nữa")
    r = selectors.results(survey)
    assert r.overall.counts == [0, 0, 0, 1] and r.voided == 1
    assert SurveyEvent.objects.get(kind=EventKind.VOIDED).reason == "Phiếu thử"


def test_a_closed_survey_takes_no_answer(world, survey):
    answer(survey)
    do_close_survey(actor=world.officer_a, survey=survey)
    with pytest.raises(ValidationFailed, match="đã đóng"):
        answer(survey)
    with pytest.raises(ValidationFailed, match="đã đóng"):
        do_import_answers(actor=world.officer_a, survey=survey, data=b"level\n4\n", name="a.csv")
    assert Answer.objects.count() == 1


def test_closing_needs_a_plan(world, round_bt):
    s = open_survey(world, round_bt, plan=False)
    with pytest.raises(ValidationFailed, match="kế hoạch mẫu"):
        do_close_survey(actor=world.secretariat, survey=s)


CSV = ("level,hamlet,age_band,sex,channel,identity,dich_vu_cong\n"
       "4,Ấp 1,30_44,nu,paper,,hai_long\n"
       "Tiến bộ rõ rệt,ấp 2,,,phone,0912345678,\n"
       "thut_lui,,,,,,\n")


def test_an_answer_file_is_imported_whole(world, survey):
    assert do_import_answers(actor=world.officer_a, survey=survey, data=CSV.encode(), name="phieu.csv") == 3
    r = selectors.results(survey)
    assert r.overall.counts == [1, 0, 0, 2]
    assert [h.distribution.total for h in r.hamlets] == [1, 1, 0]
    assert {c for c, _label, _d in r.channels} == {"paper", "phone"}
    assert r.topics[0].options[0] == ("Hài lòng", 1)


@pytest.mark.parametrize("text, match", [
    ("level,nickname\n4,x\n", "nickname"),
    ("hamlet\nẤp 1\n", "level"),
    ("level,hamlet\n4,Ấp 9\n", "dòng 2, cột hamlet"),
    ("level\n4\n7\n", "dòng 3, cột level"),
    ("level,identity\n4,0912345678\n3,0912 345 678\n", "trùng với dòng 2"),
    ("level,channel\n4,web\n", "paper hoặc phone"),
    ("level,dich_vu_cong\n4,=cmd()\n", "không có trong mẫu phiếu"),
    ("", "rỗng"),
])
def test_a_bad_answer_file_imports_nothing_and_says_where(world, survey, text, match):
    with pytest.raises(ValidationFailed, match=match):
        do_import_answers(actor=world.officer_a, survey=survey, data=text.encode(), name="phieu.csv")
    assert not Answer.objects.exists()


def test_an_answer_file_repeating_a_number_already_used_imports_nothing(world, survey):
    answer(survey, identity="0912345678")
    with pytest.raises(ValidationFailed, match="dòng 3, cột identity: số này đã trả lời"):
        do_import_answers(actor=world.officer_a, survey=survey, data=CSV.encode(), name="phieu.csv")
    assert Answer.objects.count() == 1


def test_only_those_who_run_the_survey_import(world, survey):
    for outsider in (world.officer_b, world.district1, world.nobody):
        with pytest.raises(NotAllowed):
            do_import_answers(actor=outsider, survey=survey, data=CSV.encode(), name="phieu.csv")


def test_results_equal_an_independent_count_of_the_stored_answers(world, survey):
    hamlets = list(survey.hamlets.all())
    levels = [1, 2, 3, 4, 4, 3, 3, 4, 2, 4, 4, 1]
    made = [answer(survey, level=lv, hamlet_id=hamlets[i % 3].pk) for i, lv in enumerate(levels)]
    do_void_answer(actor=world.secretariat, answer=made[0], reason="thử")
    r = selectors.results(survey)
    valid = [a for a in Answer.objects.all() if a.voided_at is None]
    assert r.valid == len(valid) == 11
    assert r.overall.counts == [sum(1 for a in valid if a.level == k) for k in (1, 2, 3, 4)]
    assert r.overall.index.count == sum(1 for a in valid if a.level >= 3)
    for h, row in zip(hamlets, r.hamlets):
        assert row.distribution.total == sum(1 for a in valid if a.hamlet_id == h.pk)


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_excel_file_is_imported_like_a_csv(world, survey):
    data = _xlsx([["level", "hamlet", "identity", "dich_vu_cong"], [4, "Ấp 1", None, "hai_long"],
                  ["Thụt lùi", None, "0912345678"], [3]])
    assert do_import_answers(actor=world.officer_a, survey=survey, data=data, name="phieu.xlsx") == 3
    assert selectors.results(survey).overall.counts == [1, 0, 1, 1]


@pytest.mark.parametrize("data, match", [
    (_xlsx([["level"], ["=1+3"]]), "công thức"),
    (b"PK\x03\x04 not really a zip", "xlsx hỏng"),
    (b"level\n4\n", "không phải bảng tính"),
])
def test_a_bad_excel_file_imports_nothing(world, survey, data, match):
    with pytest.raises(ValidationFailed, match=match):
        do_import_answers(actor=world.officer_a, survey=survey, data=data, name="phieu.xlsx")
    assert not Answer.objects.exists()


def test_the_secretariat_opens_the_surveys_of_a_whole_round(world, round_bt, client):
    from smartcommune.surveys.actions import do_open_round_surveys
    from smartcommune.surveys.models import Survey
    do_open_survey(actor=world.officer_a, assessment=assessment_of(round_bt, world.a))
    for outsider in (world.officer_a, world.secretariat_vl, world.district1):
        with pytest.raises(NotAllowed):
            do_open_round_surveys(actor=outsider, round_=round_bt)
    client.force_login(world.officer_a)
    assert client.post(f"/surveys/open-round/{round_bt.pk}/").status_code == 404
    client.force_login(world.secretariat)
    assert f"/surveys/open-round/{round_bt.pk}/" in client.get("/surveys/").content.decode()
    client.post(f"/surveys/open-round/{round_bt.pk}/")
    assert Survey.objects.filter(assessment__round=round_bt).count() == round_bt.assessments.count() == 3
