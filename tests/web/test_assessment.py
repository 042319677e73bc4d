"""The self-assessment page: who sees it, live evaluation, saving (with conflicts),
evidence, answers to returned items and the history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse

from smartcommune.rounds.actions import do_add_evidence, do_save_values
from smartcommune.rounds.models import AuditAction, AuditEntry, CriterionValue, Evidence, ReviewStatus, Status
from tests.rounds.fixtures import assessment_of, fill, fresh, open_round, step, verifier_for, verify_all

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def a(world, round_bt):
    return assessment_of(round_bt, world.a)


def url(name, *args):
    return reverse(f"rounds:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def value(assessment, code) -> CriterionValue:
    return CriterionValue.objects.get(assessment=assessment, criterion_code=code)


def result_div(html: str, code: str) -> str:
    slug = code.replace(".", "-")
    match = re.search(rf'<div class="result[^"]*" id="result-{slug}".*?</div>', html, re.S)
    assert match, f"no result cell for {code}"
    return match.group(0)


def link_evidence(world, a, code="1.2"):
    return do_add_evidence(actor=world.officer_a, assessment=a, criterion_code=code, kind="link",
                           url="https://example.vn/bao-cao")


def upload(client, a, name="bao-cao.pdf", content=PDF, code="1.2"):
    return client.post(url("evidence_add", a.id), {"criterion_code": code, "file": SimpleUploadedFile(name, content)})


def state(a):
    """What must not move when a request is refused."""
    a = fresh(a)
    return (a.version, a.status, AuditEntry.objects.filter(assessment=a).count(),
            Evidence.objects.filter(assessment=a, removed_at__isnull=True).count(),
            list(a.values.order_by("criterion_code").values_list("numerator", "denominator", "met", "source", "answer")))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# -- who may see / do what ---------------------------------------------------------------------


def _requests(a, evidence):
    return [
        ("get", url("assessment", a.id), {}),
        ("post", url("assessment_evaluate", a.id), {"numerator-1.2": "5", "denominator-1.2": "10"}),
        ("post", url("assessment_save", a.id), {"expected_version": a.version, "numerator-1.2": "5",
                                                  "denominator-1.2": "10"}),
        ("post", url("item_answer", a.id), {"expected_version": a.version, "criterion_code": "1.2", "answer": "x"}),
        ("post", url("evidence_add", a.id), {"criterion_code": "1.2", "url": "https://example.vn/khac"}),
        ("get", url("assessment_history", a.id), {}),
        ("get", url("evidence_download", evidence.id), {}),
        ("post", url("evidence_remove", evidence.id), {"reason": "nhầm"}),
    ]


def test_anonymous_is_sent_to_login_for_every_view(client, world, a):
    evidence = link_evidence(world, a)
    before = state(a)
    for method, path, data in _requests(fresh(a), evidence):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("login")), path
    assert state(a) == before


@pytest.mark.parametrize("who", ["officer_b", "district2", "nobody", "officer_x"])
def test_people_who_may_not_see_the_assessment_get_404_everywhere(client, world, a, who):
    evidence = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", kind="file",
                               file=SimpleUploadedFile("bao-cao.pdf", PDF))
    before = state(a)
    login(client, getattr(world, who))
    for method, path, data in _requests(fresh(a), evidence):
        response = getattr(client, method)(path, data)
        assert response.status_code == 404, (who, path, response.status_code)
    assert state(a) == before


@pytest.mark.parametrize("who", ["district1", "secretariat", "verifier", "admin"])
def test_those_who_see_but_may_not_edit_get_a_read_only_page_and_403_on_writes(client, world, a, who):
    user = world.verifiers["STTTT"] if who == "verifier" else getattr(world, who)
    evidence = link_evidence(world, a)
    before = state(a)
    login(client, user)
    page = client.get(url("assessment", a.id))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="numerator-1.2"' not in html
    assert "Thêm minh chứng" not in html
    assert 'id="result-1-2"' in html
    a = fresh(a)
    for path, data in [
        (url("assessment_save", a.id), {"expected_version": a.version, "numerator-1.2": "5", "denominator-1.2": "10"}),
        (url("item_answer", a.id), {"expected_version": a.version, "criterion_code": "1.2", "answer": "x"}),
        (url("evidence_add", a.id), {"criterion_code": "1.2", "url": "https://example.vn/khac"}),
        (url("evidence_remove", evidence.id), {"reason": "nhầm"}),
    ]:
        response = client.post(path, data)
        assert response.status_code == 403, (who, path, response.status_code)
    assert state(a) == before
    assert client.get(url("assessment_history", a.id)).status_code == 200


def test_get_on_a_write_view_is_refused(client, world, a):
    login(client, world.officer_a)
    for name in ("assessment_evaluate", "assessment_save", "item_answer", "evidence_add"):
        assert client.get(url(name, a.id)).status_code == 405


# -- the page ------------------------------------------------------------------------------------


def test_officer_sees_the_entry_page(client, world, a):
    login(client, world.officer_a)
    response = client.get(url("assessment", a.id))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phường Phú Khương" in html and "Thành phố Bến Tre" in html and "2024" in html
    assert "Mô hình xã thông minh tỉnh Bến Tre giai đoạn 2021–2025" in html
    assert "Nháp" in html
    assert "31/01/2099" in html  # deadlines dd/mm/yyyy
    # The regulation's wording and the ratio's labels.
    assert "Tỷ lệ hộ gia đình có thiết bị thông minh" in html
    assert "Số hộ gia đình có thiết bị thông minh" in html and "Tổng số hộ gia đình" in html
    assert "Sở Thông tin và Truyền thông" in html
    assert 'name="numerator-1.2"' in html and 'name="met-1.3"' in html and 'name="source-1.2"' in html
    assert 'id="summary"' in html and 'id="result-1-2"' in html and 'id="field-1"' in html
    assert f'hx-post="{url("assessment_evaluate", a.id)}"' in html
    assert url("assessment_history", a.id) in html
    # The officer may submit: a form to the workflow endpoint with the version.
    assert f'href="{url("assessment_submit", a.id)}"' in html  # submitting goes through the check page
    assert f'name="expected_version" value="{a.version}"' in html
    # A commune with nothing entered is far from recognition.
    summary = re.search(r'<section class="summary.*?</section>', html, re.S).group(0)
    assert "0</strong><span>/10" in summary and "Chưa đạt (thiếu 7 lĩnh vực)" in summary


def test_summary_says_smart_commune_when_enough_fields_are_met(client, world, a):
    fill(a, world.officer_a)
    login(client, world.officer_a)
    html = client.get(url("assessment", a.id)).content.decode()
    assert "Đạt xã thông minh" in html
    assert 'data-fields-met="10"' in html
    assert 'data-complete="1"' in html


# -- live evaluation ---------------------------------------------------------------------------


def test_live_evaluation_uses_the_engine_and_saves_nothing(client, world, a):
    before = state(a)
    login(client, world.officer_a)
    response = client.post(url("assessment_evaluate", a.id), {"numerator-1.2": "863", "denominator-1.2": "1000"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    cell = result_div(html, "1.2")
    assert 'data-status="not_met"' in cell and 'data-ratio="86.30"' in cell and 'data-gap="37"' in cell
    assert "Chưa đạt" in cell and "86,30 %" in cell and "còn thiếu 37" in cell
    assert 'hx-swap-oob="true"' in cell
    assert re.search(r'<section class="summary[^>]*id="summary"[^>]*hx-swap-oob="true"', html)
    assert 'id="field-status-1"' in html
    assert state(a) == before


def test_live_evaluation_merges_typed_values_over_stored_ones(client, world, a):
    fill(a, world.officer_a)
    login(client, world.officer_a)
    html = client.post(url("assessment_evaluate", a.id), {"numerator-9.2": "49", "denominator-9.2": "100"}).content.decode()
    assert 'data-status="not_met"' in result_div(html, "9.2")
    assert 'data-status="met"' in result_div(html, "1.2")  # stored 10/10
    assert 'data-fields-met="9"' in html and "Đạt xã thông minh" in html


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    ("abc", "10", "không phải là số nguyên"),
    ("-1", "10", "phải là số nguyên không âm"),
    ("11", "10", "lớn hơn mẫu số"),
    ("1.5", "10", "không phải là số nguyên"),
    ("99999999999999", "10", "quá lớn"),
    ("9" * 5000, "10", "quá lớn"),
    ("1e1000000", "10", "không phải là số nguyên"),
    ("٣", "10", "không phải là số nguyên"),
    ("+3", "10", "không phải là số nguyên"),
])
def test_live_evaluation_explains_bad_input_without_failing(client, world, a, numerator, denominator, expected):
    login(client, world.officer_a)
    response = client.post(url("assessment_evaluate", a.id), {"numerator-1.2": numerator, "denominator-1.2": denominator})
    assert response.status_code == 200
    cell = result_div(response.content.decode(), "1.2")
    assert expected in cell and 'class="problem"' in cell


def test_hostile_counts_are_a_clear_refusal_on_save_and_on_an_assessment_the_user_cannot_edit(client, world, a):
    """Issue 16.1: over 4,300 digits raised ValueError (a 500), even for a viewer."""
    before = state(a)
    login(client, world.district1)
    response = client.post(url("assessment_evaluate", a.id), {"numerator-1.2": "9" * 5000, "denominator-1.2": "10"})
    assert response.status_code == 200
    login(client, world.officer_a)
    response = client.post(url("assessment_save", a.id), {"expected_version": a.version,
                                                          "numerator-1.2": "9" * 5000, "met-1.3": "٣"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "quá lớn" in html and "không phải giá trị Đạt/Không đạt" in html
    assert state(a) == before


def test_a_data_source_is_limited_on_the_web_save(client, world, a):
    """Issue 16.3: 200 KB of data source was accepted (and made the PDF take 42 s)."""
    before = state(a)
    login(client, world.officer_a)
    response = client.post(url("assessment_save", a.id), {"expected_version": a.version,
                                                          "source-1.2": "x" * 200_000})
    assert response.status_code == 400
    assert "Nguồn số liệu dài 200000 ký tự, tối đa 2000" in response.content.decode()
    assert state(a) == before


def test_live_evaluation_ignores_criteria_the_user_may_not_edit(client, world, a):
    login(client, world.district1)
    html = client.post(url("assessment_evaluate", a.id), {"numerator-1.2": "1", "denominator-1.2": "1"}).content.decode()
    assert 'data-status="missing"' in result_div(html, "1.2")


# -- saving ----------------------------------------------------------------------------------------


def test_save_stores_values_and_audits_them_on_the_history(client, world, a):
    login(client, world.officer_a)
    response = client.post(url("assessment_save", a.id), {
        "expected_version": a.version,
        "numerator-1.2": "863", "denominator-1.2": " 1000 ", "source-1.2": "Báo cáo số 12/BC-UBND",
        "met-1.3": "1", "numerator-1.1": "", "denominator-1.1": "",
    })
    assert response.status_code == 303
    assert response["Location"] == url("assessment", a.id)
    v = value(a, "1.2")
    assert (v.numerator, v.denominator, v.source) == (863, 1000, "Báo cáo số 12/BC-UBND")
    assert value(a, "1.3").met is True
    assert fresh(a).version == a.version + 1
    entries = AuditEntry.objects.filter(assessment=a, action=AuditAction.VALUE_CHANGED)
    assert {(e.criterion_code, e.field) for e in entries} == {
        ("1.2", "numerator"), ("1.2", "denominator"), ("1.2", "source"), ("1.3", "met")}
    page = client.get(response["Location"])
    assert "Đã lưu số liệu." in page.content.decode()
    history = client.get(url("assessment_history", a.id)).content.decode()
    assert "Sửa số liệu" in history and "863" in history and "Báo cáo số 12/BC-UBND" in history
    assert "officer_a" in history and "Tử số" in history
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", history)


def test_save_accepts_partial_data(client, world, a):
    login(client, world.officer_a)
    response = client.post(url("assessment_save", a.id), {"expected_version": a.version, "numerator-1.2": "5"})
    assert response.status_code == 303
    assert value(a, "1.2").numerator == 5 and value(a, "1.2").denominator is None


def test_save_refuses_a_non_integer_naming_the_criterion_and_keeps_what_was_typed(client, world, a):
    before = state(a)
    login(client, world.officer_a)
    response = client.post(url("assessment_save", a.id), {
        "expected_version": a.version, "numerator-1.2": "abc", "denominator-1.2": "1000", "numerator-2.2": "3",
        "denominator-2.2": "4",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tiêu chí 1.2" in html and "“abc” không phải là số nguyên" in html
    assert 'value="abc"' in html and 'value="3"' in html
    assert state(a) == before


def test_save_reports_every_domain_problem_and_saves_nothing(client, world, a):
    before = state(a)
    login(client, world.officer_a)
    response = client.post(url("assessment_save", a.id), {
        "expected_version": a.version, "numerator-1.2": "-1", "denominator-1.2": "10",
        "numerator-2.2": "11", "denominator-2.2": "10",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "tiêu chí 1.2" in html.lower() and "tiêu chí 2.2" in html.lower()
    assert "lớn hơn mẫu số" in result_div(html, "2.2")
    assert 'value="-1"' in html
    assert state(a) == before


def test_second_save_from_the_same_version_is_refused_and_shows_what_changed(client, world, a):
    version = a.version
    first, second = Client(), Client()
    login(first, world.officer_a)
    other = world.officer_a.__class__.objects.create_user("officer_a2")
    from smartcommune.accounts.models import Role, RoleAssignment
    RoleAssignment.objects.create(user=other, role=Role.COMMUNE_OFFICER, unit=world.a, agency="")
    login(second, other)
    r1 = first.post(url("assessment_save", a.id), {"expected_version": version, "numerator-1.2": "800",
                                                   "denominator-1.2": "1000"})
    assert r1.status_code == 303
    r2 = second.post(url("assessment_save", a.id), {"expected_version": version, "numerator-1.2": "900",
                                                    "denominator-1.2": "1000", "source-1.2": "Khảo sát"})
    assert r2.status_code == 409
    html = r2.content.decode()
    assert "người khác thay đổi" in html
    conflict = re.search(r'<section class="alert".*?</section>', html, re.S).group(0)
    assert "officer_a" in conflict and "1.2" in conflict and "Tử số" in conflict and "800" in conflict
    assert "Sửa số liệu" in conflict
    assert 'value="900"' in html  # what the second person typed is still on the page
    v = value(a, "1.2")
    assert (v.numerator, v.denominator, v.source) == (800, 1000, "")
    assert fresh(a).version == version + 1


def test_save_without_a_version_is_refused(client, world, a):
    before = state(a)
    login(client, world.officer_a)
    assert client.post(url("assessment_save", a.id), {"numerator-1.2": "1"}).status_code == 400
    assert state(a) == before


def test_frozen_or_submitted_assessment_cannot_be_saved(client, world, a):
    fill(a, world.officer_a)
    a = step(world.officer_a, a, "submit")
    before = state(a)
    login(client, world.officer_a)
    html = client.get(url("assessment", a.id)).content.decode()
    assert 'name="numerator-1.2"' not in html and 'id="entry"' not in html
    response = client.post(url("assessment_save", a.id), {"expected_version": a.version, "numerator-1.2": "1"})
    assert response.status_code == 403
    assert "không sửa được" in response.content.decode()
    assert state(a) == before


# -- returned items ------------------------------------------------------------------------------


@pytest.fixture
def returned(world, a):
    fill(a, world.officer_a)
    a = step(world.officer_a, a, "submit")
    return step(world.district1, a, "district_return", items={"1.2": "Số hộ chưa khớp với điều tra"})


def test_after_a_return_only_returned_items_are_editable(client, world, returned):
    a = returned
    login(client, world.officer_a)
    html = client.get(url("assessment", a.id)).content.decode()
    assert 'name="numerator-1.2"' in html
    assert 'name="numerator-1.1"' not in html and 'name="met-1.3"' not in html
    assert "Số hộ chưa khớp với điều tra" in html
    assert f'action="{url("item_answer", a.id)}"' in html
    before = state(a)
    refused = client.post(url("assessment_save", a.id), {
        "expected_version": a.version, "numerator-1.2": "9", "denominator-1.2": "10",
        "numerator-1.1": "1", "denominator-1.1": "10",
    })
    assert refused.status_code == 403
    assert "1.1" in refused.content.decode()
    assert state(a) == before
    refused = client.post(url("evidence_add", a.id), {"criterion_code": "1.1", "url": "https://example.vn/x"})
    assert refused.status_code == 403
    assert state(a) == before
    ok = client.post(url("assessment_save", a.id), {"expected_version": a.version, "numerator-1.2": "9",
                                                    "denominator-1.2": "10"})
    assert ok.status_code == 303
    assert value(a, "1.2").numerator == 9 and value(a, "1.1").numerator == 10


def test_answer_a_returned_item(client, world, returned):
    a = returned
    login(client, world.officer_a)
    response = client.post(url("item_answer", a.id), {"expected_version": a.version, "criterion_code": "1.2",
                                                      "answer": "Số liệu đúng theo điều tra tháng 10"})
    assert response.status_code == 303
    assert value(a, "1.2").answer == "Số liệu đúng theo điều tra tháng 10"
    assert AuditEntry.objects.filter(assessment=a, action=AuditAction.ITEM_ANSWERED).exists()
    # An item that was not returned has nothing to answer.
    before = state(a)
    refused = client.post(url("item_answer", a.id), {"expected_version": fresh(a).version, "criterion_code": "1.1",
                                                     "answer": "x"})
    assert refused.status_code == 403
    assert state(a) == before
    # A stale version is a conflict, not an overwrite.
    stale = client.post(url("item_answer", a.id), {"expected_version": a.version, "criterion_code": "1.2",
                                                   "answer": "khác"})
    assert stale.status_code == 409
    assert value(a, "1.2").answer == "Số liệu đúng theo điều tra tháng 10"


def test_reviewer_sees_workflow_buttons_with_parameters(client, world, a):
    fill(a, world.officer_a)
    a = step(world.officer_a, a, "submit")
    login(client, world.district1)
    html = client.get(url("assessment", a.id)).content.decode()
    assert f'action="{url("transition", a.id, "district_forward")}"' in html
    assert f'action="{url("transition", a.id, "district_return")}"' in html
    assert 'name="criterion_code" value="1.2"' in html and 'name="comment-1.2"' in html
    a = step(world.district1, a, "district_forward")
    # The agency leading 1.1 gets verify/return forms for its criteria only.
    login(client, verifier_for(world, "1.1"))
    html = client.get(url("assessment", a.id)).content.decode()
    assert f'formaction="{url("transition", a.id, "verify_item")}"' in html
    assert f'formaction="{url("transition", a.id, "return_item")}"' in html
    assert 'name="criterion_code" value="1.1"' in html
    assert 'name="criterion_code" value="6.1"' not in html  # led by Health
    login(client, world.verifiers["SYT"])
    html = client.get(url("assessment", a.id)).content.decode()
    assert 'name="criterion_code" value="6.1"' in html and 'name="criterion_code" value="1.1"' not in html


def test_secretariat_gets_the_decision_form(client, world, a):
    from tests.rounds.fixtures import verify_all
    fill(a, world.officer_a)
    a = step(world.officer_a, a, "submit")
    a = step(world.district1, a, "district_forward")
    a = verify_all(world, a)
    a = step(world.secretariat, a, "appraise")
    login(client, world.secretariat)
    html = client.get(url("assessment", a.id)).content.decode()
    form = html[html.index(url("transition", a.id, "record_decision")):]
    for field in ('name="number"', 'name="date"', 'name="signer"', 'name="recognised"'):
        assert field in form
    a = step(world.secretariat, a, "record_decision", recognised=True, number="15/QĐ-UBND",
             date=dt.date(2024, 12, 20), signer="Nguyễn Văn A")
    html = client.get(url("assessment", a.id)).content.decode()
    assert "15/QĐ-UBND" in html and "20/12/2024" in html and "Nguyễn Văn A" in html
    assert 'name="reason"' in html  # reopening needs a reason


# -- anomalies ---------------------------------------------------------------------------------------


def test_a_value_far_from_last_year_is_flagged_for_officer_and_reviewers(client, world, round_bt, a):
    last_year = open_round(world, year=2023)
    fill(assessment_of(last_year, world.a), world.officer_a)  # 10/10 everywhere
    a = do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"1.2": {"numerator": 5, "denominator": 10}})
    for user in (world.officer_a, world.district1, world.verifiers["STTTT"]):
        login(client, user)
        html = client.get(url("assessment", a.id)).content.decode()
        assert 'class="anomaly"' in html and "năm 2023" in html, user


# -- evidence -------------------------------------------------------------------------------------


def test_upload_a_pdf_and_download_it_where_allowed(client, world, a, settings):
    login(client, world.officer_a)
    response = upload(client, a, name="Báo cáo hộ gia đình.pdf")
    assert response.status_code == 303
    evidence = Evidence.objects.get(assessment=a)
    assert evidence.original_name == "Báo cáo hộ gia đình.pdf"
    assert "Báo cáo" not in evidence.file.name  # stored under a random name
    assert str(settings.MEDIA_ROOT) in evidence.file.path
    assert AuditEntry.objects.filter(assessment=a, action=AuditAction.EVIDENCE_ADDED).exists()
    html = client.get(url("assessment", a.id)).content.decode()
    assert url("evidence_download", evidence.id) in html and evidence.file.name not in html
    for user in (world.officer_a, world.district1, world.verifiers["SYT"], world.secretariat, world.admin):
        login(client, user)
        response = client.get(url("evidence_download", evidence.id))
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;") and "B%C3%A1o%20c%C3%A1o" in disposition
        assert evidence.file.name not in disposition
    for user in (world.officer_b, world.district2):
        login(client, user)
        assert client.get(url("evidence_download", evidence.id)).status_code == 404
    anonymous = Client()
    response = anonymous.get(url("evidence_download", evidence.id))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_published_evidence_stays_with_those_whose_roles_reach_it(client, world, a):
    """Publication makes the result public, not the evidence: another commune's officer sees
    the published assessment and what each item is, but gets no file and no address."""
    login(client, world.officer_a)
    assert upload(client, a, name="Danh sách hộ.pdf").status_code == 303
    link = link_evidence(world, a)
    a = fill(fresh(a), world.officer_a)
    a = verify_all(world, step(world.district1, step(world.officer_a, a, "submit"), "district_forward"))
    a = step(world.secretariat, step(world.secretariat, a, "appraise"), "record_decision",
             recognised=True, number="12/QĐ-UBND", date=dt.date(2024, 12, 1), signer="Nguyễn Văn A")
    a = step(world.secretariat, a, "publish")
    evidence = Evidence.objects.get(assessment=a, kind="file")
    login(client, world.officer_b)
    html = client.get(url("assessment", a.id)).content.decode()
    assert "Danh sách hộ.pdf" in html
    assert url("evidence_download", evidence.id) not in html and link.url not in html
    assert client.get(url("evidence_download", evidence.id)).status_code == 404
    login(client, world.officer_a)
    html = client.get(url("assessment", a.id)).content.decode()
    assert url("evidence_download", evidence.id) in html and link.url in html
    assert client.get(url("evidence_download", evidence.id)).status_code == 200


def test_link_and_document_evidence(client, world, a):
    login(client, world.officer_a)
    assert client.post(url("evidence_add", a.id), {"criterion_code": "1.3", "url": "https://xa.gov.vn"}).status_code == 303
    assert client.post(url("evidence_add", a.id), {"criterion_code": "1.3", "document_number": "45/QĐ-UBND",
                                                   "document_date": "03/10/2024"}).status_code == 303
    items = list(Evidence.objects.filter(assessment=a).order_by("pk"))
    assert [(e.kind, e.url, e.document_number, e.document_date) for e in items] == [
        ("link", "https://xa.gov.vn", "", None), ("document", "", "45/QĐ-UBND", dt.date(2024, 10, 3))]
    html = client.get(url("assessment", a.id)).content.decode()
    assert "45/QĐ-UBND" in html and "03/10/2024" in html and 'href="https://xa.gov.vn"' in html
    # A link is not a file to download.
    assert client.get(url("evidence_download", items[0].id)).status_code == 404
    # A bad link is refused beside its field, what was typed kept, and listed at the top
    # with a link to the field.
    response = client.post(url("evidence_add", a.id), {"criterion_code": "1.3", "url": "javascript:alert(1)",
                                                        "document_number": "7/BC"})
    assert response.status_code == 400
    assert "Đường dẫn không hợp lệ" in field_error(response, "ev-url-1-3")
    html = response.content.decode()
    assert 'href="#ev-url-1-3"' in html and 'value="7/BC"' in html
    assert Evidence.objects.filter(assessment=a).count() == 2


def test_a_file_with_its_document_number_and_date(client, world, a):
    # Issue 14: a file together with its document's number and date is one evidence item.
    login(client, world.officer_a)
    response = client.post(url("evidence_add", a.id), {
        "criterion_code": "1.2", "file": SimpleUploadedFile("Báo cáo.pdf", PDF),
        "document_number": "152/BC-UBND", "document_date": "2024-12-10"})
    assert response.status_code == 303
    e = Evidence.objects.get(assessment=a)
    assert (e.kind, e.original_name, e.document_number, e.document_date) == (
        "file", "Báo cáo.pdf", "152/BC-UBND", dt.date(2024, 12, 10))
    html = client.get(url("assessment", a.id)).content.decode()
    assert "Báo cáo.pdf" in html and "Văn bản số 152/BC-UBND" in html and "10/12/2024" in html


def field_error(response, field_id: str) -> str:
    """The error shown beside the evidence field ``field_id`` (and the field says so)."""
    html = response.content.decode()
    assert f'aria-describedby="{field_id}-error"' in html, field_id
    found = re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert found, field_id
    return found[1]


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_png_renamed_pdf_is_refused(client, world, a, settings):
    before = state(a)
    login(client, world.officer_a)
    response = upload(client, a, name="anh-chup.pdf", content=PNG)
    assert response.status_code == 400
    text = field_error(response, "ev-file-1-2")
    assert "anh-chup.pdf" in text and "PNG" in text
    assert state(a) == before
    assert _stored_files(settings) == []


def test_too_large_upload_is_refused_by_the_size_setting(client, world, a, settings):
    settings.SMARTCOMMUNE_UPLOAD_MAX_BYTES = 20
    before = state(a)
    login(client, world.officer_a)
    response = upload(client, a, name="lon.pdf", content=PDF)
    text = field_error(response, "ev-file-1-2")
    assert "lon.pdf" in text and "vượt giới hạn" in text
    assert state(a) == before
    assert _stored_files(settings) == []


def test_a_request_far_over_the_limit_is_refused_before_the_body_is_read(client, world, a, settings, monkeypatch):
    settings.SMARTCOMMUNE_UPLOAD_MAX_BYTES = 0
    def parse(self):  # pragma: no cover - must not run
        raise AssertionError("the upload was parsed")
    monkeypatch.setattr(MultiPartParser, "parse", parse)
    before = state(a)
    login(client, world.officer_a)
    response = upload(client, a, name="rat-lon.pdf", content=PDF + b"0" * (1024 * 1024 + 10))
    assert response.status_code == 303
    monkeypatch.undo()
    assert "Tệp quá lớn" in " ".join(messages_of(client.get(response["Location"])))
    assert state(a) == before
    assert _stored_files(settings) == []


def test_evidence_add_checks_csrf(world, a):
    client = Client(enforce_csrf_checks=True)
    login(client, world.officer_a)
    response = client.post(url("evidence_add", a.id), {"criterion_code": "1.2", "url": "https://example.vn/x"})
    assert response.status_code == 403
    assert not Evidence.objects.filter(assessment=a).exists()


def test_remove_evidence_is_audited_and_hides_it(client, world, a):
    login(client, world.officer_a)
    upload(client, a)
    evidence = Evidence.objects.get(assessment=a)
    response = client.post(url("evidence_remove", evidence.id), {"reason": "Tải nhầm tệp"})
    assert response.status_code == 303
    evidence.refresh_from_db()
    assert evidence.removed_at is not None and evidence.removed_by == world.officer_a
    entry = AuditEntry.objects.get(assessment=a, action=AuditAction.EVIDENCE_REMOVED)
    assert entry.reason == "Tải nhầm tệp" and entry.criterion_code == "1.2"
    assert client.get(url("evidence_download", evidence.id)).status_code == 404
    html = client.get(url("assessment", a.id)).content.decode()
    assert url("evidence_download", evidence.id) not in html
    history = client.get(url("assessment_history", a.id)).content.decode()
    assert "Gỡ minh chứng" in history and "Tải nhầm tệp" in history and "bao-cao.pdf" in history
    # Removed evidence is gone for everyone, including another removal.
    assert client.post(url("evidence_remove", evidence.id), {"reason": "x"}).status_code == 404


def test_history_lists_status_changes_in_vietnamese(client, world, a):
    fill(a, world.officer_a)
    step(world.officer_a, a, "submit")
    login(client, world.district1)
    html = client.get(url("assessment_history", a.id)).content.decode()
    assert "Đổi trạng thái" in html and "Nháp" in html and "Đã nộp" in html and "Tạo hồ sơ" in html
    assert fresh(a).status == Status.SUBMITTED
    assert value(a, "1.2").review_status == ReviewStatus.PENDING


def test_the_page_does_a_bounded_number_of_queries(client, world, a, django_assert_max_num_queries):
    fill(a, world.officer_a)
    for code in ("1.1", "1.2", "2.1", "3.1"):
        link_evidence(world, a, code)
    login(client, world.officer_a)
    with django_assert_max_num_queries(25):
        assert client.get(url("assessment", a.id)).status_code == 200


def test_a_stale_save_with_a_typing_error_reports_both(client, world, a):
    version = a.version
    do_save_values(actor=world.officer_a, assessment=a, expected_version=version,
                   values={"1.2": {"numerator": 800, "denominator": 1000}})
    login(client, world.officer_a)
    response = client.post(url("assessment_save", a.id), {"expected_version": version, "numerator-1.1": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "không phải là số nguyên" in html and "người khác thay đổi" in html and "800" in html
    assert value(a, "1.1").numerator is None
